package dev.marketplace.orders.server.overload;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.marketplace.orders.server.error.ErrorMapper;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the work in the server: at most {@code maxInFlight} calls are admitted to the handler
 * executor (its threads plus a queue). Beyond that a call is refused at once with RESOURCE_EXHAUSTED
 * (and a RetryInfo) on the transport thread, before any authentication, parsing or database work, so
 * overload never turns into a growing queue. A call whose deadline has already passed when its turn
 * comes is not started (DEADLINE_EXCEEDED). A server-streaming call counts until its handler has
 * returned (it has set the stream going); the stream's own limits bound it from then on.
 *
 * <p>gRPC asks {@link #getExecutor} for each call right after the method lookup; the decision is
 * left in the call's headers for {@link #interceptCall}, which runs first among the interceptors.
 */
public final class AdmissionControl implements ServerCallExecutorSupplier, ServerInterceptor {

  private static final Metadata.Key<String> REFUSED =
      Metadata.Key.of("x-orders-admission-refused", Metadata.ASCII_STRING_MARSHALLER);
  private static final StatusRuntimeException OVERLOADED =
      StatusProto.toStatusRuntimeException(
          com.google.rpc.Status.newBuilder()
              .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
              .setMessage("the server is at capacity; retry after a short delay")
              .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("SERVER_OVERLOADED").setDomain(ErrorMapper.DOMAIN).build()))
              .addDetails(
                  Any.pack(
                      RetryInfo.newBuilder()
                          .setRetryDelay(com.google.protobuf.Duration.newBuilder().setNanos(200_000_000))
                          .build()))
              .build());

  private final Executor handlers;
  private final int maxInFlight;
  private final AtomicInteger inFlight = new AtomicInteger();

  public AdmissionControl(Executor handlers, int maxInFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be positive");
    }
    this.handlers = handlers;
    this.maxInFlight = maxInFlight;
  }

  /** Admitted calls run on the handler executor; refused ones stay on the transport thread, briefly. */
  @Override
  public <ReqT, RespT> Executor getExecutor(ServerCall<ReqT, RespT> call, Metadata headers) {
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      headers.put(REFUSED, "1");
      return null;
    }
    return handlers;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    if (headers.containsKey(REFUSED)) {
      call.close(OVERLOADED.getStatus(), OVERLOADED.getTrailers());
      return new ServerCall.Listener<>() {};
    }
    AtomicBoolean released = new AtomicBoolean();
    Runnable release =
        () -> {
          if (released.compareAndSet(false, true)) {
            inFlight.decrementAndGet();
          }
        };
    Deadline deadline = Context.current().getDeadline();
    if (deadline != null && deadline.isExpired()) {
      release.run();
      call.close(io.grpc.Status.DEADLINE_EXCEEDED.withDescription("the deadline passed before the call started"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    ServerCall.Listener<ReqT> delegate;
    try {
      delegate = next.startCall(call, headers);
    } catch (RuntimeException e) {
      release.run();
      throw e;
    }
    boolean streaming = !call.getMethodDescriptor().getType().serverSendsOneMessage();
    return new SimpleForwardingServerCallListener<>(delegate) {
      @Override
      public void onHalfClose() {
        try {
          super.onHalfClose();
        } finally {
          if (streaming) {
            // A stream holds no handler thread once its handler returned; its own limits bound it.
            release.run();
          }
        }
      }

      @Override
      public void onComplete() {
        release.run();
        super.onComplete();
      }

      @Override
      public void onCancel() {
        release.run();
        super.onCancel();
      }
    };
  }

  /** Calls admitted and not yet finished. */
  public int inFlight() {
    return inFlight.get();
  }
}
