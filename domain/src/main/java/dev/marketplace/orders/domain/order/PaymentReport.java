package dev.marketplace.orders.domain.order;

import dev.marketplace.orders.domain.error.FieldViolation;
import dev.marketplace.orders.domain.error.InvalidRequestException;
import dev.marketplace.orders.domain.payment.Money;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What the payments service observed for an order. For {@link Outcome#CAPTURED} the reference and
 * the captured amount are required (those rules are {@link #problems}; a report that breaks them is
 * never built), and the amount must equal the order's total.
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
    List<FieldViolation> problems = problems(outcome, paymentReference, amount);
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
  }

  /**
   * What a report of {@code outcome} lacks, each under the field's name in the API; empty when nothing
   * does. A missing outcome is the caller's to report: it requires nothing here.
   */
  public static List<FieldViolation> problems(Outcome outcome, String paymentReference, Money amount) {
    List<FieldViolation> problems = new ArrayList<>();
    if (outcome == Outcome.CAPTURED) {
      if (paymentReference.isBlank()) {
        problems.add(new FieldViolation("payment_reference", "required for CAPTURED"));
      }
      if (amount == null) {
        problems.add(new FieldViolation("amount", "required for CAPTURED"));
      }
    }
    return problems;
  }
}
