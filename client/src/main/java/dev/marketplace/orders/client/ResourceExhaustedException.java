package dev.marketplace.orders.client;

import io.grpc.StatusRuntimeException;

/**
 * RESOURCE_EXHAUSTED: the service is overloaded, or a limit of the caller's was reached ({@link
 * MessageRateExceededException}); back off and try again later ({@link #retryDelay()}).
 */
public class ResourceExhaustedException extends OrdersException {

  private static final long serialVersionUID = 1L;

  /** Wraps {@code cause}; {@link OrdersException#from} picks this type by status code. */
  public ResourceExhaustedException(StatusRuntimeException cause) {
    super(cause);
  }
}
