package dev.marketplace.orders.client;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.PreconditionFailure;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A call to the orders service failed. Carries the gRPC status code and the server's rich error
 * details: the {@code ErrorInfo} reason, domain and metadata, {@code BadRequest} field violations,
 * {@code PreconditionFailure} violations and the {@code RetryInfo} delay. Subclasses name the codes a
 * caller typically handles; any other code is a plain {@code OrdersException}. The original {@link
 * StatusRuntimeException} is the cause.
 */
public class OrdersException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final Status.Code code;
  private final String reason;
  private final String errorDomain;
  private final Map<String, String> metadata;
  private final List<FieldViolation> fieldViolations;
  private final List<PreconditionViolation> preconditionViolations;
  private final Duration retryDelay;

  /** One invalid field of a request, with its proto path such as {@code order.line_items[0].quantity}. */
  public record FieldViolation(String field, String description) implements Serializable {}

  /** One failed precondition, for example the order's state not allowing the call. */
  public record PreconditionViolation(String type, String subject, String description)
      implements Serializable {}

  /** Wraps {@code cause}; prefer {@link #from(StatusRuntimeException)}, which picks the subclass. */
  public OrdersException(StatusRuntimeException cause) {
    this(cause, Details.of(cause));
  }

  private OrdersException(StatusRuntimeException cause, Details details) {
    super(details.message(), cause);
    this.code = cause.getStatus().getCode();
    this.reason = details.reason;
    this.errorDomain = details.domain;
    this.metadata = details.metadata;
    this.fieldViolations = details.fieldViolations;
    this.preconditionViolations = details.preconditionViolations;
    this.retryDelay = details.retryDelay;
  }

  /**
   * The exception for a failed call, typed by status code. Useful with the raw stubs from {@link
   * OrdersClient#orderService()}.
   */
  public static OrdersException from(StatusRuntimeException e) {
    Objects.requireNonNull(e, "e");
    return switch (e.getStatus().getCode()) {
      case INVALID_ARGUMENT -> new InvalidRequestException(e);
      case NOT_FOUND -> new NotFoundException(e);
      case FAILED_PRECONDITION ->
          CancellationNotAllowedException.REASONS.contains(reasonOf(e))
              ? new CancellationNotAllowedException(e)
              : ModificationNotAllowedException.REASONS.contains(reasonOf(e))
                  ? new ModificationNotAllowedException(e)
                  : DisputeNotAllowedException.REASONS.contains(reasonOf(e))
                      ? new DisputeNotAllowedException(e)
                      : SupportCaseNotAllowedException.REASONS.contains(reasonOf(e))
                          ? new SupportCaseNotAllowedException(e)
                          : ReturnNotAllowedException.REASONS.contains(reasonOf(e))
                              ? new ReturnNotAllowedException(e)
                              : new FailedPreconditionException(e);
      case ABORTED -> new ConflictException(e);
      case UNAUTHENTICATED -> new UnauthenticatedException(e);
      case PERMISSION_DENIED -> new PermissionDeniedException(e);
      case UNAVAILABLE, DEADLINE_EXCEEDED -> new UnavailableException(e);
      case RESOURCE_EXHAUSTED ->
          MessageRateExceededException.REASON.equals(reasonOf(e))
              ? new MessageRateExceededException(e)
              : new ResourceExhaustedException(e);
      default -> new OrdersException(e);
    };
  }

  private static String reasonOf(StatusRuntimeException e) {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    if (status == null) {
      return "";
    }
    for (com.google.protobuf.Any detail : status.getDetailsList()) {
      if (detail.is(com.google.rpc.ErrorInfo.class)) {
        try {
          return detail.unpack(com.google.rpc.ErrorInfo.class).getReason();
        } catch (com.google.protobuf.InvalidProtocolBufferException ignored) {
          return "";
        }
      }
    }
    return "";
  }

  /** The gRPC status code. */
  public Status.Code code() {
    return code;
  }

  /** The machine-readable reason from ErrorInfo, for example {@code ORDER_NOT_FOUND}; "" if none was sent. */
  public String reason() {
    return reason;
  }

  /** The ErrorInfo domain ({@code orders.marketplace.dev} for the orders service); "" if none was sent. */
  public String errorDomain() {
    return errorDomain;
  }

  /** The ErrorInfo metadata, for example {@code orderState}; empty if none was sent. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** The invalid fields (BadRequest), usually with INVALID_ARGUMENT; empty if none were sent. */
  public List<FieldViolation> fieldViolations() {
    return fieldViolations;
  }

  /** The failed preconditions (PreconditionFailure), usually with FAILED_PRECONDITION; empty if none. */
  public List<PreconditionViolation> preconditionViolations() {
    return preconditionViolations;
  }

  /** How long the server asks the caller to wait before trying again (RetryInfo), if it said. */
  public Optional<Duration> retryDelay() {
    return Optional.ofNullable(retryDelay);
  }

  /**
   * Whether sending the same request again later may succeed: the service was unavailable, too
   * slow or overloaded, or it sent a retry delay. The client has already retried UNAVAILABLE
   * itself. To retry a mutation safely, resend it with the same {@code request_id}.
   */
  public boolean isRetryable() {
    return switch (code) {
      case UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED -> true;
      default -> retryDelay != null;
    };
  }

  /** What {@link StatusProto} found in the trailers, flattened. */
  private static final class Details {
    private final String description;
    private final Status.Code code;
    private String reason = "";
    private String domain = "";
    private Map<String, String> metadata = Map.of();
    private List<FieldViolation> fieldViolations = List.of();
    private List<PreconditionViolation> preconditionViolations = List.of();
    private Duration retryDelay;

    private Details(Status.Code code, String description) {
      this.code = code;
      this.description = description;
    }

    static Details of(StatusRuntimeException e) {
      Status status = e.getStatus();
      com.google.rpc.Status rich = StatusProto.fromThrowable(e);
      String description =
          rich != null && !rich.getMessage().isEmpty()
              ? rich.getMessage()
              : Objects.requireNonNullElse(status.getDescription(), "");
      Details details = new Details(status.getCode(), description);
      if (rich != null) {
        rich.getDetailsList().forEach(details::add);
      }
      return details;
    }

    private void add(Any detail) {
      try {
        if (detail.is(ErrorInfo.class)) {
          ErrorInfo info = detail.unpack(ErrorInfo.class);
          reason = info.getReason();
          domain = info.getDomain();
          metadata = Map.copyOf(info.getMetadataMap());
        } else if (detail.is(BadRequest.class)) {
          List<FieldViolation> violations = new ArrayList<>(fieldViolations);
          detail.unpack(BadRequest.class).getFieldViolationsList()
              .forEach(v -> violations.add(new FieldViolation(v.getField(), v.getDescription())));
          fieldViolations = List.copyOf(violations);
        } else if (detail.is(PreconditionFailure.class)) {
          List<PreconditionViolation> violations = new ArrayList<>(preconditionViolations);
          detail.unpack(PreconditionFailure.class).getViolationsList()
              .forEach(v -> violations.add(new PreconditionViolation(v.getType(), v.getSubject(), v.getDescription())));
          preconditionViolations = List.copyOf(violations);
        } else if (detail.is(RetryInfo.class)) {
          com.google.protobuf.Duration delay = detail.unpack(RetryInfo.class).getRetryDelay();
          retryDelay = Duration.ofSeconds(delay.getSeconds(), delay.getNanos());
        }
      } catch (InvalidProtocolBufferException e) {
        // A detail we cannot read is left out; the status code and message still stand.
      }
    }

    /** For example {@code NOT_FOUND: order 0190... not found [ORDER_NOT_FOUND]}. */
    String message() {
      StringBuilder message = new StringBuilder(code.name());
      if (!description.isEmpty()) {
        message.append(": ").append(description);
      }
      if (!reason.isEmpty()) {
        message.append(" [").append(reason).append(']');
      }
      return message.toString();
    }
  }
}
