package dev.marketplace.orders.server.error;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import jakarta.inject.Inject;

/**
 * Catches whatever a handler throws and closes the call with the {@link ErrorMapper}'s status, so
 * handlers simply throw domain exceptions. Nothing a handler throws reaches the transport as-is.
 */
public final class ErrorMappingInterceptor implements ServerInterceptor {

  private final ErrorMapper errors;

  @Inject
  public ErrorMappingInterceptor(ErrorMapper errors) {
    this.errors = errors;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    ClosingOnceCall<ReqT, RespT> guarded = new ClosingOnceCall<>(call);
    ServerCall.Listener<ReqT> delegate;
    try {
      delegate = next.startCall(guarded, headers);
    } catch (RuntimeException e) {
      guarded.fail(errors.toStatusException(e));
      return new ServerCall.Listener<>() {};
    }
    return new SimpleForwardingServerCallListener<>(delegate) {
      @Override
      public void onMessage(ReqT message) {
        run(() -> super.onMessage(message));
      }

      @Override
      public void onHalfClose() {
        run(super::onHalfClose);
      }

      @Override
      public void onReady() {
        run(super::onReady);
      }

      private void run(Runnable step) {
        try {
          step.run();
        } catch (RuntimeException e) {
          guarded.fail(errors.toStatusException(e));
        }
      }
    };
  }

  private static final class ClosingOnceCall<ReqT, RespT> extends SimpleForwardingServerCall<ReqT, RespT> {
    private boolean closed;

    ClosingOnceCall(ServerCall<ReqT, RespT> delegate) {
      super(delegate);
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
      if (!closed) {
        closed = true;
        super.close(status, trailers);
      }
    }

    void fail(StatusRuntimeException error) {
      Metadata trailers = error.getTrailers() == null ? new Metadata() : error.getTrailers();
      close(error.getStatus(), trailers);
    }
  }
}
