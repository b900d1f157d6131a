package dev.marketplace.orders.client;

import io.grpc.StatusRuntimeException;

/**
 * NOT_FOUND: the order does not exist or the caller may not see it (reason {@code
 * ORDER_NOT_FOUND}).
 */
public class NotFoundException extends OrdersException {

  private static final long serialVersionUID = 1L;

  /** Wraps {@code cause}; {@link OrdersException#from} picks this type by status code. */
  public NotFoundException(StatusRuntimeException cause) {
    super(cause);
  }
}
