package dev.marketplace.orders.domain.error;

import java.util.Map;

/** The caller is known but may not do this (PERMISSION_DENIED), for example list another buyer's orders. */
public final class AccessDeniedException extends DomainException {

  public AccessDeniedException(String reason, String message, Map<String, String> metadata) {
    super(reason, message, metadata);
  }
}
