package dev.marketplace.orders.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Gives every call that has no deadline of its own one that many nanoseconds from the moment it
 * starts. A stub's {@code withDeadlineAfter} fixes the instant when the stub is made, so a stub kept
 * in a field would soon carry an expired deadline; this computes it per call. The deadline bounds the
 * whole call, retries included. Streams ({@code WatchOrderEvents}) get none: they are meant to run
 * until the caller or the server ends them.
 */
final class DefaultDeadlineInterceptor implements ClientInterceptor {

  private final long timeoutNanos;

  DefaultDeadlineInterceptor(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    CallOptions options =
        callOptions.getDeadline() == null && method.getType() == MethodDescriptor.MethodType.UNARY
            ? callOptions.withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS)
            : callOptions;
    return next.newCall(method, options);
  }
}
