package dev.marketplace.orders.domain.usecase;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.cancellation.CancelResult;
import dev.marketplace.orders.domain.cancellation.CancellationPolicy;
import dev.marketplace.orders.domain.cancellation.CancellationRequest;
import dev.marketplace.orders.domain.cancellation.CancellationRequestCursor;
import dev.marketplace.orders.domain.cancellation.CancellationRequestPage;
import dev.marketplace.orders.domain.cancellation.CancellationRequestQuery;
import dev.marketplace.orders.domain.cancellation.CancellationRequestState;
import dev.marketplace.orders.domain.cancellation.CancellationRequestView;
import dev.marketplace.orders.domain.cancellation.CancellationSettings;
import dev.marketplace.orders.domain.cancellation.Eligibility;
import dev.marketplace.orders.domain.cancellation.PartialCancellation;
import dev.marketplace.orders.domain.cancellation.Rejection;
import dev.marketplace.orders.domain.error.AccessDeniedException;
import dev.marketplace.orders.domain.error.NotFoundException;
import dev.marketplace.orders.domain.idempotency.IdempotencyKey;
import dev.marketplace.orders.domain.idempotency.ResponseFormat;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.domain.order.LineQuantity;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.persistence.UnitOfWork;
import dev.marketplace.orders.domain.refund.Refund;
import dev.marketplace.orders.domain.refund.RefundResult;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The cancellation use cases: eligibility, the buyer's cancel, the seller's answers, the buyer's
 * withdrawal, support's forced cancel, listings, and refund results. Each call is one transaction. A
 * change locks the order's row first (then the request's), settles an expired deadline under that
 * lock ({@link DeadlineExpiry}), checks the rules ({@link CancellationPolicy}) and leaves the effects
 * of the decision to {@link CancellationEffects}; so the order, its requests, its refund and its
 * history change together or not at all, and competing answers - a seller approving, the deadline
 * passing, a parcel shipping - serialize on the order.
 */
public final class Cancellations {

  private final Transactor transactor;
  private final Clock clock;
  private final CancellationPolicy policy;
  private final DeadlineExpiry expiry;
  private final CancellationEffects effects;

  public Cancellations(
      Transactor transactor, Clock clock, CancellationSettings settings, DeadlineExpiry expiry, CancellationEffects effects) {
    this.transactor = transactor;
    this.clock = clock;
    this.policy = new CancellationPolicy(settings);
    this.expiry = expiry;
    this.effects = effects;
  }

  /** With its own effects under these settings (for tests and tools). */
  public Cancellations(Transactor transactor, Clock clock, CancellationSettings settings, DeadlineExpiry expiry) {
    this(transactor, clock, settings, expiry, new CancellationEffects(settings, clock));
  }

  /** What a cancel by this caller would do now. Read-only, apart from settling an expired deadline. */
  public Eligibility eligibility(Principal caller, UUID orderId) {
    return transactor.inTransaction(
        uow -> {
          Instant now = now();
          Order read = VisibleOrders.find(uow, caller, orderId);
          DeadlineExpiry.Settled settled = expiry.settleForRead(uow, read, now);
          return policy.decide(
              settled.order(), settled.pending(), settled.openModification(), uow.orders().cancellationRequestsMade(orderId), now);
        });
  }

  /**
   * The buyer's cancel: unpaid orders are cancelled at once; paid ones awaiting shipment get a
   * request the seller must answer by the response window; anything else is refused with the reason
   * and the alternatives (see {@link CancellationPolicy}).
   */
  public <T> T cancel(
      Principal caller,
      IdempotencyKey key,
      UUID orderId,
      CancellationReason reason,
      String explanation,
      ResponseFormat<CancelResult, T> format) {
    return cancel(caller, key, orderId, reason, explanation, List.of(), format);
  }

  /**
   * The same for some units only ({@code lines}; none: the whole order). The order's state decides as
   * for a whole cancel; then the units must exist ({@link PartialCancellation}); naming every unit the
   * order still has is a whole cancel. Unpaid: the units are cancelled at once (unless a modification
   * waits for an answer); paid: a request for them goes to the seller.
   */
  public <T> T cancel(
      Principal caller,
      IdempotencyKey key,
      UUID orderId,
      CancellationReason reason,
      String explanation,
      List<LineQuantity> lines,
      ResponseFormat<CancelResult, T> format) {
    return transactor.inIdempotentTransaction(
        key,
        format,
        uow -> {
          Instant now = now();
          DeadlineExpiry.Settled settled = expiry.settleLocked(uow, VisibleOrders.lock(uow, caller, orderId), now);
          Order order = settled.order();
          Eligibility eligibility =
              policy.decide(order, settled.pending(), settled.openModification(), uow.orders().cancellationRequestsMade(orderId), now);
          boolean allowed =
              eligibility.outcome() == Eligibility.Outcome.CANCEL_IMMEDIATELY
                  || eligibility.outcome() == Eligibility.Outcome.REQUEST_SELLER_APPROVAL;
          if (!allowed) {
            throw CancellationPolicy.refusal(eligibility);
          }
          List<LineQuantity> units = lines;
          if (!units.isEmpty()) {
            PartialCancellation.require(order, units);
            if (PartialCancellation.isWhole(order, units)) {
              units = List.of();
            }
          }
          if (eligibility.outcome() == Eligibility.Outcome.REQUEST_SELLER_APPROVAL) {
            return effects.openRequest(uow, order, caller, reason, explanation, units, now);
          }
          if (units.isEmpty()) {
            return effects.cancelUnpaid(uow, order, caller, reason, explanation, now);
          }
          if (settled.openModification().isPresent()) {
            throw CancellationPolicy.partialWhileModificationOpen(order, settled.openModification().get());
          }
          return effects.cancelUnpaidUnits(uow, order, caller, reason, explanation, units, now);
        });
  }

  public CancellationRequestView get(Principal caller, UUID cancellationRequestId) {
    return transactor.inTransaction(
        uow -> view(uow, expiry.settleForRead(uow, visibleRequest(uow, caller, cancellationRequestId), now())));
  }

  /**
   * Lists requests, PENDING first by deadline. A seller lists their shop's requests (the inbox), a
   * buyer their own, support any (optionally one order's, or some states).
   */
  public CancellationRequestPage list(Principal caller, CancellationRequestQuery query) {
    CancellationRequestQuery scoped =
        switch (caller.role()) {
          case BUYER -> query.scopedTo(caller.subject(), null);
          case SELLER -> query.scopedTo(null, caller.subject());
          case SUPPORT, SYSTEM -> query;
          case SERVICE -> throw new AccessDeniedException("ROLE_NOT_ALLOWED", "services do not list cancellation requests", Map.of());
        };
    return transactor.inTransaction(
        uow -> {
          Instant now = now();
          if (scoped.orderId().isPresent()) {
            Optional<CancellationRequest> pending = uow.cancellations().findPendingForOrder(scoped.orderId().get());
            pending.ifPresent(request -> expiry.settleForRead(uow, request, now));
          } else {
            expiry.settleDueOf(uow, scoped.buyerId(), scoped.sellerId(), now);
          }
          List<CancellationRequest> rows = uow.cancellations().page(scoped, scoped.pageSize() + 1);
          return KeysetPages.of(
              rows, scoped.pageSize(), r -> view(uow, r), CancellationRequestCursor::after, CancellationRequestPage::new);
        });
  }

  public <T> T approve(
      Principal seller, IdempotencyKey key, UUID cancellationRequestId, ResponseFormat<CancellationRequestView, T> format) {
    return answer(
        seller, key, cancellationRequestId, format, (uow, order, request, now) -> effects.approve(uow, order, request, seller, now));
  }

  public <T> T reject(Principal seller, IdempotencyKey key, Rejection rejection, ResponseFormat<CancellationRequestView, T> format) {
    return answer(
        seller,
        key,
        rejection.cancellationRequestId(),
        format,
        (uow, order, request, now) -> effects.reject(uow, order, request, rejection, seller, now));
  }

  public <T> T withdraw(
      Principal buyer, IdempotencyKey key, UUID cancellationRequestId, ResponseFormat<CancellationRequestView, T> format) {
    return answer(
        buyer, key, cancellationRequestId, format, (uow, order, request, now) -> effects.withdraw(uow, order, request, buyer, now));
  }

  /**
   * Support cancels an order that is unpaid or awaiting shipment, whatever the buyer and seller said
   * (see {@link CancellationEffects#forceCancel}).
   */
  public <T> T forceCancel(Principal agent, IdempotencyKey key, UUID orderId, String reason, ResponseFormat<Order, T> format) {
    return transactor.inIdempotentTransaction(
        key,
        format,
        uow -> {
          Instant now = now();
          DeadlineExpiry.Settled settled = expiry.settleLocked(uow, VisibleOrders.lock(uow, agent, orderId), now);
          Order order = settled.order();
          if (!order.state().canBecome(OrderState.CANCELLED)) {
            throw order.refusedTransition(OrderState.CANCELLED);
          }
          return effects.forceCancel(uow, order, settled.pending(), agent, reason, now);
        });
  }

  /** Payments reports a refund COMPLETED or FAILED; recorded on the refund and in the order's history. */
  public <T> T recordRefundResult(Principal caller, IdempotencyKey key, RefundResult result, ResponseFormat<Refund, T> format) {
    return transactor.inIdempotentTransaction(
        key,
        format,
        uow -> {
          Instant now = now();
          Refund refund = uow.refunds().find(result.refundId()).orElseThrow(() -> refundNotFound(result.refundId()));
          Order order = uow.orders().lockForUpdate(refund.orderId()).orElseThrow(() -> NotFoundException.order(refund.orderId()));
          Refund current = uow.refunds().find(refund.id()).orElseThrow();
          return effects.recordRefundResult(uow, order, current, result, caller, now);
        });
  }

  /** One answer to a pending request, on the locked order and request. */
  private interface Answer {
    CancellationRequestView apply(UnitOfWork uow, Order order, CancellationRequest request, Instant now);
  }

  /**
   * Locks the request's order, then the request. A request whose deadline has passed belongs to the
   * platform: it is settled, and the answer refused (see {@link DeadlineExpiry}).
   */
  private <T> T answer(
      Principal caller, IdempotencyKey key, UUID cancellationRequestId, ResponseFormat<CancellationRequestView, T> format, Answer answer) {
    return transactor.inIdempotentTransaction(
        key,
        format,
        uow -> {
          Instant now = now();
          UUID orderId = visibleRequest(uow, caller, cancellationRequestId).orderId();
          Order order = VisibleOrders.lock(uow, caller, orderId);
          CancellationRequest locked =
              uow.cancellations().lockForUpdate(cancellationRequestId).orElseThrow(() -> requestNotFound(cancellationRequestId));
          CancellationRequest request = expiry.settleLocked(uow, order, locked, now);
          if (!request.state().isPending()) {
            throw request.notPending();
          }
          return answer.apply(uow, order, request, now);
        });
  }

  private static CancellationRequest visibleRequest(UnitOfWork uow, Principal caller, UUID cancellationRequestId) {
    return uow.cancellations()
        .find(cancellationRequestId)
        .filter(r -> caller.canSeeDealBetween(r.buyerId(), r.sellerId()))
        .orElseThrow(() -> requestNotFound(cancellationRequestId));
  }

  private static CancellationRequestView view(UnitOfWork uow, CancellationRequest request) {
    boolean granted =
        request.state() == CancellationRequestState.APPROVED || request.state() == CancellationRequestState.AUTO_APPROVED;
    return new CancellationRequestView(request, granted ? uow.refunds().findForCancellation(request.id()) : Optional.empty());
  }

  private static NotFoundException requestNotFound(UUID cancellationRequestId) {
    return new NotFoundException(
        "CANCELLATION_REQUEST_NOT_FOUND",
        "cancellation request " + cancellationRequestId + " not found",
        Map.of("cancellationRequestId", cancellationRequestId.toString()));
  }

  private static NotFoundException refundNotFound(UUID refundId) {
    return new NotFoundException("REFUND_NOT_FOUND", "refund " + refundId + " not found", Map.of("refundId", refundId.toString()));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
