package dev.marketplace.orders.domain.usecase;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.dispute.Dispute;
import dev.marketplace.orders.domain.dispute.DisputeCursor;
import dev.marketplace.orders.domain.dispute.DisputeOutcome;
import dev.marketplace.orders.domain.dispute.DisputePage;
import dev.marketplace.orders.domain.dispute.DisputeQuery;
import dev.marketplace.orders.domain.dispute.DisputeRules;
import dev.marketplace.orders.domain.dispute.DisputeState;
import dev.marketplace.orders.domain.dispute.DisputeView;
import dev.marketplace.orders.domain.dispute.NewDispute;
import dev.marketplace.orders.domain.dispute.SellerResponse;
import dev.marketplace.orders.domain.dispute.SupportDecision;
import dev.marketplace.orders.domain.error.AccessDeniedException;
import dev.marketplace.orders.domain.error.FieldViolation;
import dev.marketplace.orders.domain.error.InvalidRequestException;
import dev.marketplace.orders.domain.error.NotFoundException;
import dev.marketplace.orders.domain.idempotency.IdempotencyKey;
import dev.marketplace.orders.domain.idempotency.ResponseFormat;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.persistence.UnitOfWork;
import dev.marketplace.orders.domain.refund.Refund;
import dev.marketplace.orders.domain.returns.ReturnRules;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The dispute use cases: the buyer opens a dispute (after a rejected cancellation request, once
 * shipped, or within the window after delivery), the seller accepts, offers a partial refund or
 * rejects, the buyer accepts an offer, either party escalates to support (from the escalation delay
 * on; the platform escalates one not agreed by its deadline, see {@link DeadlineExpiry}), support
 * resolves an escalated one, and the buyer may withdraw one not yet resolved. Each call is one
 * transaction; a step locks the order's row first (then the dispute's), settles the dispute's
 * deadline under that lock and leaves the effects to {@link DisputeEffects}; so competing steps - an
 * acceptance, the deadline, a withdrawal - serialize on the order and exactly one wins.
 */
public final class Disputes {

  private final Transactor transactor;
  private final Clock clock;
  private final DeadlineExpiry expiry;
  private final DisputeEffects effects;

  public Disputes(Transactor transactor, Clock clock, DeadlineExpiry expiry, DisputeEffects effects) {
    this.transactor = transactor;
    this.clock = clock;
    this.expiry = expiry;
    this.effects = effects;
  }

  /** The order's buyer opens a dispute; see {@link DisputeRules#requireDisputable} for when. */
  public <T> T open(Principal caller, IdempotencyKey key, NewDispute request, ResponseFormat<DisputeView, T> format) {
    List<FieldViolation> problems = DisputeRules.problems(request.description(), request.evidenceUris());
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
    return transactor.inIdempotentTransaction(
        key,
        format,
        uow -> {
          Instant now = now();
          Order locked = VisibleOrders.lock(uow, caller, request.orderId());
          if (caller.role() != Role.BUYER) {
            throw new AccessDeniedException(
                "ROLE_NOT_ALLOWED", "only the order's buyer opens a dispute", Map.of("orderId", locked.id().toString()));
          }
          DeadlineExpiry.Settled settled = expiry.settleLocked(uow, locked, now);
          Order order = settled.order();
          boolean rejected =
              order.state() == OrderState.AWAITING_SHIPMENT
                  && uow.cancellations().hasRejectedForOrder(order.id());
          boolean otherOpen = settled.pending().isPresent() || settled.openModification().isPresent();
          Optional<Dispute> open = uow.disputes().findOpenForOrder(order.id());
          if (open.isPresent()) {
            open = Optional.of(expiry.settleLocked(uow, order, uow.disputes().lockForUpdate(open.get().id()).orElseThrow(), now));
          }
          DisputeRules.requireDisputable(order, rejected, otherOpen, open.filter(d -> d.state().isOpen()), now, effects.settings());
          List<FieldViolation> evidence = DisputeRules.evidenceRequired(order, request.evidenceUris());
          if (!evidence.isEmpty()) {
            throw new InvalidRequestException(evidence);
          }
          if (request.returnAsked()) {
            // A return and refund needs goods to send back, and no other return under way.
            ReturnRules.requireReturnableByDispute(order, uow.returns().findOpenForOrder(order.id()));
          }
          Money asked = request.asked() == null ? null : DisputeRules.refundAmount(order, request.asked(), "partial_refund");
          return effects.open(uow, order, request, asked, caller, now);
        });
  }

  public DisputeView get(Principal caller, UUID disputeId) {
    return transactor.inTransaction(uow -> view(uow, expiry.settleForRead(uow, visibleDispute(uow, caller, disputeId), now())));
  }

  /**
   * Lists disputes, those awaiting the parties first (by deadline), then escalated ones, then closed
   * ones. A buyer or a seller lists those of their own orders, support any (optionally by state or
   * order).
   */
  public DisputePage list(Principal caller, DisputeQuery query) {
    DisputeQuery scoped =
        switch (caller.role()) {
          case BUYER -> query.scopedTo(caller.subject(), null);
          case SELLER -> query.scopedTo(null, caller.subject());
          case SUPPORT, SYSTEM -> query;
          case SERVICE -> throw new AccessDeniedException("ROLE_NOT_ALLOWED", "services do not list disputes", Map.of());
        };
    return transactor.inTransaction(
        uow -> {
          Instant now = now();
          expiry.settleDueDisputesOf(uow, scoped.buyerId(), scoped.sellerId(), now);
          List<Dispute> rows = uow.disputes().page(scoped, scoped.pageSize() + 1);
          return KeysetPages.of(rows, scoped.pageSize(), d -> view(uow, d), DisputeCursor::after, DisputePage::new);
        });
  }

  /** The seller answers: accept (the asked refund is issued), offer a partial refund, or reject with evidence. */
  public <T> T respond(Principal caller, IdempotencyKey key, UUID disputeId, SellerResponse response, ResponseFormat<DisputeView, T> format) {
    return step(
        caller, key, disputeId, format,
        (uow, order, dispute, now) -> {
          if (!dispute.isSeller(caller)) {
            throw dispute.onlyThe(Role.SELLER, "answers a dispute");
          }
          if (response instanceof SellerResponse.Accept accept) {
            if (dispute.returnAsked() && dispute.state().awaitsParties()) {
              ReturnRules.requireReturnableByDispute(order, uow.returns().findOpenForOrder(order.id()));
            }
            return effects.acceptBySeller(uow, order, dispute, caller, accept.note(), now);
          }
          if (response instanceof SellerResponse.Offer offer) {
            requireAwaitingParties(dispute);
            Money amount = DisputeRules.refundAmount(order, offer.amount(), "offer.amount");
            return effects.offer(uow, order, dispute, caller, amount, offer.note(), now);
          }
          SellerResponse.Reject reject = (SellerResponse.Reject) response;
          return effects.reject(uow, order, dispute, caller, reject.note(), reject.evidenceUris(), now);
        });
  }

  /** The buyer accepts the seller's partial offer: the offered amount is refunded. */
  public <T> T acceptOffer(Principal caller, IdempotencyKey key, UUID disputeId, ResponseFormat<DisputeView, T> format) {
    return step(
        caller, key, disputeId, format,
        (uow, order, dispute, now) -> {
          if (!dispute.isBuyer(caller)) {
            throw dispute.onlyThe(Role.BUYER, "accepts the seller's offer");
          }
          return effects.acceptOffer(uow, order, dispute, caller, now);
        });
  }

  /** Either party hands the dispute to support, from the escalation delay after opening on. */
  public <T> T escalate(Principal caller, IdempotencyKey key, UUID disputeId, ResponseFormat<DisputeView, T> format) {
    return step(
        caller, key, disputeId, format,
        (uow, order, dispute, now) -> {
          if (!dispute.isBuyer(caller) && !dispute.isSeller(caller)) {
            throw new AccessDeniedException(
                "NOT_THE_DISPUTE_PARTY", "only the buyer or the seller of the order escalates a dispute", Map.of("disputeId", dispute.id().toString()));
          }
          requireAwaitingParties(dispute);
          if (now.isBefore(dispute.escalableFrom())) {
            throw dispute.escalationTooEarly(now);
          }
          return effects.escalate(uow, order, dispute, caller, now);
        });
  }

  /** Support decides an escalated dispute: a full refund (what is still refundable), a partial one, or none. */
  public <T> T resolve(Principal caller, IdempotencyKey key, UUID disputeId, SupportDecision decision, ResponseFormat<DisputeView, T> format) {
    if (caller.role() != Role.SUPPORT) {
      throw new AccessDeniedException("ROLE_NOT_ALLOWED", "only support resolves a dispute", Map.of("disputeId", disputeId.toString()));
    }
    return step(
        caller, key, disputeId, format,
        (uow, order, dispute, now) -> {
          if (dispute.state() != DisputeState.ESCALATED) {
            throw dispute.wrongState(Set.of(DisputeState.ESCALATED));
          }
          Money partial =
              decision.outcome() == DisputeOutcome.SUPPORT_PARTIAL_REFUND
                  ? DisputeRules.refundAmount(order, decision.amount(), "refund_amount")
                  : null;
          if (decision.outcome().opensReturn()) {
            ReturnRules.requireReturnableByDispute(order, uow.returns().findOpenForOrder(order.id()));
          }
          return effects.resolveBySupport(uow, order, dispute, caller, decision.outcome(), partial, decision.note(), now);
        });
  }

  /** The buyer withdraws a dispute not yet resolved. */
  public <T> T withdraw(Principal caller, IdempotencyKey key, UUID disputeId, ResponseFormat<DisputeView, T> format) {
    return step(
        caller, key, disputeId, format,
        (uow, order, dispute, now) -> {
          if (!dispute.isBuyer(caller)) {
            throw dispute.onlyThe(Role.BUYER, "withdraws a dispute");
          }
          return effects.withdraw(uow, order, dispute, caller, now);
        });
  }

  private static void requireAwaitingParties(Dispute dispute) {
    if (!dispute.state().awaitsParties()) {
      throw dispute.wrongState(Set.of(DisputeState.OPEN, DisputeState.OFFERED, DisputeState.REJECTED_BY_SELLER));
    }
  }

  /** One step on a dispute, on the locked order and dispute. */
  private interface Step {
    DisputeView apply(UnitOfWork uow, Order order, Dispute dispute, Instant now);
  }

  /**
   * Locks the dispute's order, then the dispute. One the parties did not agree by its deadline belongs
   * to support: it is escalated (and that commits) before the step is decided.
   */
  private <T> T step(Principal caller, IdempotencyKey key, UUID disputeId, ResponseFormat<DisputeView, T> format, Step step) {
    return transactor.inIdempotentTransaction(
        key,
        format,
        uow -> {
          Instant now = now();
          UUID orderId = visibleDispute(uow, caller, disputeId).orderId();
          Order order = VisibleOrders.lock(uow, caller, orderId);
          Dispute locked = uow.disputes().lockForUpdate(disputeId).orElseThrow(() -> notFound(disputeId));
          Dispute dispute = expiry.settleLocked(uow, order, locked, now);
          return step.apply(uow, order, dispute, now);
        });
  }

  private static Dispute visibleDispute(UnitOfWork uow, Principal caller, UUID disputeId) {
    return uow.disputes()
        .find(disputeId)
        .filter(d -> caller.canSeeDealBetween(d.buyerId(), d.sellerId()))
        .orElseThrow(() -> notFound(disputeId));
  }

  private static DisputeView view(UnitOfWork uow, Dispute dispute) {
    Optional<Refund> refund = dispute.refunded() == null ? Optional.empty() : uow.refunds().findForDispute(dispute.id());
    Optional<UUID> returnId =
        dispute.outcome() != null && dispute.outcome().opensReturn() ? uow.returns().findIdForDispute(dispute.id()) : Optional.empty();
    return new DisputeView(dispute, refund, returnId);
  }

  private static NotFoundException notFound(UUID disputeId) {
    return new NotFoundException("DISPUTE_NOT_FOUND", "dispute " + disputeId + " not found", Map.of("disputeId", disputeId.toString()));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
