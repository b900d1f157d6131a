package dev.marketplace.orders.domain.usecase;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.error.AccessDeniedException;
import dev.marketplace.orders.domain.error.FieldViolation;
import dev.marketplace.orders.domain.error.InvalidRequestException;
import dev.marketplace.orders.domain.error.NotFoundException;
import dev.marketplace.orders.domain.idempotency.IdempotencyKey;
import dev.marketplace.orders.domain.idempotency.ResponseFormat;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.persistence.UnitOfWork;
import dev.marketplace.orders.domain.refund.Refund;
import dev.marketplace.orders.domain.returns.NewReturn;
import dev.marketplace.orders.domain.returns.Return;
import dev.marketplace.orders.domain.returns.ReturnCursor;
import dev.marketplace.orders.domain.returns.ReturnPage;
import dev.marketplace.orders.domain.returns.ReturnQuery;
import dev.marketplace.orders.domain.returns.ReturnRules;
import dev.marketplace.orders.domain.returns.ReturnState;
import dev.marketplace.orders.domain.returns.ReturnView;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The return use cases: the buyer asks to return units of a delivered order (within the return
 * window), the seller approves or rejects (silence approves, see {@link DeadlineExpiry}), the buyer
 * records the parcel, the seller confirms receipt (silence accepts) - and receipt refunds the units'
 * share; the buyer may withdraw a return not yet received. Each call is one transaction; a step locks
 * the order's row first (then the return's), settles the return's deadline under that lock and leaves
 * the effects to {@link ReturnEffects}; so competing steps - the seller's receipt, the deadline, a
 * withdrawal, a dispute's refund - serialize on the order and exactly one wins.
 */
public final class Returns {

  private final Transactor transactor;
  private final Clock clock;
  private final DeadlineExpiry expiry;
  private final ReturnEffects effects;

  public Returns(Transactor transactor, Clock clock, DeadlineExpiry expiry, ReturnEffects effects) {
    this.transactor = transactor;
    this.clock = clock;
    this.expiry = expiry;
    this.effects = effects;
  }

  /** The order's buyer asks to return units; see {@link ReturnRules#requireReturnable} for when. */
  public <T> T request(Principal caller, IdempotencyKey key, NewReturn request, ResponseFormat<ReturnView, T> format) {
    List<FieldViolation> problems = ReturnRules.problems(request);
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
    return transactor.inIdempotentTransaction(
        key,
        format,
        uow -> {
          Instant now = now();
          Order order = VisibleOrders.lock(uow, caller, request.orderId());
          if (caller.role() != Role.BUYER) {
            throw new AccessDeniedException("ROLE_NOT_ALLOWED", "only the order's buyer asks for a return", Map.of("orderId", order.id().toString()));
          }
          Optional<Return> open = uow.returns().findOpenForOrder(order.id());
          if (open.isPresent()) {
            open = Optional.of(expiry.settleLocked(uow, order, uow.returns().lockForUpdate(open.get().id()).orElseThrow(), now));
            if (open.get().state() == ReturnState.RECEIVED) {
              // Accepted by the platform just now: the order's lines and refunds changed.
              order = uow.orders().lockForUpdate(order.id()).orElseThrow();
            }
          }
          ReturnRules.requireReturnable(order, open.filter(r -> r.state().isOpen()), now, effects.settings());
          ReturnRules.requireUnits(order, request.lines());
          return effects.request(uow, order, request, caller, now);
        });
  }

  public ReturnView get(Principal caller, UUID returnId) {
    return transactor.inTransaction(uow -> view(uow, expiry.settleForRead(uow, visibleReturn(uow, caller, returnId), now())));
  }

  /** Lists returns, open ones first, oldest first. A buyer or a seller lists those of their own orders, support any. */
  public ReturnPage list(Principal caller, ReturnQuery query) {
    ReturnQuery scoped =
        switch (caller.role()) {
          case BUYER -> query.scopedTo(caller.subject(), null);
          case SELLER -> query.scopedTo(null, caller.subject());
          case SUPPORT, SYSTEM -> query;
          case SERVICE -> throw new AccessDeniedException("ROLE_NOT_ALLOWED", "services do not list returns", Map.of());
        };
    return transactor.inTransaction(
        uow -> {
          Instant now = now();
          expiry.settleDueReturnsOf(uow, scoped.buyerId(), scoped.sellerId(), now);
          List<Return> rows = uow.returns().page(scoped, scoped.pageSize() + 1);
          return KeysetPages.of(rows, scoped.pageSize(), r -> view(uow, r), ReturnCursor::after, ReturnPage::new);
        });
  }

  /** The seller approves: the buyer may ship the units back. */
  public <T> T approve(Principal caller, IdempotencyKey key, UUID returnId, String note, ResponseFormat<ReturnView, T> format) {
    return step(
        caller, key, returnId, format,
        (uow, order, ret, now) -> {
          if (!ret.isSeller(caller)) {
            throw ret.onlyThe(Role.SELLER, "approves a return");
          }
          return effects.approve(uow, order, ret, caller, note, now);
        });
  }

  /** The seller rejects, with a note; the buyer may open a dispute. */
  public <T> T reject(Principal caller, IdempotencyKey key, UUID returnId, String note, ResponseFormat<ReturnView, T> format) {
    return step(
        caller, key, returnId, format,
        (uow, order, ret, now) -> {
          if (!ret.isSeller(caller)) {
            throw ret.onlyThe(Role.SELLER, "rejects a return");
          }
          return effects.reject(uow, order, ret, caller, note, now);
        });
  }

  /** The buyer records the parcel the units go back in. */
  public <T> T recordShipment(
      Principal caller, IdempotencyKey key, UUID returnId, String carrier, String trackingNumber, ResponseFormat<ReturnView, T> format) {
    return step(
        caller, key, returnId, format,
        (uow, order, ret, now) -> {
          if (!ret.isBuyer(caller)) {
            throw ret.onlyThe(Role.BUYER, "records the return parcel");
          }
          return effects.ship(uow, order, ret, caller, carrier, trackingNumber, now);
        });
  }

  /** The seller confirms the units arrived: they count as returned and their share is refunded. */
  public <T> T confirmReceived(Principal caller, IdempotencyKey key, UUID returnId, ResponseFormat<ReturnView, T> format) {
    return step(
        caller, key, returnId, format,
        (uow, order, ret, now) -> {
          if (!ret.isSeller(caller)) {
            throw ret.onlyThe(Role.SELLER, "confirms receipt of a return");
          }
          ret.require(Set.of(ReturnState.APPROVED, ReturnState.SHIPPED));
          return effects.receive(uow, order, ret, caller, now);
        });
  }

  /** The buyer withdraws a return whose units were not received yet. */
  public <T> T withdraw(Principal caller, IdempotencyKey key, UUID returnId, ResponseFormat<ReturnView, T> format) {
    return step(
        caller, key, returnId, format,
        (uow, order, ret, now) -> {
          if (!ret.isBuyer(caller)) {
            throw ret.onlyThe(Role.BUYER, "withdraws a return");
          }
          return effects.withdraw(uow, order, ret, caller, now);
        });
  }

  /** One step on a return, on the locked order and return. */
  private interface Step {
    ReturnView apply(UnitOfWork uow, Order order, Return ret, Instant now);
  }

  /**
   * Locks the return's order, then the return. One past its deadline is settled by the platform first
   * (and that commits) before the step is decided on the order as it then is.
   */
  private <T> T step(Principal caller, IdempotencyKey key, UUID returnId, ResponseFormat<ReturnView, T> format, Step step) {
    return transactor.inIdempotentTransaction(
        key,
        format,
        uow -> {
          Instant now = now();
          UUID orderId = visibleReturn(uow, caller, returnId).orderId();
          Order order = VisibleOrders.lock(uow, caller, orderId);
          Return locked = uow.returns().lockForUpdate(returnId).orElseThrow(() -> notFound(returnId));
          Return ret = expiry.settleLocked(uow, order, locked, now);
          if (ret != locked) {
            order = uow.orders().lockForUpdate(orderId).orElseThrow();
          }
          return step.apply(uow, order, ret, now);
        });
  }

  private static Return visibleReturn(UnitOfWork uow, Principal caller, UUID returnId) {
    return uow.returns()
        .find(returnId)
        .filter(r -> caller.canSeeDealBetween(r.buyerId(), r.sellerId()))
        .orElseThrow(() -> notFound(returnId));
  }

  private static ReturnView view(UnitOfWork uow, Return ret) {
    Optional<Refund> refund = ret.refunded() == null ? Optional.empty() : uow.refunds().findForReturn(ret.id());
    return new ReturnView(ret, refund);
  }

  private static NotFoundException notFound(UUID returnId) {
    return new NotFoundException("RETURN_NOT_FOUND", "return " + returnId + " not found", Map.of("returnId", returnId.toString()));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
