package dev.marketplace.orders.domain.dispute;

import java.time.Duration;
import java.util.Objects;

/**
 * The dispute rules' durations.
 *
 * @param window how long after delivery the buyer may still open a dispute (buyer protection)
 * @param escalationDelay how long after opening either party must wait before escalating
 * @param responseWindow how long after opening the parties have to agree before the dispute escalates by itself
 */
public record DisputeSettings(Duration window, Duration escalationDelay, Duration responseWindow) {

  public static final Duration DEFAULT_WINDOW = Duration.ofDays(15);
  public static final Duration DEFAULT_ESCALATION_DELAY = Duration.ofDays(3);
  public static final Duration DEFAULT_RESPONSE_WINDOW = Duration.ofDays(15);

  public DisputeSettings {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(escalationDelay, "escalationDelay");
    Objects.requireNonNull(responseWindow, "responseWindow");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("the dispute window must be positive");
    }
    if (escalationDelay.isNegative()) {
      throw new IllegalArgumentException("the escalation delay must not be negative");
    }
    if (responseWindow.isNegative() || responseWindow.isZero()) {
      throw new IllegalArgumentException("the dispute response window must be positive");
    }
    if (escalationDelay.compareTo(responseWindow) > 0) {
      throw new IllegalArgumentException("the escalation delay must not be longer than the dispute response window");
    }
  }

  public static DisputeSettings defaults() {
    return new DisputeSettings(DEFAULT_WINDOW, DEFAULT_ESCALATION_DELAY, DEFAULT_RESPONSE_WINDOW);
  }
}
