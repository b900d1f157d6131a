package dev.marketplace.orders.client;

import io.grpc.StatusRuntimeException;

/**
 * UNAUTHENTICATED: no token, or a malformed, expired or wrongly signed one (reasons {@code
 * TOKEN_*}); or a SERVICE token on a server that requires service accounts to call over mutual TLS,
 * sent without a client certificate ({@code CLIENT_CERTIFICATE_REQUIRED}) or with one whose CN is not
 * the token's subject ({@code CLIENT_CERTIFICATE_MISMATCH}). See {@link OrdersClient.Builder#mutualTls}.
 */
public class UnauthenticatedException extends OrdersException {

  private static final long serialVersionUID = 1L;

  /** Wraps {@code cause}; {@link OrdersException#from} picks this type by status code. */
  public UnauthenticatedException(StatusRuntimeException cause) {
    super(cause);
  }
}
