package dev.marketplace.orders.domain.usecase;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.TimeOrderedIds;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.persistence.UnitOfWork;
import dev.marketplace.orders.domain.refund.Refund;
import dev.marketplace.orders.domain.refund.RefundKind;
import dev.marketplace.orders.domain.refund.RefundWindowPolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Issues a refund, in one place for every kind: checks the money invariant on the order (its refunds
 * never exceed what was captured), stores the refund INITIATED with the arrival window of the order's
 * payment method, records REFUND_INITIATED in the history, and returns the order showing it. Runs in
 * the caller's transaction, on an order whose row the caller has locked; the order's refunded sum is
 * written with the order (and a CHECK on the row refuses any sum beyond the capture).
 */
public final class RefundIssuer {

  private final RefundWindowPolicy windows;
  private final TimeOrderedIds ids;

  public RefundIssuer(RefundWindowPolicy windows, Clock clock) {
    this.windows = windows;
    this.ids = new TimeOrderedIds(clock);
  }

  /**
   * Refunds {@code amount} of {@code order} (as it is after the change that causes the refund) for
   * {@code causeId}, on behalf of the actor whose decision caused it.
   */
  Order issue(UnitOfWork uow, Order order, RefundKind kind, UUID causeId, Money amount, String actorSubject, Role actorRole, Instant now) {
    Refund refund =
        Refund.initiate(ids.next(), order.id(), kind, causeId, amount, order.paymentMethod(), windows.windowFor(order.paymentMethod()), now);
    Order refunded = order.withRefundIssued(refund);
    uow.refunds().insert(refund);
    uow.orders().update(refunded);
    Map<String, String> details = new HashMap<>();
    details.put("refundId", refund.id().toString());
    details.put("kind", kind.name());
    if (causeId != null) {
      details.put(
          switch (kind) {
            case CANCELLATION, PARTIAL -> "cancellationRequestId";
            case MODIFICATION -> "modificationId";
            case DISPUTE -> "disputeId";
            case SUPPORT -> "supportCaseId";
            case RETURN -> "returnId";
          },
          causeId.toString());
    }
    details.put("amount", Long.toString(amount.amountMinor()));
    details.put("currencyCode", amount.currencyCode());
    details.put("expectedBusinessDays", refund.window().toString());
    uow.events().append(order.id(), OrderEventType.REFUND_INITIATED, actorSubject, actorRole, now, refunded.state(), details);
    return refunded;
  }
}
