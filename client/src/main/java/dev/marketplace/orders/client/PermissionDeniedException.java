package dev.marketplace.orders.client;

import io.grpc.StatusRuntimeException;

/**
 * PERMISSION_DENIED: the caller's role or scopes do not allow this call (reason {@code
 * ROLE_NOT_ALLOWED}).
 */
public class PermissionDeniedException extends OrdersException {

  private static final long serialVersionUID = 1L;

  /** Wraps {@code cause}; {@link OrdersException#from} picks this type by status code. */
  public PermissionDeniedException(StatusRuntimeException cause) {
    super(cause);
  }
}
