package dev.marketplace.orders.client;

import io.grpc.StatusRuntimeException;

/**
 * UNAVAILABLE or DEADLINE_EXCEEDED: the service could not be reached, or did not answer within the
 * deadline, after the client's own retries. Retryable; resend a mutation with the same {@code
 * request_id}.
 */
public class UnavailableException extends OrdersException {

  private static final long serialVersionUID = 1L;

  /** Wraps {@code cause}; {@link OrdersException#from} picks this type by status code. */
  public UnavailableException(StatusRuntimeException cause) {
    super(cause);
  }
}
