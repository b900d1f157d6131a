package dev.marketplace.orders.domain.refund;

import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.payment.PaymentMethod;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Money going back to a buyer after a cancellation: created INITIATED in the cancellation's
 * transaction, with the expected arrival window; payments later reports COMPLETED or FAILED.
 */
public record Refund(
    UUID id,
    UUID orderId,
    UUID cancellationRequestId,
    Money amount,
    PaymentMethod paymentMethod,
    RefundState state,
    RefundWindow window,
    Instant expectedEarliest,
    Instant expectedLatest,
    String failureReason,
    Instant createdAt,
    Instant completedAt,
    int version) {

  public static final int MAX_FAILURE_REASON_LENGTH = 500;

  public Refund {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(paymentMethod, "paymentMethod");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(failureReason, "failureReason");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  public static Refund initiate(
      UUID id, UUID orderId, UUID cancellationRequestId, Money amount, PaymentMethod method, RefundWindow window, Instant now) {
    return new Refund(
        id,
        orderId,
        cancellationRequestId,
        amount,
        method,
        RefundState.INITIATED,
        window,
        BusinessDays.add(now, window.minDays()),
        BusinessDays.add(now, window.maxDays()),
        "",
        now,
        null,
        1);
  }

  public Refund complete(Instant now) {
    return settle(RefundState.COMPLETED, "", now);
  }

  public Refund fail(String reason, Instant now) {
    return settle(RefundState.FAILED, reason, now);
  }

  private Refund settle(RefundState target, String reason, Instant now) {
    if (state != RefundState.INITIATED) {
      throw new StateConflictException(
          "REFUND_ALREADY_SETTLED",
          "refund " + id + " is already " + state,
          Map.of("refundId", id.toString(), "refundState", state.name()),
          "refunds/" + id,
          "REFUND_STATE",
          null);
    }
    return new Refund(
        id, orderId, cancellationRequestId, amount, paymentMethod, target, window, expectedEarliest, expectedLatest, reason, createdAt, now, version + 1);
  }
}
