package dev.marketplace.orders.domain.returns;

import java.time.Duration;
import java.util.Objects;

/**
 * The return rules' durations.
 *
 * @param window how long after delivery the buyer may ask to return units
 * @param responseWindow how long the seller has to approve or reject before the platform approves
 * @param receiptWindow how long after the buyer shipped the units the seller has to confirm receipt
 *     before the platform accepts the return (and refunds)
 */
public record ReturnSettings(Duration window, Duration responseWindow, Duration receiptWindow) {

  public static final Duration DEFAULT_WINDOW = Duration.ofDays(15);
  public static final Duration DEFAULT_RESPONSE_WINDOW = Duration.ofDays(3);
  public static final Duration DEFAULT_RECEIPT_WINDOW = Duration.ofDays(15);

  public ReturnSettings {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(responseWindow, "responseWindow");
    Objects.requireNonNull(receiptWindow, "receiptWindow");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("the return window must be positive");
    }
    if (responseWindow.isNegative() || responseWindow.isZero()) {
      throw new IllegalArgumentException("the return response window must be positive");
    }
    if (receiptWindow.isNegative() || receiptWindow.isZero()) {
      throw new IllegalArgumentException("the return receipt window must be positive");
    }
  }

  public static ReturnSettings defaults() {
    return new ReturnSettings(DEFAULT_WINDOW, DEFAULT_RESPONSE_WINDOW, DEFAULT_RECEIPT_WINDOW);
  }
}
