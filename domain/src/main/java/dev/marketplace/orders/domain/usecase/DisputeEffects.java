package dev.marketplace.orders.domain.usecase;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.cancellation.CancellationSettings;
import dev.marketplace.orders.domain.dispute.Dispute;
import dev.marketplace.orders.domain.dispute.DisputeOutcome;
import dev.marketplace.orders.domain.dispute.DisputeSettings;
import dev.marketplace.orders.domain.dispute.DisputeState;
import dev.marketplace.orders.domain.dispute.DisputeView;
import dev.marketplace.orders.domain.dispute.NewDispute;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.TimeOrderedIds;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.persistence.UnitOfWork;
import dev.marketplace.orders.domain.refund.Refund;
import dev.marketplace.orders.domain.refund.RefundKind;
import dev.marketplace.orders.domain.returns.Return;
import dev.marketplace.orders.domain.returns.ReturnRules;
import dev.marketplace.orders.domain.support.SupportCase;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What each dispute step does, in one place: the dispute's row, the order's history entry, a short
 * platform message in the order's conversation (both parties read it where they talk), and - for an
 * outcome with money - the DISPUTE refund through {@link RefundIssuer}, which holds the order's
 * refundable balance. Each runs in the caller's transaction on an order whose row the caller has
 * locked, after the caller has checked that the step is allowed.
 */
public final class DisputeEffects {

  private final DisputeSettings settings;
  private final TimeOrderedIds ids;
  private final RefundIssuer refunds;

  public DisputeEffects(CancellationSettings cancellationSettings, DisputeSettings settings, Clock clock) {
    this.settings = settings;
    this.ids = new TimeOrderedIds(clock);
    this.refunds = new RefundIssuer(cancellationSettings.refundWindows(), clock);
  }

  DisputeSettings settings() {
    return settings;
  }

  DisputeView open(UnitOfWork uow, Order order, NewDispute request, Money asked, Principal buyer, Instant now) {
    Dispute dispute =
        Dispute.open(
            ids.next(), order.id(), order.buyerId(), order.sellerId(), request.reason(), request.description(), request.evidenceUris(),
            asked, request.returnAsked(), order.currencyCode(), now, settings);
    uow.disputes().insert(dispute);
    Map<String, String> details = new HashMap<>(details(dispute));
    details.put("reason", dispute.reason().name());
    details.put("askedRefund", request.returnAsked() ? "RETURN" : asked == null ? "FULL" : Long.toString(asked.amountMinor()));
    details.put("respondBy", dispute.respondBy().toString());
    record(uow, order, dispute, OrderEventType.DISPUTE_OPENED, buyer.subject(), buyer.role(), now, details,
        "The buyer opened dispute " + dispute.id() + " (" + dispute.reason() + ") asking for "
            + (request.returnAsked()
                ? "a return and refund"
                : asked == null ? "a full refund" : "a refund of " + asked.amountMinor() + " " + asked.currencyCode() + " minor units")
            + ". The seller may accept, offer a partial refund or reject; not agreed by " + dispute.respondBy()
            + ", it goes to customer support.");
    return new DisputeView(dispute, Optional.empty());
  }

  /** The seller accepts: the asked refund (a full one is what the order can still refund) is issued. */
  DisputeView acceptBySeller(UnitOfWork uow, Order order, Dispute dispute, Principal seller, String note, Instant now) {
    if (dispute.returnAsked()) {
      Dispute resolved = dispute.acceptBySeller(seller, note, null, now);
      return resolveWithReturn(
          uow, order, resolved, OrderEventType.DISPUTE_ACCEPTED_BY_SELLER, seller.subject(), seller.role(), now,
          "The seller accepted dispute " + dispute.id() + " with a return and refund.");
    }
    Money amount = dispute.fullRefundAsked() ? order.refundable() : dispute.askedAmount();
    Dispute resolved = dispute.acceptBySeller(seller, note, amount, now);
    return resolveWithRefund(
        uow, order, resolved, OrderEventType.DISPUTE_ACCEPTED_BY_SELLER, seller.subject(), seller.role(), now,
        "The seller accepted dispute " + dispute.id() + ".");
  }

  DisputeView offer(UnitOfWork uow, Order order, Dispute dispute, Principal seller, Money amount, String note, Instant now) {
    Dispute offered = dispute.offer(seller, amount, note, now);
    uow.disputes().update(offered);
    Map<String, String> details = new HashMap<>(details(offered));
    details.put("offeredMinor", Long.toString(amount.amountMinor()));
    record(uow, order, offered, OrderEventType.DISPUTE_OFFER_MADE, seller.subject(), seller.role(), now, details,
        "The seller offered a partial refund of " + amount.amountMinor() + " " + amount.currencyCode() + " minor units on dispute "
            + dispute.id() + ". The buyer may accept it or escalate to customer support.");
    return new DisputeView(offered, Optional.empty());
  }

  DisputeView reject(UnitOfWork uow, Order order, Dispute dispute, Principal seller, String note, List<String> evidence, Instant now) {
    Dispute rejected = dispute.reject(seller, note, evidence, now);
    uow.disputes().update(rejected);
    record(uow, order, rejected, OrderEventType.DISPUTE_REJECTED_BY_SELLER, seller.subject(), seller.role(), now, details(rejected),
        "The seller rejected dispute " + dispute.id() + ". The buyer may escalate it to customer support.");
    return new DisputeView(rejected, Optional.empty());
  }

  DisputeView acceptOffer(UnitOfWork uow, Order order, Dispute dispute, Principal buyer, Instant now) {
    Dispute resolved = dispute.acceptOffer(buyer, now);
    return resolveWithRefund(
        uow, order, resolved, OrderEventType.DISPUTE_OFFER_ACCEPTED, buyer.subject(), buyer.role(), now,
        "The buyer accepted the seller's offer on dispute " + dispute.id() + ".");
  }

  DisputeView escalate(UnitOfWork uow, Order order, Dispute dispute, Principal party, Instant now) {
    Dispute escalated = dispute.escalate(party.subject(), party.role(), now);
    uow.disputes().update(escalated);
    uow.events().append(order.id(), OrderEventType.DISPUTE_ESCALATED, party.subject(), party.role(), now, order.state(), details(escalated));
    SupportCase queued = SupportCaseEffects.openForDispute(uow, order, escalated, ids.next(), now);
    Conversations.postFromPlatform(
        uow, order, ids.next(),
        "The " + party.role().name().toLowerCase() + " escalated dispute " + dispute.id() + " to customer support (case "
            + queued.reference() + ").",
        now);
    return new DisputeView(escalated, Optional.empty());
  }

  /** The parties did not agree by the deadline: the platform hands the dispute to support. */
  DisputeView expire(UnitOfWork uow, Order order, Dispute dispute, Instant now) {
    Dispute escalated = dispute.escalate(Conversations.PLATFORM_SUBJECT, Role.SYSTEM, now);
    uow.disputes().update(escalated);
    uow.events()
        .append(order.id(), OrderEventType.DISPUTE_AUTO_ESCALATED, Conversations.PLATFORM_SUBJECT, Role.SYSTEM, now, order.state(), details(escalated));
    SupportCase queued = SupportCaseEffects.openForDispute(uow, order, escalated, ids.next(), now);
    Conversations.postFromPlatform(
        uow, order, ids.next(),
        "Dispute " + dispute.id() + " was not agreed by " + dispute.respondBy() + " and went to customer support (case "
            + queued.reference() + ").",
        now);
    return new DisputeView(escalated, Optional.empty());
  }

  /** Support's decision: the full refund is what the order can still refund; a partial one must fit in it. */
  DisputeView resolveBySupport(
      UnitOfWork uow, Order order, Dispute dispute, Principal support, DisputeOutcome outcome, Money partial, String note, Instant now) {
    Money amount =
        switch (outcome) {
          case SUPPORT_FULL_REFUND -> order.refundable();
          case SUPPORT_PARTIAL_REFUND -> partial;
          default -> null;
        };
    Dispute resolved = dispute.resolveBySupport(support, outcome, amount, note, now);
    DisputeView view =
        outcome.opensReturn()
            ? resolveWithReturn(
                uow, order, resolved, OrderEventType.DISPUTE_RESOLVED_BY_SUPPORT, support.subject(), support.role(), now,
                "Customer support resolved dispute " + dispute.id() + ": " + outcome + ". " + note)
            : resolveWithRefund(
            uow, order, resolved, OrderEventType.DISPUTE_RESOLVED_BY_SUPPORT, support.subject(), support.role(), now,
            "Customer support resolved dispute " + dispute.id() + ": " + outcome + ". " + note);
    // The dispute's case leaves the support queue with it.
    SupportCaseEffects.closeForDispute(
        uow, order, resolved, view.refund().map(Refund::id).orElse(null), support.subject(), support.role(), note, now);
    return view;
  }

  DisputeView withdraw(UnitOfWork uow, Order order, Dispute dispute, Principal buyer, Instant now) {
    Dispute withdrawn = dispute.withdraw(buyer, now);
    uow.disputes().update(withdrawn);
    if (dispute.state() == DisputeState.ESCALATED) {
      // Its case leaves the support queue with it.
      SupportCaseEffects.closeForDispute(uow, order, withdrawn, null, buyer.subject(), buyer.role(), "The buyer withdrew the dispute.", now);
    }
    record(uow, order, withdrawn, OrderEventType.DISPUTE_WITHDRAWN, buyer.subject(), buyer.role(), now, details(withdrawn),
        "The buyer withdrew dispute " + dispute.id() + ".");
    return new DisputeView(withdrawn, Optional.empty());
  }

  /**
   * Resolved with "return and refund": no refund now; an APPROVED return of every unit the buyer still
   * keeps, whose receipt refunds their share (see {@link ReturnEffects}). The caller has checked that
   * the order can have one ({@link ReturnRules#requireReturnableByDispute}).
   */
  private DisputeView resolveWithReturn(
      UnitOfWork uow, Order order, Dispute resolved, OrderEventType type, String subject, Role role, Instant now, String message) {
    uow.disputes().update(resolved);
    Map<String, String> details = new HashMap<>(details(resolved));
    details.put("outcome", resolved.outcome().name());
    details.put("refundedMinor", "0");
    uow.events().append(order.id(), type, subject, role, now, order.state(), details);
    Conversations.postFromPlatform(uow, order, ids.next(), message, now);
    Return opened =
        ReturnEffects.openForDispute(uow, order, resolved, ReturnRules.everythingRemaining(order), subject, role, ids.next(), ids.next(), now);
    return new DisputeView(resolved, Optional.empty(), Optional.of(opened.id()));
  }

  private DisputeView resolveWithRefund(
      UnitOfWork uow, Order order, Dispute resolved, OrderEventType type, String subject, Role role, Instant now, String message) {
    uow.disputes().update(resolved);
    Map<String, String> details = new HashMap<>(details(resolved));
    details.put("outcome", resolved.outcome().name());
    details.put("refundedMinor", resolved.refunded() == null ? "0" : Long.toString(resolved.refunded().amountMinor()));
    uow.events().append(order.id(), type, subject, role, now, order.state(), details);
    Optional<Refund> refund = Optional.empty();
    String text = message;
    if (resolved.refunded() != null) {
      // Once per dispute (the refund's unique key on dispute_id), within the order's refundable balance.
      Order refunded = refunds.issue(uow, order, RefundKind.DISPUTE, resolved.id(), resolved.refunded(), subject, role, now);
      refund = Optional.of(refunded.refunds().get(refunded.refunds().size() - 1));
      text += " A refund of " + resolved.refunded().amountMinor() + " " + resolved.refunded().currencyCode()
          + " minor units is on its way.";
    } else {
      text += " No refund.";
    }
    Conversations.postFromPlatform(uow, order, ids.next(), text, now);
    return new DisputeView(resolved, refund);
  }

  private void record(
      UnitOfWork uow,
      Order order,
      Dispute dispute,
      OrderEventType type,
      String subject,
      Role role,
      Instant now,
      Map<String, String> details,
      String message) {
    uow.events().append(order.id(), type, subject, role, now, order.state(), details);
    Conversations.postFromPlatform(uow, order, ids.next(), message, now);
  }

  static Map<String, String> details(Dispute dispute) {
    return Map.of("disputeId", dispute.id().toString(), "disputeState", dispute.state().name());
  }
}
