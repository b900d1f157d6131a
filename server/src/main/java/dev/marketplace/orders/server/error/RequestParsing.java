package dev.marketplace.orders.server.error;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.marketplace.orders.domain.error.InvalidRequestException;
import io.grpc.BindableService;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;

/**
 * Request bodies that are not a valid message of the RPC's request type (truncated, malformed
 * varints or tags, a string field that is not UTF-8, nesting too deep) are a client error:
 * INVALID_ARGUMENT, reason INVALID_REQUEST.
 *
 * <p>gRPC itself parses a request before any interceptor sees it and answers a parse failure with
 * UNKNOWN ("Application error processing RPC"). So the business services are served with their
 * requests as raw streams ({@link ServerInterceptors#useInputStreamMessages}), which moves parsing
 * into the call's listener, inside the {@link ErrorMappingInterceptor}; a parse failure there is
 * turned into an {@link InvalidRequestException}.
 */
public final class RequestParsing {

  private RequestParsing() {}

  /** The service, with its requests parsed where a malformed one becomes INVALID_ARGUMENT. */
  public static ServerServiceDefinition refusingMalformedRequests(BindableService service) {
    return ServerInterceptors.intercept(ServerInterceptors.useInputStreamMessages(service.bindService()), new Refuser());
  }

  private static final class Refuser implements ServerInterceptor {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
        ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
      String type = requestType(call.getMethodDescriptor());
      return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
        @Override
        public void onMessage(ReqT message) {
          try {
            super.onMessage(message);
          } catch (StatusRuntimeException e) {
            if (e.getCause() instanceof InvalidProtocolBufferException) {
              throw InvalidRequestException.of(
                  "", "the request is not a valid " + type + " message (malformed protobuf, or text that is not UTF-8)");
            }
            throw e;
          }
        }
      };
    }

    private static String requestType(MethodDescriptor<?, ?> method) {
      if (method.getSchemaDescriptor() instanceof ProtoMethodDescriptorSupplier proto) {
        return proto.getMethodDescriptor().getInputType().getFullName();
      }
      return method.getFullMethodName() + " request";
    }
  }
}
