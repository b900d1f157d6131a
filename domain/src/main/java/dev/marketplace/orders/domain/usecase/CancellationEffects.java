package dev.marketplace.orders.domain.usecase;

import dev.marketplace.orders.domain.order.CancellationKind;
import dev.marketplace.orders.domain.cancellation.CancellationRequest;
import dev.marketplace.orders.domain.cancellation.CancellationSettings;

import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderCancellation;
import dev.marketplace.orders.domain.order.OrderIds;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.persistence.UnitOfWork;
import dev.marketplace.orders.domain.refund.Refund;
import java.time.Instant;
import java.util.Map;

/**
 * What granting a cancellation request does, whoever grants it (the seller now, or the platform at
 * the deadline), in the caller's transaction and under the order's row lock: the request is
 * resolved, the order CANCELLED, the refund INITIATED, and the history records all three.
 */
final class CancellationEffects {

  private final CancellationSettings settings;
  private final OrderIds ids;

  CancellationEffects(CancellationSettings settings, OrderIds ids) {
    this.settings = settings;
    this.ids = ids;
  }

  /** Grants {@code request} (already resolved as APPROVED or AUTO_APPROVED) on the locked {@code order}. */
  Order grant(UnitOfWork uow, Order order, CancellationRequest resolved, CancellationKind kind, Instant now) {
    uow.cancellations().update(resolved);
    OrderEventType requestEvent =
        kind == CancellationKind.AUTO_APPROVED ? OrderEventType.CANCELLATION_AUTO_APPROVED : OrderEventType.CANCELLATION_APPROVED;
    uow.events()
        .append(order.id(), requestEvent, resolved.resolvedBySubject(), resolved.resolvedByRole(), now, OrderState.CANCELLED, requestDetails(resolved));
    OrderCancellation how =
        new OrderCancellation(kind, resolved.reason(), resolved.resolvedBySubject(), resolved.resolvedByRole(), now, resolved.id());
    return cancelAndRefund(uow, order, how, Map.of("kind", kind.name(), "reason", resolved.reason().name()));
  }

  /**
   * Cancels the locked {@code order} as {@code how} says and, if it was paid, initiates the refund of
   * its total: the order row, the refund row and the history entries, in the caller's transaction.
   */
  Order cancelAndRefund(UnitOfWork uow, Order order, OrderCancellation how, Map<String, String> details) {
    Instant now = how.cancelledAt();
    Order cancelled = order.cancel(how);
    uow.orders().update(cancelled);
    uow.events().append(order.id(), OrderEventType.ORDER_CANCELLED, how.actorSubject(), how.actorRole(), now, cancelled.state(), details);
    if (order.payment() == null) {
      return cancelled;
    }
    Refund refund =
        Refund.initiate(
            ids.next(),
            order.id(),
            how.cancellationRequestId(),
            order.total(),
            order.paymentMethod(),
            settings.refundWindows().windowFor(order.paymentMethod()),
            now);
    uow.refunds().insert(refund);
    uow.events()
        .append(
            order.id(),
            OrderEventType.REFUND_INITIATED,
            how.actorSubject(),
            how.actorRole(),
            now,
            cancelled.state(),
            Map.of(
                "refundId", refund.id().toString(),
                "amount", Long.toString(refund.amount().amountMinor()),
                "currencyCode", refund.amount().currencyCode(),
                "expectedBusinessDays", refund.window().toString()));
    return cancelled.withRefund(refund);
  }

  static Map<String, String> requestDetails(CancellationRequest request) {
    return Map.of(
        "cancellationRequestId", request.id().toString(),
        "reference", request.reference(),
        "reason", request.reason().name());
  }
}
