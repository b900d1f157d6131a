package dev.marketplace.orders.client;

import dev.marketplace.orders.v1.OrderEvent;
import java.time.Duration;
import java.time.Instant;

/**
 * Receives what {@link OrdersClient#watchOrderEvents} follows. Every method is called on the
 * subscription's own thread, one call at a time, in stream order; the next message is not read until
 * the current call returns (a slow handler slows the stream; one too slow for the server's buffer is
 * cut off and resumed automatically).
 *
 * <p>If a method throws, the subscription stops and {@link #onError} gets the exception. The event
 * that failed is not counted as delivered: {@link OrderEventSubscription#lastResumeToken()} still
 * points before it, so a new subscription from that token receives it again.
 */
@FunctionalInterface
public interface OrderEventHandler {

  /** The next event, in position order, each exactly once across reconnects. */
  void onEvent(OrderEvent event);

  /** Nothing new for this subscription's filter until {@code sendTime}; the resume token moved on. */
  default void onHeartbeat(Instant sendTime) {}

  /**
   * The stream ended for a reason worth retrying ({@code cause}); it is reopened after {@code delay}
   * from the last resume token delivered. Informational: useful for logs and metrics.
   */
  default void onReconnecting(OrdersException cause, Duration delay) {}

  /**
   * The subscription stopped for good: a refusal that retrying cannot fix (INVALID_ARGUMENT,
   * NOT_FOUND, PERMISSION_DENIED, UNAUTHENTICATED, FAILED_PRECONDITION, UNIMPLEMENTED: an {@link
   * OrdersException}), or an exception this handler threw. Not called after {@link
   * OrderEventSubscription#close()}.
   */
  default void onError(Exception error) {}
}
