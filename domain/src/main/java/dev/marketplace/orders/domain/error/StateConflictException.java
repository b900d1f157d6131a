package dev.marketplace.orders.domain.error;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The resource is not in a state that allows the action (FAILED_PRECONDITION). Carries what a
 * client needs to react: the subject in conflict (for example {@code orders/0190...}), the violation
 * type, and, where waiting helps, a suggested retry delay.
 */
public final class StateConflictException extends DomainException {

  private final String subject;
  private final String violationType;
  private final Duration retryDelay;

  public StateConflictException(
      String reason,
      String message,
      Map<String, String> metadata,
      String subject,
      String violationType,
      Duration retryDelay) {
    super(reason, message, metadata);
    this.subject = subject;
    this.violationType = violationType;
    this.retryDelay = retryDelay;
  }

  public String subject() {
    return subject;
  }

  public String violationType() {
    return violationType;
  }

  public Optional<Duration> retryDelay() {
    return Optional.ofNullable(retryDelay);
  }
}
