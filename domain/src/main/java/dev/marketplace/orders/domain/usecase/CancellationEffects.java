package dev.marketplace.orders.domain.usecase;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.cancellation.CancelResult;
import dev.marketplace.orders.domain.cancellation.CancellationRequest;
import dev.marketplace.orders.domain.cancellation.CancellationRequestView;
import dev.marketplace.orders.domain.cancellation.CancellationSettings;
import dev.marketplace.orders.domain.cancellation.PartialCancellation;
import dev.marketplace.orders.domain.cancellation.Rejection;
import dev.marketplace.orders.domain.cancellation.RejectionReason;
import dev.marketplace.orders.domain.cancellation.RequestReferences;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.order.CancellationKind;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.domain.order.LineQuantity;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderCancellation;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.order.TimeOrderedIds;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.persistence.UnitOfWork;
import dev.marketplace.orders.domain.refund.Refund;
import dev.marketplace.orders.domain.refund.RefundKind;
import dev.marketplace.orders.domain.refund.RefundResult;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What each cancellation decision does, in one place: the buyer's instant cancel and request, the
 * seller's approval and rejection, the buyer's withdrawal, the platform's approval at the deadline,
 * support's forced cancel, and the refund's result. Each runs in the caller's transaction on an order
 * whose row the caller has locked, after the caller has checked that the decision is allowed; each
 * writes the order, the request, the refund and the history entries together.
 */
public final class CancellationEffects {

  private final CancellationSettings settings;
  private final TimeOrderedIds ids;
  private final RequestReferences references = new RequestReferences();
  private final RefundIssuer refunds;

  public CancellationEffects(CancellationSettings settings, Clock clock) {
    this.settings = settings;
    this.ids = new TimeOrderedIds(clock);
    this.refunds = new RefundIssuer(settings.refundWindows(), clock);
  }

  /** An unpaid order, cancelled by its buyer at once: nothing to refund. */
  CancelResult cancelUnpaid(UnitOfWork uow, Order order, Principal buyer, CancellationReason reason, String explanation, Instant now) {
    Order cancelled =
        order.cancel(new OrderCancellation(CancellationKind.BUYER_CANCELLED_UNPAID, reason, buyer.subject(), buyer.role(), now, null));
    uow.orders().update(cancelled);
    Map<String, String> details = new HashMap<>();
    details.put("kind", CancellationKind.BUYER_CANCELLED_UNPAID.name());
    details.put("reason", reason.name());
    if (!explanation.isEmpty()) {
      details.put("explanation", explanation);
    }
    uow.events().append(order.id(), OrderEventType.ORDER_CANCELLED, buyer.subject(), buyer.role(), now, cancelled.state(), details);
    // A proposal waiting on an unpaid order goes with it: the buyer chose to cancel instead.
    ModificationEffects.closeWithOrder(uow, order, buyer.subject(), buyer.role(), now);
    return new CancelResult(CancelResult.Outcome.CANCELLED, cancelled, Optional.empty());
  }

  /**
   * Some units of an unpaid order, cancelled by its buyer at once: the lines count them cancelled, the
   * total drops by their price, the order goes on with the rest; nothing to refund.
   */
  CancelResult cancelUnpaidUnits(
      UnitOfWork uow, Order order, Principal buyer, CancellationReason reason, String explanation, List<LineQuantity> lines, Instant now) {
    Order after = order.cancelUnits(lines, now);
    uow.orders().update(after);
    Map<String, String> details = new HashMap<>(PartialCancellation.details(after, lines));
    details.put("kind", CancellationKind.BUYER_CANCELLED_UNPAID.name());
    details.put("reason", reason.name());
    details.put("amount", Long.toString(PartialCancellation.share(order, lines).amountMinor()));
    details.put("currencyCode", order.currencyCode());
    if (!explanation.isEmpty()) {
      details.put("explanation", explanation);
    }
    uow.events().append(order.id(), OrderEventType.ORDER_PARTIALLY_CANCELLED, buyer.subject(), buyer.role(), now, after.state(), details);
    return new CancelResult(CancelResult.Outcome.PARTIALLY_CANCELLED, after, Optional.empty());
  }

  /** A paid order awaiting shipment: a request the seller must answer within the response window. */
  CancelResult openRequest(UnitOfWork uow, Order order, Principal buyer, CancellationReason reason, String explanation, Instant now) {
    return openRequest(uow, order, buyer, reason, explanation, List.of(), now);
  }

  /**
   * The same for some units only (none: the whole order). A partial request waits, is answered and
   * expires as a whole one does; its approval cancels exactly these units and refunds their share.
   */
  CancelResult openRequest(
      UnitOfWork uow, Order order, Principal buyer, CancellationReason reason, String explanation, List<LineQuantity> lines, Instant now) {
    CancellationRequest request =
        CancellationRequest.open(
            ids.next(),
            references.next(),
            order.id(),
            order.buyerId(),
            order.sellerId(),
            reason,
            explanation,
            now,
            now.plus(settings.sellerResponseWindow()),
            PartialCancellation.byLine(lines));
    uow.cancellations().insert(request);
    Map<String, String> details = new HashMap<>(requestDetails(request));
    details.put("respondBy", request.respondBy().toString());
    if (!explanation.isEmpty()) {
      details.put("explanation", explanation);
    }
    uow.events().append(order.id(), OrderEventType.CANCELLATION_REQUESTED, buyer.subject(), buyer.role(), now, order.state(), details);
    return new CancelResult(CancelResult.Outcome.REQUESTED, order, Optional.of(request));
  }

  /** The seller approves: the request APPROVED, the order CANCELLED, the refund INITIATED. */
  CancellationRequestView approve(UnitOfWork uow, Order order, CancellationRequest request, Principal seller, Instant now) {
    CancellationRequest approved = request.approve(seller.subject(), seller.role(), now);
    Order cancelled = grant(uow, order, approved, CancellationKind.SELLER_APPROVED, now);
    // The refund the approval caused: the cancellation's, or a partial request's share (kind PARTIAL).
    return new CancellationRequestView(
        approved, cancelled.refunds().stream().filter(r -> approved.id().equals(r.cancellationRequestId())).findFirst());
  }

  /** The seller stayed silent until the deadline: the platform approves, cancels and refunds. */
  Order expire(UnitOfWork uow, Order order, CancellationRequest request, Instant now) {
    return grant(uow, order, request.autoApprove(now), CancellationKind.AUTO_APPROVED, now);
  }

  /**
   * The seller rejects: the order stays as it is, unless the reason is that it already shipped - then
   * it becomes SHIPPED with the carrier and tracking number the seller gave.
   */
  CancellationRequestView reject(UnitOfWork uow, Order order, CancellationRequest request, Rejection rejection, Principal seller, Instant now) {
    CancellationRequest rejected = request.reject(rejection.reason(), rejection.note(), seller.subject(), seller.role(), now);
    uow.cancellations().update(rejected);
    Map<String, String> details = new HashMap<>(requestDetails(rejected));
    details.put("rejectionReason", rejection.reason().name());
    if (!rejection.note().isEmpty()) {
      details.put("note", rejection.note());
    }
    Order after = order;
    if (rejection.reason() == RejectionReason.ALREADY_SHIPPED) {
      after = order.ship(rejection.carrier(), rejection.trackingNumber(), now);
      uow.orders().update(after);
    }
    uow.events().append(order.id(), OrderEventType.CANCELLATION_REJECTED, seller.subject(), seller.role(), now, after.state(), details);
    if (after != order) {
      uow.events()
          .append(
              order.id(), OrderEventType.ORDER_SHIPPED, seller.subject(), seller.role(), now, after.state(),
              Map.of("carrier", rejection.carrier(), "trackingNumber", rejection.trackingNumber()));
    }
    return new CancellationRequestView(rejected, Optional.empty());
  }

  /** The buyer takes the request back; the order goes on as if nothing was asked. */
  CancellationRequestView withdraw(UnitOfWork uow, Order order, CancellationRequest request, Principal buyer, Instant now) {
    CancellationRequest withdrawn = request.withdraw(buyer.subject(), buyer.role(), now);
    uow.cancellations().update(withdrawn);
    uow.events()
        .append(order.id(), OrderEventType.CANCELLATION_WITHDRAWN, buyer.subject(), buyer.role(), now, order.state(), requestDetails(withdrawn));
    return new CancellationRequestView(withdrawn, Optional.empty());
  }

  /**
   * Support cancels whatever the buyer and seller said: a pending request is resolved by support, the
   * order cancelled, a paid order refunded; the agent and their reason on every history entry.
   */
  Order forceCancel(UnitOfWork uow, Order order, Optional<CancellationRequest> pending, Principal agent, String reason, Instant now) {
    CancellationReason buyerReason = pending.map(CancellationRequest::reason).orElse(CancellationReason.OTHER);
    Map<String, String> details = new HashMap<>();
    details.put("kind", CancellationKind.SUPPORT.name());
    details.put("supportReason", reason);
    if (pending.isPresent()) {
      CancellationRequest resolved = pending.get().resolveBySupport(reason, agent.subject(), agent.role(), now);
      uow.cancellations().update(resolved);
      Map<String, String> requestDetails = new HashMap<>(requestDetails(resolved));
      requestDetails.put("supportReason", reason);
      uow.events()
          .append(order.id(), OrderEventType.CANCELLATION_RESOLVED_BY_SUPPORT, agent.subject(), agent.role(), now, OrderState.CANCELLED, requestDetails);
    }
    OrderCancellation how =
        new OrderCancellation(
            CancellationKind.SUPPORT, buyerReason, agent.subject(), agent.role(), now, pending.map(CancellationRequest::id).orElse(null));
    return cancelAndRefund(uow, order, how, details);
  }

  /** Payments reports the refund COMPLETED or FAILED. */
  Refund recordRefundResult(UnitOfWork uow, Order order, Refund refund, RefundResult result, Principal reporter, Instant now) {
    Refund settled = result.completed() ? refund.complete(now) : refund.fail(result.failureReason(), now);
    uow.refunds().update(settled);
    Map<String, String> details = new HashMap<>();
    details.put("refundId", settled.id().toString());
    if (!result.completed() && !result.failureReason().isEmpty()) {
      details.put("failureReason", result.failureReason());
    }
    uow.events()
        .append(
            order.id(), result.completed() ? OrderEventType.REFUND_COMPLETED : OrderEventType.REFUND_FAILED, reporter.subject(),
            reporter.role(), now, order.state(), details);
    return settled;
  }

  /** Grants {@code resolved} (APPROVED or AUTO_APPROVED): the request, the order, the refund, the history. */
  private Order grant(UnitOfWork uow, Order order, CancellationRequest resolved, CancellationKind kind, Instant now) {
    uow.cancellations().update(resolved);
    OrderEventType requestEvent =
        kind == CancellationKind.AUTO_APPROVED ? OrderEventType.CANCELLATION_AUTO_APPROVED : OrderEventType.CANCELLATION_APPROVED;
    uow.events()
        .append(
            order.id(), requestEvent, resolved.resolvedBySubject(), resolved.resolvedByRole(), now,
            resolved.isPartial() ? order.state() : OrderState.CANCELLED, requestDetails(resolved));
    if (resolved.isPartial()) {
      return cancelUnitsAndRefund(uow, order, resolved, kind, now);
    }
    OrderCancellation how =
        new OrderCancellation(kind, resolved.reason(), resolved.resolvedBySubject(), resolved.resolvedByRole(), now, resolved.id());
    return cancelAndRefund(uow, order, how, Map.of("kind", kind.name(), "reason", resolved.reason().name()));
  }

  /**
   * Cancels the order as {@code how} says and, if it was paid, refunds what is still refundable: its
   * total, less nothing, or less what earlier refunds (a cheaper modification's) already returned.
   */
  private Order cancelAndRefund(UnitOfWork uow, Order order, OrderCancellation how, Map<String, String> details) {
    Instant now = how.cancelledAt();
    Order cancelled = order.cancel(how);
    uow.orders().update(cancelled);
    uow.events().append(order.id(), OrderEventType.ORDER_CANCELLED, how.actorSubject(), how.actorRole(), now, cancelled.state(), details);
    // However the order is cancelled, a modification still waiting on it closes with it.
    ModificationEffects.closeWithOrder(uow, order, how.actorSubject(), how.actorRole(), now);
    if (order.payment() == null) {
      return cancelled;
    }
    return refunds.issue(
        uow, cancelled, RefundKind.CANCELLATION, how.cancellationRequestId(), cancelled.refundable(), how.actorSubject(), how.actorRole(), now);
  }

  /**
   * A partial request granted: exactly its units cancelled, the order going on with the rest, and their
   * share refunded (kind PARTIAL, caused by the request) - within what the order may still refund, so
   * that the platform's approval at the deadline never fails on money a dispute or support already
   * returned. The row's lock (the caller's) makes the check and the write one step.
   */
  private Order cancelUnitsAndRefund(UnitOfWork uow, Order order, CancellationRequest resolved, CancellationKind kind, Instant now) {
    Order after = order.cancelUnits(resolved.lines(), now);
    uow.orders().update(after);
    Money share = PartialCancellation.share(order, resolved.lines());
    Map<String, String> details = new HashMap<>(PartialCancellation.details(after, resolved.lines()));
    details.put("kind", kind.name());
    details.put("reason", resolved.reason().name());
    details.put("cancellationRequestId", resolved.id().toString());
    details.put("amount", Long.toString(share.amountMinor()));
    details.put("currencyCode", share.currencyCode());
    uow.events()
        .append(
            order.id(), OrderEventType.ORDER_PARTIALLY_CANCELLED, resolved.resolvedBySubject(), resolved.resolvedByRole(), now,
            after.state(), details);
    if (order.payment() == null) {
      return after;
    }
    Money refundable = after.refundable();
    Money amount = share.isMoreThan(refundable) ? refundable : share;
    if (amount.amountMinor() == 0) {
      return after;
    }
    return refunds.issue(
        uow, after, RefundKind.PARTIAL, resolved.id(), amount, resolved.resolvedBySubject(), resolved.resolvedByRole(), now);
  }

  static Map<String, String> requestDetails(CancellationRequest request) {
    Map<String, String> details = new HashMap<>();
    details.put("cancellationRequestId", request.id().toString());
    details.put("reference", request.reference());
    details.put("reason", request.reason().name());
    if (request.isPartial()) {
      StringBuilder lines = new StringBuilder();
      request.lines().forEach(l -> lines.append(lines.length() == 0 ? "" : ",").append(l.lineIndex()).append(':').append(l.quantity()));
      details.put("lines", lines.toString());
    }
    return details;
  }
}
