package dev.marketplace.orders.server.testing;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import java.util.Optional;

/** Reads the google.rpc.Status details of a failed call, as a client would. */
public record Errors(io.grpc.Status.Code code, Status status) {

  public static Errors of(Throwable thrown) {
    StatusRuntimeException e = (StatusRuntimeException) thrown;
    Status status = StatusProto.fromThrowable(e);
    return new Errors(e.getStatus().getCode(), status == null ? Status.getDefaultInstance() : status);
  }

  public ErrorInfo errorInfo() {
    List<ErrorInfo> infos = details(ErrorInfo.class);
    if (infos.size() != 1) {
      throw new AssertionError("expected exactly one ErrorInfo, got " + infos.size() + " in " + status);
    }
    return infos.get(0);
  }

  public String reason() {
    return errorInfo().getReason();
  }

  public List<String> violatedFields() {
    return detail(BadRequest.class).map(b -> b.getFieldViolationsList().stream().map(BadRequest.FieldViolation::getField).toList()).orElse(List.of());
  }

  public <T extends Message> Optional<T> detail(Class<T> type) {
    List<T> found = details(type);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  private <T extends Message> List<T> details(Class<T> type) {
    return status.getDetailsList().stream().filter(a -> a.is(type)).map(a -> unpack(a, type)).toList();
  }

  private static <T extends Message> T unpack(Any any, Class<T> type) {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
