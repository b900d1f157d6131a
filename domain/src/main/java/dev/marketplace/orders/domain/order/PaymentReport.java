package dev.marketplace.orders.domain.order;

import dev.marketplace.orders.domain.payment.Money;

import java.util.Objects;
import java.util.UUID;

/**
 * What the payments service observed for an order. For {@link Outcome#CAPTURED} the reference and
 * the captured amount are required and the amount must equal the order's total.
 */
public record PaymentReport(
    UUID orderId, Outcome outcome, String paymentReference, Money amount, String failureReason) {

  public static final int MAX_FAILURE_REASON_LENGTH = 500;

  public enum Outcome {
    PROCESSING,
    CAPTURED,
    FAILED
  }

  public PaymentReport {
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(paymentReference, "paymentReference");
    Objects.requireNonNull(failureReason, "failureReason");
    if (outcome == Outcome.CAPTURED && (paymentReference.isEmpty() || amount == null)) {
      throw new IllegalArgumentException("a capture needs a reference and an amount");
    }
  }
}
