package dev.marketplace.orders.domain.usecase;

import dev.marketplace.orders.domain.cancellation.CancellationRequestCursor;
import dev.marketplace.orders.domain.cancellation.CancellationRequestState;

import dev.marketplace.orders.domain.cancellation.CancelResult;
import dev.marketplace.orders.domain.order.CancellationKind;
import dev.marketplace.orders.domain.cancellation.CancellationPolicy;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.domain.cancellation.CancellationRequest;
import dev.marketplace.orders.domain.cancellation.CancellationRequestPage;
import dev.marketplace.orders.domain.cancellation.CancellationRequestQuery;
import dev.marketplace.orders.domain.cancellation.CancellationRequestView;
import dev.marketplace.orders.domain.cancellation.CancellationSettings;
import dev.marketplace.orders.domain.cancellation.Eligibility;
import dev.marketplace.orders.domain.cancellation.Rejection;
import dev.marketplace.orders.domain.cancellation.RejectionReason;
import dev.marketplace.orders.domain.cancellation.RequestReferences;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.error.AccessDeniedException;
import dev.marketplace.orders.domain.error.ConcurrentChangeException;
import dev.marketplace.orders.domain.error.NotFoundException;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.idempotency.IdempotencyKey;
import dev.marketplace.orders.domain.idempotency.ResponseFormat;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderCancellation;
import dev.marketplace.orders.domain.order.OrderIds;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.persistence.UnitOfWork;
import dev.marketplace.orders.domain.refund.Refund;
import dev.marketplace.orders.domain.refund.RefundResult;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The cancellation use cases: eligibility, the buyer's cancel, the seller's answers, the buyer's
 * withdrawal, listings, and refund results. Every change locks the order's row first (then the
 * request's), so the order, its requests, its refund and its history change together or not at all,
 * and competing answers - a seller approving, the deadline passing, a parcel shipping - serialize.
 * Before anything reads or acts on an order, {@link DeadlineExpiry#settle} expires its request if the
 * deadline has passed.
 */
public final class Cancellations {

  private final Transactor transactor;
  private final Clock clock;
  private final CancellationSettings settings;
  private final CancellationPolicy policy;
  private final DeadlineExpiry expiry;
  private final OrderIds ids;
  private final RequestReferences references = new RequestReferences();

  public Cancellations(Transactor transactor, Clock clock, CancellationSettings settings, DeadlineExpiry expiry) {
    this.transactor = transactor;
    this.clock = clock;
    this.settings = settings;
    this.policy = new CancellationPolicy(settings);
    this.expiry = expiry;
    this.ids = new OrderIds(clock);
  }

  /** What a cancel by this caller would do now. Read-only (apart from settling an expired deadline). */
  public Eligibility eligibility(Principal caller, UUID orderId) {
    expiry.settle(orderId);
    Instant now = now();
    return transactor.inTransaction(
        uow -> {
          Order order = uow.orders().find(orderId).filter(o -> o.isVisibleTo(caller)).orElseThrow(() -> NotFoundException.order(orderId));
          return policy.decide(
              order, uow.cancellations().findPendingForOrder(orderId), uow.cancellations().countForOrder(orderId), now);
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
    expiry.settle(orderId);
    return transactor.inIdempotentTransaction(
        key,
        format,
        uow -> {
          Instant now = now();
          Order order = lockVisibleOrder(uow, caller, orderId);
          Optional<CancellationRequest> pending = uow.cancellations().findPendingForOrder(orderId);
          requireNotDue(pending, now);
          Eligibility eligibility = policy.decide(order, pending, uow.cancellations().countForOrder(orderId), now);
          return switch (eligibility.outcome()) {
            case CANCEL_IMMEDIATELY -> {
              Order cancelled =
                  order.cancel(
                      new OrderCancellation(CancellationKind.BUYER_CANCELLED_UNPAID, reason, caller.subject(), caller.role(), now, null));
              uow.orders().update(cancelled);
              Map<String, String> details = new HashMap<>();
              details.put("kind", CancellationKind.BUYER_CANCELLED_UNPAID.name());
              details.put("reason", reason.name());
              if (!explanation.isEmpty()) {
                details.put("explanation", explanation);
              }
              uow.events().append(orderId, OrderEventType.ORDER_CANCELLED, caller.subject(), caller.role(), now, cancelled.state(), details);
              yield new CancelResult(CancelResult.Outcome.CANCELLED, cancelled, Optional.empty());
            }
            case REQUEST_SELLER_APPROVAL -> {
              CancellationRequest request =
                  CancellationRequest.open(
                      ids.next(),
                      references.next(),
                      orderId,
                      order.buyerId(),
                      order.sellerId(),
                      reason,
                      explanation,
                      now,
                      now.plus(settings.sellerResponseWindow()));
              uow.cancellations().insert(request);
              Map<String, String> details = new HashMap<>(CancellationEffects.requestDetails(request));
              details.put("respondBy", request.respondBy().toString());
              if (!explanation.isEmpty()) {
                details.put("explanation", explanation);
              }
              uow.events()
                  .append(orderId, OrderEventType.CANCELLATION_REQUESTED, caller.subject(), caller.role(), now, order.state(), details);
              yield new CancelResult(CancelResult.Outcome.REQUESTED, order, Optional.of(request));
            }
            default -> throw CancellationPolicy.refusal(eligibility);
          };
        });
  }

  public CancellationRequestView get(Principal caller, UUID requestId) {
    UUID orderId = visibleRequest(caller, requestId).orderId();
    expiry.settle(orderId);
    return transactor.inTransaction(
        uow -> view(uow, uow.cancellations().find(requestId).orElseThrow(() -> requestNotFound(requestId))));
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
    if (scoped.orderId().isPresent()) {
      expiry.settle(scoped.orderId().get());
    } else {
      expiry.settleDueOf(scoped.buyerId(), scoped.sellerId());
    }
    return fetchPage(scoped);
  }

  public <T> T approve(Principal seller, IdempotencyKey key, UUID requestId, ResponseFormat<CancellationRequestView, T> format) {
    return answer(
        seller,
        key,
        requestId,
        format,
        (uow, order, request, now) -> {
          CancellationRequest approved = request.approve(seller.subject(), seller.role(), now);
          Order cancelled = expiry.effects().grant(uow, order, approved, CancellationKind.SELLER_APPROVED, now);
          return new CancellationRequestView(approved, cancelled.refundInfo());
        });
  }

  public <T> T reject(Principal seller, IdempotencyKey key, Rejection rejection, ResponseFormat<CancellationRequestView, T> format) {
    return answer(
        seller,
        key,
        rejection.requestId(),
        format,
        (uow, order, request, now) -> {
          CancellationRequest rejected = request.reject(rejection.reason(), rejection.note(), seller.subject(), seller.role(), now);
          uow.cancellations().update(rejected);
          Map<String, String> details = new HashMap<>(CancellationEffects.requestDetails(rejected));
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
        });
  }

  public <T> T withdraw(Principal buyer, IdempotencyKey key, UUID requestId, ResponseFormat<CancellationRequestView, T> format) {
    return answer(
        buyer,
        key,
        requestId,
        format,
        (uow, order, request, now) -> {
          CancellationRequest withdrawn = request.withdraw(buyer.subject(), buyer.role(), now);
          uow.cancellations().update(withdrawn);
          uow.events()
              .append(
                  order.id(), OrderEventType.CANCELLATION_WITHDRAWN, buyer.subject(), buyer.role(), now, order.state(),
                  CancellationEffects.requestDetails(withdrawn));
          return new CancellationRequestView(withdrawn, Optional.empty());
        });
  }

  /**
   * Support cancels an order that is unpaid or awaiting shipment, whatever the buyer and seller said:
   * a pending request is resolved by support, the order cancelled, a paid order refunded. The agent
   * and their reason are recorded on every resulting history entry.
   */
  public <T> T forceCancel(Principal agent, IdempotencyKey key, UUID orderId, String reason, ResponseFormat<Order, T> format) {
    expiry.settle(orderId);
    return transactor.inIdempotentTransaction(
        key,
        format,
        uow -> {
          Instant now = now();
          Order order = lockVisibleOrder(uow, agent, orderId);
          if (!order.state().canBecome(OrderState.CANCELLED)) {
            throw order.refusedTransition(OrderState.CANCELLED);
          }
          Optional<CancellationRequest> pending = uow.cancellations().findPendingForOrder(orderId);
          CancellationReason buyerReason = pending.map(CancellationRequest::reason).orElse(CancellationReason.OTHER);
          Map<String, String> details = new HashMap<>();
          details.put("kind", CancellationKind.SUPPORT.name());
          details.put("supportReason", reason);
          if (pending.isPresent()) {
            CancellationRequest resolved = pending.get().resolveBySupport(reason, agent.subject(), agent.role(), now);
            uow.cancellations().update(resolved);
            Map<String, String> requestDetails = new HashMap<>(CancellationEffects.requestDetails(resolved));
            requestDetails.put("supportReason", reason);
            uow.events()
                .append(orderId, OrderEventType.CANCELLATION_RESOLVED_BY_SUPPORT, agent.subject(), agent.role(), now, OrderState.CANCELLED, requestDetails);
          }
          OrderCancellation how =
              new OrderCancellation(
                  CancellationKind.SUPPORT, buyerReason, agent.subject(), agent.role(), now, pending.map(CancellationRequest::id).orElse(null));
          return expiry.effects().cancelAndRefund(uow, order, how, details);
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
          Refund settled = result.completed() ? current.complete(now) : current.fail(result.failureReason(), now);
          uow.refunds().update(settled);
          Map<String, String> details = new HashMap<>();
          details.put("refundId", settled.id().toString());
          if (!result.completed() && !result.failureReason().isEmpty()) {
            details.put("failureReason", result.failureReason());
          }
          uow.events()
              .append(
                  order.id(), result.completed() ? OrderEventType.REFUND_COMPLETED : OrderEventType.REFUND_FAILED, caller.subject(),
                  caller.role(), now, order.state(), details);
          return settled;
        });
  }

  /** One answer to a pending request, on the locked order and request. */
  private interface Answer {
    CancellationRequestView apply(UnitOfWork uow, Order order, CancellationRequest request, Instant now);
  }

  private <T> T answer(
      Principal caller, IdempotencyKey key, UUID requestId, ResponseFormat<CancellationRequestView, T> format, Answer answer) {
    UUID orderId = visibleRequest(caller, requestId).orderId();
    expiry.settle(orderId);
    return transactor.inIdempotentTransaction(
        key,
        format,
        uow -> {
          Instant now = now();
          Order order = lockVisibleOrder(uow, caller, orderId);
          CancellationRequest request = uow.cancellations().lockForUpdate(requestId).orElseThrow(() -> requestNotFound(requestId));
          if (!request.state().isPending()) {
            throw request.notPending();
          }
          requireNotDue(Optional.of(request), now);
          return answer.apply(uow, order, request, now);
        });
  }

  /** A due request still PENDING here means the deadline passed between settling and locking: let the platform's outcome land first. */
  private static void requireNotDue(Optional<CancellationRequest> pending, Instant now) {
    if (pending.isPresent() && pending.get().isDue(now)) {
      CancellationRequest request = pending.get();
      throw new ConcurrentChangeException(
          "CANCELLATION_DEADLINE_PASSED",
          "the seller's response window for " + request.reference() + " has just closed; read the request again",
          Map.of("cancellationRequestId", request.id().toString(), "respondBy", request.respondBy().toString()));
    }
  }

  private CancellationRequest visibleRequest(Principal caller, UUID requestId) {
    return transactor.inTransaction(
        uow ->
            uow.cancellations()
                .find(requestId)
                .filter(r -> caller.canSeeDealBetween(r.buyerId(), r.sellerId()))
                .orElseThrow(() -> requestNotFound(requestId)));
  }

  private static Order lockVisibleOrder(UnitOfWork uow, Principal caller, UUID orderId) {
    return uow.orders().lockForUpdate(orderId).filter(o -> o.isVisibleTo(caller)).orElseThrow(() -> NotFoundException.order(orderId));
  }

  private CancellationRequestPage fetchPage(CancellationRequestQuery query) {
    return transactor.inTransaction(
        uow -> {
          List<CancellationRequest> rows = uow.cancellations().page(query, query.pageSize() + 1);
          boolean more = rows.size() > query.pageSize();
          List<CancellationRequest> page = more ? rows.subList(0, query.pageSize()) : rows;
          List<CancellationRequestView> views = page.stream().map(r -> view(uow, r)).toList();
          return new CancellationRequestPage(
              views, more ? Optional.of(CancellationRequestCursor.after(page.get(page.size() - 1))) : Optional.empty());
        });
  }

  private static CancellationRequestView view(UnitOfWork uow, CancellationRequest request) {
    boolean granted =
        request.state() == CancellationRequestState.APPROVED || request.state() == CancellationRequestState.AUTO_APPROVED;
    return new CancellationRequestView(request, granted ? uow.refunds().findForCancellation(request.id()) : Optional.empty());
  }

  private static NotFoundException requestNotFound(UUID requestId) {
    return new NotFoundException(
        "CANCELLATION_REQUEST_NOT_FOUND",
        "cancellation request " + requestId + " not found",
        Map.of("cancellationRequestId", requestId.toString()));
  }

  private static NotFoundException refundNotFound(UUID refundId) {
    return new NotFoundException("REFUND_NOT_FOUND", "refund " + refundId + " not found", Map.of("refundId", refundId.toString()));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
