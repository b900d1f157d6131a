package dev.marketplace.orders.client;

import io.grpc.StatusRuntimeException;

/**
 * FAILED_PRECONDITION: the order's state does not allow the call, for example shipping an unpaid
 * order (reason {@code INVALID_STATE_TRANSITION}, metadata {@code orderState}). Do not retry
 * unchanged unless {@link #retryDelay()} says so.
 */
public class FailedPreconditionException extends OrdersException {

  private static final long serialVersionUID = 1L;

  /** Wraps {@code cause}; {@link OrdersException#from} picks this type by status code. */
  public FailedPreconditionException(StatusRuntimeException cause) {
    super(cause);
  }
}
