package dev.marketplace.orders.domain.order;

import dev.marketplace.orders.domain.payment.Money;
import java.time.Instant;
import java.util.Objects;

/**
 * The captured payment of an order: the provider's reference, when it was captured, and how much
 * (the order's total then) - the most its refunds may ever return together.
 */
public record PaymentCapture(String reference, Instant capturedAt, Money amount) {

  public static final int MAX_REFERENCE_LENGTH = 100;

  public PaymentCapture {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(capturedAt, "capturedAt");
    Objects.requireNonNull(amount, "amount");
  }
}
