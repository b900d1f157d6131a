package dev.marketplace.orders.domain.usecase;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.cancellation.CancellationRequest;
import dev.marketplace.orders.domain.cancellation.CancellationSettings;
import dev.marketplace.orders.domain.cancellation.RequestReferences;
import dev.marketplace.orders.domain.dispute.Dispute;
import dev.marketplace.orders.domain.dispute.DisputeRules;
import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.order.TimeOrderedIds;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.persistence.UnitOfWork;
import dev.marketplace.orders.domain.refund.Refund;
import dev.marketplace.orders.domain.refund.RefundKind;
import dev.marketplace.orders.domain.support.NewSupportCase;
import dev.marketplace.orders.domain.support.SupportAction;
import dev.marketplace.orders.domain.support.SupportCase;
import dev.marketplace.orders.domain.support.SupportCaseKind;
import dev.marketplace.orders.domain.support.SupportCaseView;
import dev.marketplace.orders.domain.support.SupportFinding;
import dev.marketplace.orders.domain.support.SupportResolution;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What each support step does, in one place: the case's row, the order's history entry (with the
 * agent and the reason for every support action), a platform message in the order's conversation,
 * and - for a resolution with money - the forced cancellation ({@link CancellationEffects#forceCancel})
 * or the SUPPORT refund ({@link RefundIssuer}). Escalated disputes open and close their cases through
 * the static methods here. Each runs in the caller's transaction on an order whose row the caller has
 * locked, after the caller has checked that the step is allowed.
 */
public final class SupportCaseEffects {

  private static final RequestReferences REFERENCES = new RequestReferences("SC-");

  private final TimeOrderedIds ids;
  private final RefundIssuer refunds;
  private final CancellationEffects cancellations;

  public SupportCaseEffects(CancellationSettings cancellationSettings, CancellationEffects cancellations, Clock clock) {
    this.ids = new TimeOrderedIds(clock);
    this.refunds = new RefundIssuer(cancellationSettings.refundWindows(), clock);
    this.cancellations = cancellations;
  }

  /** A buyer's or a seller's case, with what the service found. */
  SupportCaseView open(UnitOfWork uow, Order order, NewSupportCase request, CaseFindings.Facts facts, Principal opener, Instant now) {
    SupportCase opened =
        SupportCase.open(
            ids.next(), REFERENCES.next(), order.id(), order.buyerId(), order.sellerId(), request.kind(), opener.subject(), opener.role(),
            facts.cancellationRequestId(), facts.modificationId(), null, request.description(), request.evidenceUris(), facts.finding(),
            facts.detail(), now);
    insert(uow, order, opened, now);
    Conversations.postFromPlatform(
        uow, order, ids.next(),
        "The " + opener.role().name().toLowerCase() + " asked customer support to step in (" + opened.kind() + ", case "
            + opened.reference() + "). What the service found: " + opened.findingDetail(),
        now);
    return new SupportCaseView(opened, Optional.empty());
  }

  /** An agent takes the case, or hands it over; the note, if any, goes into the history. */
  SupportCaseView assign(UnitOfWork uow, Order order, SupportCase supportCase, Principal agent, String assignee, String note, Instant now) {
    SupportCase assigned = supportCase.assign(assignee, now);
    uow.supportCases().update(assigned);
    Map<String, String> details = new HashMap<>(details(assigned));
    details.put("assignee", assignee);
    if (!note.isEmpty()) {
      details.put("note", note);
    }
    uow.events().append(order.id(), OrderEventType.SUPPORT_CASE_ASSIGNED, agent.subject(), agent.role(), now, order.state(), details);
    return new SupportCaseView(assigned, refund(uow, assigned));
  }

  /**
   * Support resolves the case: forces the cancellation (with {@code pending}, the request the order
   * may still have waiting), issues a refund, or does nothing; the case, the history and the
   * conversation say so, with the agent's note.
   */
  SupportCaseView resolve(
      UnitOfWork uow, Order order, Optional<CancellationRequest> pending, SupportCase supportCase, Principal agent,
      SupportResolution resolution, Instant now) {
    String reason = "support case " + supportCase.reference() + ": " + resolution.note();
    Money amount = null;
    if (resolution instanceof SupportResolution.ForceCancellation && !order.state().canBecome(OrderState.CANCELLED)) {
      throw order.refusedTransition(OrderState.CANCELLED);
    }
    if (resolution instanceof SupportResolution.IssueRefund refund) {
      amount = refund.full() ? everythingRefundable(order) : DisputeRules.refundAmount(order, refund.amount(), "refund.partial_refund");
    }
    Map<String, String> details = new HashMap<>(details(supportCase));
    details.put("caseState", "RESOLVED");
    details.put("action", resolution.action().name());
    details.put("note", resolution.note());
    if (amount != null) {
      details.put("refundMinor", Long.toString(amount.amountMinor()));
    }
    OrderState after = resolution instanceof SupportResolution.ForceCancellation ? OrderState.CANCELLED : order.state();
    uow.events().append(order.id(), OrderEventType.SUPPORT_CASE_RESOLVED, agent.subject(), agent.role(), now, after, details);
    UUID refundId = null;
    if (resolution instanceof SupportResolution.ForceCancellation) {
      Order cancelled = cancellations.forceCancel(uow, order, pending, agent, reason, now);
      refundId = cancelled.refundInfo().map(Refund::id).orElse(null);
    } else if (amount != null) {
      Order refunded = refunds.issue(uow, order, RefundKind.SUPPORT, supportCase.id(), amount, agent.subject(), agent.role(), now);
      refundId = refunded.refunds().get(refunded.refunds().size() - 1).id();
    }
    SupportCase resolved = supportCase.resolve(resolution.action(), refundId, resolution.note(), agent.subject(), agent.role(), now);
    uow.supportCases().update(resolved);
    String outcome =
        switch (resolution.action()) {
          case FORCE_CANCELLATION -> "the order is cancelled" + (refundId == null ? "." : " and refunded.");
          case REFUND -> "a refund of " + amount.amountMinor() + " " + amount.currencyCode() + " minor units is on its way.";
          default -> "no action.";
        };
    Conversations.postFromPlatform(
        uow, order, ids.next(), "Customer support resolved case " + resolved.reference() + ": " + outcome + " " + resolution.note(), now);
    return new SupportCaseView(resolved, refund(uow, resolved));
  }

  /** An escalated dispute joins the support queue as a case opened by whoever escalated it. */
  static SupportCase openForDispute(UnitOfWork uow, Order order, Dispute escalated, UUID id, Instant now) {
    SupportCase opened =
        SupportCase.open(
            id, REFERENCES.next(), order.id(), order.buyerId(), order.sellerId(), SupportCaseKind.ESCALATED_DISPUTE,
            escalated.escalatedBySubject(), escalated.escalatedByRole(), null, null, escalated.id(), escalated.description(),
            escalated.evidenceUris(), SupportFinding.DISPUTE_ESCALATED,
            "Dispute " + escalated.id() + " (" + escalated.reason() + ") was escalated to customer support by the "
                + (escalated.escalatedByRole() == Role.SYSTEM ? "platform at its deadline" : escalated.escalatedByRole().name().toLowerCase())
                + "; decide it with ResolveDispute.",
            now);
    insert(uow, order, opened, now);
    return opened;
  }

  /**
   * A dispute that had gone to support is closed (decided, or withdrawn by the buyer): its case, if
   * still open, is resolved with it, naming the dispute's refund.
   */
  static void closeForDispute(UnitOfWork uow, Order order, Dispute closed, UUID refundId, String subject, Role role, String note, Instant now) {
    Optional<SupportCase> open = uow.supportCases().lockForDispute(closed.id()).filter(c -> c.state().isOpen());
    if (open.isEmpty()) {
      return;
    }
    SupportCase resolved = open.get().resolve(SupportAction.DISPUTE_CLOSED, refundId, note, subject, role, now);
    uow.supportCases().update(resolved);
    Map<String, String> details = new HashMap<>(details(resolved));
    details.put("action", SupportAction.DISPUTE_CLOSED.name());
    details.put("note", note);
    uow.events().append(order.id(), OrderEventType.SUPPORT_CASE_RESOLVED, subject, role, now, order.state(), details);
  }

  private static void insert(UnitOfWork uow, Order order, SupportCase opened, Instant now) {
    Optional<SupportCase> same = uow.supportCases().findOpen(order.id(), opened.openSlot());
    if (same.isPresent()) {
      throw alreadyOpen(same.get());
    }
    uow.supportCases().insert(opened);
    Map<String, String> details = new HashMap<>(details(opened));
    details.put("kind", opened.kind().name());
    details.put("finding", opened.finding().name());
    if (opened.cancellationRequestId() != null) {
      details.put("cancellationRequestId", opened.cancellationRequestId().toString());
    }
    if (opened.modificationId() != null) {
      details.put("modificationId", opened.modificationId().toString());
    }
    if (opened.disputeId() != null) {
      details.put("disputeId", opened.disputeId().toString());
    }
    uow.events().append(order.id(), OrderEventType.SUPPORT_CASE_OPENED, opened.openedBySubject(), opened.openedByRole(), now, order.state(), details);
  }

  private static StateConflictException alreadyOpen(SupportCase open) {
    return new StateConflictException(
        "SUPPORT_CASE_ALREADY_OPEN",
        "case " + open.reference() + " about this (" + open.kind() + ") is already open for order " + open.orderId(),
        Map.of("caseId", open.id().toString(), "reference", open.reference(), "orderId", open.orderId().toString()),
        "orders/" + open.orderId(),
        "SUPPORT_CASE",
        null);
  }

  private static Money everythingRefundable(Order order) {
    Money refundable = order.refundable();
    if (refundable.amountMinor() == 0) {
      throw new StateConflictException(
          DisputeRules.NOTHING_REFUNDABLE,
          order.payment() == null
              ? "order " + order.id() + " was never paid: nothing to refund"
              : "order " + order.id() + " has been refunded in full already",
          Map.of("orderId", order.id().toString(), "refundableMinor", "0", "currencyCode", refundable.currencyCode()),
          "orders/" + order.id(),
          "REFUNDABLE_BALANCE",
          null);
    }
    return refundable;
  }

  static Optional<Refund> refund(UnitOfWork uow, SupportCase supportCase) {
    return supportCase.refundId() == null ? Optional.empty() : uow.refunds().find(supportCase.refundId());
  }

  private static Map<String, String> details(SupportCase supportCase) {
    return Map.of("caseId", supportCase.id().toString(), "reference", supportCase.reference(), "caseState", supportCase.state().name());
  }
}
