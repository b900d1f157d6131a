package dev.marketplace.orders.client;

import io.grpc.StatusRuntimeException;

/**
 * UNAUTHENTICATED: no token, or a malformed, expired or wrongly signed one (reasons {@code
 * TOKEN_*}).
 */
public class UnauthenticatedException extends OrdersException {

  private static final long serialVersionUID = 1L;

  /** Wraps {@code cause}; {@link OrdersException#from} picks this type by status code. */
  public UnauthenticatedException(StatusRuntimeException cause) {
    super(cause);
  }
}
