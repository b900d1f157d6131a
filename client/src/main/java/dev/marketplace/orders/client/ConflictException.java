package dev.marketplace.orders.client;

import io.grpc.StatusRuntimeException;

/**
 * ABORTED: the order changed since it was read (reason {@code ETAG_MISMATCH}); read it again and
 * decide anew.
 */
public class ConflictException extends OrdersException {

  private static final long serialVersionUID = 1L;

  /** Wraps {@code cause}; {@link OrdersException#from} picks this type by status code. */
  public ConflictException(StatusRuntimeException cause) {
    super(cause);
  }
}
