package dev.marketplace.orders.domain.error;

import java.time.Duration;
import java.util.Map;

/**
 * The caller did too much of something in too short a time (RESOURCE_EXHAUSTED); {@code retryDelay}
 * says when the next attempt will be accepted.
 */
public final class RateLimitedException extends DomainException {

  private final Duration retryDelay;

  public RateLimitedException(String reason, String message, Map<String, String> metadata, Duration retryDelay) {
    super(reason, message, metadata);
    this.retryDelay = retryDelay;
  }

  public Duration retryDelay() {
    return retryDelay;
  }
}
