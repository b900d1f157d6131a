package dev.marketplace.orders.client;

import io.grpc.StatusRuntimeException;

/**
 * RESOURCE_EXHAUSTED with reason {@code MESSAGE_RATE_EXCEEDED}: the sender has posted as many messages
 * to this order's conversation as an hour allows. {@link #retryDelay()} says when the next one is
 * accepted; {@link #limit()} is the number an hour.
 */
public final class MessageRateExceededException extends ResourceExhaustedException {

  private static final long serialVersionUID = 1L;

  /** The ErrorInfo reason this exception stands for. */
  public static final String REASON = "MESSAGE_RATE_EXCEEDED";

  /** Wraps {@code cause}; {@link OrdersException#from} picks this type by status code and reason. */
  public MessageRateExceededException(StatusRuntimeException cause) {
    super(cause);
  }

  /** Messages allowed per sender, order and hour; 0 if the server did not say. */
  public int limit() {
    try {
      return Integer.parseInt(metadata().getOrDefault("limit", "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
