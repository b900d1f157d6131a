package dev.marketplace.orders.domain.cancellation;

import dev.marketplace.orders.domain.refund.RefundWindowPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * The tunable parts of the cancellation rules.
 *
 * @param sellerResponseWindow how long a seller has to answer a request (the marketplace says 72 hours)
 * @param maxRequestsPerOrder how many requests a buyer may make for one order (a rejected one counts)
 * @param paymentVerificationRetryDelay what to suggest to a buyer who cancels while payment is verified
 * @param refundWindows expected refund arrival per payment method (cancellations and modifications alike)
 * @param modificationResponseWindow how long the other party has to answer a proposed modification
 *     of the order, the alternative to a cancellation (72 hours too, by default)
 */
public record CancellationSettings(
    Duration sellerResponseWindow,
    int maxRequestsPerOrder,
    Duration paymentVerificationRetryDelay,
    RefundWindowPolicy refundWindows,
    Duration modificationResponseWindow) {

  public static final Duration DEFAULT_RESPONSE_WINDOW = Duration.ofHours(72);

  /** With the default modification response window. */
  public CancellationSettings(
      Duration sellerResponseWindow, int maxRequestsPerOrder, Duration paymentVerificationRetryDelay, RefundWindowPolicy refundWindows) {
    this(sellerResponseWindow, maxRequestsPerOrder, paymentVerificationRetryDelay, refundWindows, DEFAULT_RESPONSE_WINDOW);
  }

  public CancellationSettings {
    Objects.requireNonNull(sellerResponseWindow, "sellerResponseWindow");
    Objects.requireNonNull(paymentVerificationRetryDelay, "paymentVerificationRetryDelay");
    Objects.requireNonNull(refundWindows, "refundWindows");
    Objects.requireNonNull(modificationResponseWindow, "modificationResponseWindow");
    if (modificationResponseWindow.isNegative() || modificationResponseWindow.isZero()) {
      throw new IllegalArgumentException("the modification response window must be positive");
    }
    if (sellerResponseWindow.isNegative() || sellerResponseWindow.isZero()) {
      throw new IllegalArgumentException("the seller response window must be positive");
    }
    if (maxRequestsPerOrder < 1) {
      throw new IllegalArgumentException("a buyer may make at least one request");
    }
  }

  public static CancellationSettings defaults() {
    return new CancellationSettings(DEFAULT_RESPONSE_WINDOW, 2, Duration.ofMinutes(15), RefundWindowPolicy.defaults());
  }
}
