package dev.marketplace.orders.client;

import io.grpc.StatusRuntimeException;

/**
 * INVALID_ARGUMENT: the request is malformed; {@link #fieldViolations()} lists every offending
 * field. Also sent when a {@code request_id} is reused for a different request (reason {@code
 * REQUEST_ID_REUSED}).
 */
public class InvalidRequestException extends OrdersException {

  private static final long serialVersionUID = 1L;

  /** Wraps {@code cause}; {@link OrdersException#from} picks this type by status code. */
  public InvalidRequestException(StatusRuntimeException cause) {
    super(cause);
  }
}
