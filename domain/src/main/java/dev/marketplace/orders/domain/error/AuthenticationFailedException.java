package dev.marketplace.orders.domain.error;

import java.util.Map;

/** The caller could not be identified: no token, a malformed one, a bad signature, or an expired one (UNAUTHENTICATED). */
public final class AuthenticationFailedException extends DomainException {

  public AuthenticationFailedException(String reason, String message) {
    super(reason, message, Map.of());
  }
}
