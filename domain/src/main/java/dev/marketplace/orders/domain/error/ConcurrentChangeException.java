package dev.marketplace.orders.domain.error;

import java.util.Map;

/** Someone else changed the resource first (ABORTED): re-read it and decide again. */
public final class ConcurrentChangeException extends DomainException {

  public ConcurrentChangeException(String reason, String message, Map<String, String> metadata) {
    super(reason, message, metadata);
  }
}
