package dev.marketplace.orders.domain.refund;

import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.payment.PaymentMethod;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Money going back to a buyer: created INITIATED in the transaction of what caused it (a cancellation,
 * a modification that lowered a paid order's price), with the expected arrival window; payments later
 * reports COMPLETED or FAILED. An order may have several; together they never exceed what was
 * captured (see {@code Order#withRefundIssued}).
 *
 * @param causeId what the refund pays back for, by {@code kind}: the cancellation request (null when
 *     support cancelled without one), the modification, the dispute or the support case
 */
public record Refund(
    UUID id,
    UUID orderId,
    RefundKind kind,
    UUID causeId,
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
    Objects.requireNonNull(kind, "kind");
    if (kind != RefundKind.CANCELLATION) {
      Objects.requireNonNull(causeId, "causeId");
    }
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(paymentMethod, "paymentMethod");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(failureReason, "failureReason");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  public static Refund initiate(
      UUID id, UUID orderId, RefundKind kind, UUID causeId, Money amount, PaymentMethod method, RefundWindow window, Instant now) {
    return new Refund(
        id,
        orderId,
        kind,
        causeId,
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

  /** The cancellation request this refund pays back for: a whole cancellation's (if it had one) or a partial one's. */
  public UUID cancellationRequestId() {
    return kind == RefundKind.CANCELLATION || kind == RefundKind.PARTIAL ? causeId : null;
  }

  /** The return this refund pays back for, if it is a return's refund. */
  public UUID returnId() {
    return kind == RefundKind.RETURN ? causeId : null;
  }

  /** The modification this refund pays back for, if it is a modification's refund. */
  public UUID modificationId() {
    return kind == RefundKind.MODIFICATION ? causeId : null;
  }

  /** The dispute this refund pays back for, if it is a dispute's refund. */
  public UUID disputeId() {
    return kind == RefundKind.DISPUTE ? causeId : null;
  }

  /** The support case this refund pays back for, if support issued it resolving one. */
  public UUID supportCaseId() {
    return kind == RefundKind.SUPPORT ? causeId : null;
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
        id, orderId, kind, causeId, amount, paymentMethod, target, window, expectedEarliest, expectedLatest, reason, createdAt, now, version + 1);
  }
}
