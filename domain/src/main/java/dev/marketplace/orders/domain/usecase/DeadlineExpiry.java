package dev.marketplace.orders.domain.usecase;

import dev.marketplace.orders.domain.cancellation.CancellationRequest;
import dev.marketplace.orders.domain.cancellation.CancellationSettings;
import dev.marketplace.orders.domain.dispute.Dispute;
import dev.marketplace.orders.domain.dispute.DisputeSettings;
import dev.marketplace.orders.domain.modification.Modification;
import dev.marketplace.orders.domain.modification.OpenModification;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.persistence.UnitOfWork;
import dev.marketplace.orders.domain.returns.Return;
import dev.marketplace.orders.domain.returns.ReturnSettings;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.UUID;

/**
 * The deadlines of the requests one party of an order makes to the other, two kinds under one
 * mechanism: a cancellation request nobody answered by {@code respondBy} is approved by the platform -
 * the order cancelled, the refund initiated ({@link CancellationEffects#expire}); a modification
 * nobody answered by its {@code respondBy} expires, the order unchanged ({@link
 * ModificationEffects#expire}); a dispute its parties have not agreed by its {@code respondBy} is
 * escalated to support by the platform ({@link DisputeEffects#expire}); a return the seller has not
 * answered by its {@code respondBy} is approved, and one whose receipt the seller has not confirmed by
 * its {@code receiveBy} is accepted and refunded, by the platform ({@link ReturnEffects#expire}). Two
 * ways in, one effect per kind:
 *
 * <ul>
 *   <li>{@link #sweep} and {@link #sweepModifications}: the background sweep claims due requests
 *       with {@code FOR UPDATE SKIP LOCKED} in small batches, so any number of replicas process each
 *       expired request exactly once;
 *   <li>settling, inside every call's own transaction: a call that acts on an order settles its due
 *       request under the order's lock before deciding anything; a read settles only when it finds
 *       a due request (and only then locks the order), so reads never queue behind one another and
 *       nobody ever sees a request still PENDING after its deadline, sweep or no sweep.
 * </ul>
 *
 * A call that settles and is then refused (the seller's late approval, say) still commits the
 * platform's approval ({@link UnitOfWork#keepWhenRefused}); only the call itself leaves no trace.
 */
public final class DeadlineExpiry {

  /** At most this many expired requests are settled before one listing. */
  static final int SETTLE_BEFORE_LISTING = 200;

  /**
   * An order as it is after settling: its cancellation request if one is still pending, its
   * modification if one is still open (at most one of the two).
   */
  record Settled(Order order, Optional<CancellationRequest> pending, Optional<OpenModification> openModification) {}

  private final Transactor transactor;
  private final Clock clock;
  private final CancellationEffects effects;
  private final ModificationEffects modificationEffects;
  private final DisputeEffects disputeEffects;
  private final ReturnEffects returnEffects;

  public DeadlineExpiry(
      Transactor transactor,
      Clock clock,
      CancellationEffects effects,
      ModificationEffects modificationEffects,
      DisputeEffects disputeEffects,
      ReturnEffects returnEffects) {
    this.transactor = transactor;
    this.clock = clock;
    this.effects = effects;
    this.modificationEffects = modificationEffects;
    this.disputeEffects = disputeEffects;
    this.returnEffects = returnEffects;
  }

  /** With its own effects under these settings (for tests and tools). */
  public DeadlineExpiry(Transactor transactor, Clock clock, CancellationSettings settings) {
    this(transactor, clock, settings, DisputeSettings.defaults());
  }

  /** With its own effects under these settings (for tests and tools). */
  public DeadlineExpiry(Transactor transactor, Clock clock, CancellationSettings settings, DisputeSettings disputeSettings) {
    this(
        transactor,
        clock,
        new CancellationEffects(settings, clock),
        new ModificationEffects(settings, clock),
        new DisputeEffects(settings, disputeSettings, clock),
        new ReturnEffects(settings, ReturnSettings.defaults(), clock));
  }

  /**
   * Expires up to {@code batchSize} due requests in one transaction; returns how many it expired.
   * Requests whose order another transaction is changing right now are left for the next round.
   */
  public int sweep(int batchSize) {
    return sweepDue(batchSize, (uow, now) -> uow.cancellations().claimDue(now, batchSize), CancellationRequest::orderId, effects::expire);
  }

  /**
   * Expires up to {@code batchSize} due modifications in one transaction; returns how many it expired.
   * Modifications whose order another transaction is changing right now are left for the next round.
   */
  public int sweepModifications(int batchSize) {
    return sweepDue(
        batchSize, (uow, now) -> uow.modifications().claimDue(now, batchSize), Modification::orderId, modificationEffects::expire);
  }

  /**
   * Escalates up to {@code batchSize} disputes the parties did not agree by their deadline, in one
   * transaction; returns how many. Disputes whose order another transaction is changing right now are
   * left for the next round.
   */
  public int sweepDisputes(int batchSize) {
    return sweepDue(batchSize, (uow, now) -> uow.disputes().claimDue(now, batchSize), Dispute::orderId, disputeEffects::expire);
  }

  /**
   * Settles up to {@code batchSize} returns past their deadline in one transaction (approves those the
   * seller did not answer, accepts and refunds those whose receipt the seller did not confirm); returns
   * how many. Returns whose order another transaction is changing right now are left for the next round.
   */
  public int sweepReturns(int batchSize) {
    return sweepDue(batchSize, (uow, now) -> uow.returns().claimDue(now, batchSize), Return::orderId, returnEffects::expire);
  }

  /** What the platform does to one due item of a kind, on its locked order. */
  private interface Settle<D> {
    void apply(UnitOfWork uow, Order order, D due, Instant now);
  }

  /**
   * One sweep of one kind, in one transaction: claims the due items ({@code FOR UPDATE SKIP LOCKED}),
   * locks each one's order unless another transaction holds it (left for the next round), and settles
   * it; returns how many it settled.
   */
  private <D> int sweepDue(
      int batchSize, BiFunction<UnitOfWork, Instant, List<D>> claimDue, Function<D, UUID> orderOf, Settle<D> settle) {
    Instant now = now();
    return transactor.inTransaction(
        uow -> {
          int settled = 0;
          for (D due : claimDue.apply(uow, now)) {
            Optional<Order> order = uow.orders().lockForUpdateSkipLocked(orderOf.apply(due));
            if (order.isPresent()) {
              settle.apply(uow, order.get(), due, now);
              settled++;
            }
          }
          return settled;
        });
  }

  /**
   * A dispute the caller has locked, with its order: escalated by the platform if the parties did not
   * agree by its deadline (and that commits even if the call is then refused). The dispute as it is now.
   */
  Dispute settleLocked(UnitOfWork uow, Order lockedOrder, Dispute lockedDispute, Instant now) {
    if (!lockedDispute.isDue(now)) {
      return lockedDispute;
    }
    uow.keepWhenRefused();
    return disputeEffects.expire(uow, lockedOrder, lockedDispute, now).dispute();
  }

  /**
   * A return the caller has locked, with its order: approved or accepted by the platform if its
   * deadline has passed (and that commits even if the call is then refused). The return as it is now.
   */
  Return settleLocked(UnitOfWork uow, Order lockedOrder, Return lockedReturn, Instant now) {
    if (!lockedReturn.isDue(now)) {
      return lockedReturn;
    }
    uow.keepWhenRefused();
    return returnEffects.expire(uow, lockedOrder, lockedReturn, now).ret();
  }

  /** Before a read of a return: settles it if it is due, locking its order (then itself) only then. */
  Return settleForRead(UnitOfWork uow, Return read, Instant now) {
    if (!read.isDue(now)) {
      return read;
    }
    Order order = uow.orders().lockForUpdate(read.orderId()).orElseThrow();
    return settleLocked(uow, order, uow.returns().lockForUpdate(read.id()).orElseThrow(), now);
  }

  /** The same before a listing of returns: bounded, the sweep catches up with the rest. */
  void settleDueReturnsOf(UnitOfWork uow, Optional<String> buyerId, Optional<String> sellerId, Instant now) {
    for (UUID returnId : uow.returns().dueReturns(buyerId, sellerId, now, SETTLE_BEFORE_LISTING)) {
      settleForRead(uow, uow.returns().find(returnId).orElseThrow(), now);
    }
  }

  /** Before a read of a dispute: settles it if it is due, locking its order (then itself) only then. */
  Dispute settleForRead(UnitOfWork uow, Dispute read, Instant now) {
    if (!read.isDue(now)) {
      return read;
    }
    Order order = uow.orders().lockForUpdate(read.orderId()).orElseThrow();
    return settleLocked(uow, order, uow.disputes().lockForUpdate(read.id()).orElseThrow(), now);
  }

  /** The same before a listing of disputes: bounded, the sweep catches up with the rest. */
  void settleDueDisputesOf(UnitOfWork uow, Optional<String> buyerId, Optional<String> sellerId, Instant now) {
    for (UUID disputeId : uow.disputes().dueDisputes(buyerId, sellerId, now, SETTLE_BEFORE_LISTING)) {
      Dispute read = uow.disputes().find(disputeId).orElseThrow();
      settleForRead(uow, read, now);
    }
  }

  /**
   * Settles the due requests of an order this transaction has locked. Only an order awaiting shipment
   * can have a pending cancellation request, so nothing is read for the others; whether a
   * modification is open, and until when, the order's row says, so nothing is read for that unless
   * one is due.
   */
  Settled settleLocked(UnitOfWork uow, Order locked, Instant now) {
    Order order = locked;
    Optional<CancellationRequest> pending = Optional.empty();
    if (locked.state() == OrderState.AWAITING_SHIPMENT) {
      pending = uow.cancellations().findPendingForOrder(locked.id());
      if (pending.isPresent() && pending.get().isDue(now)) {
        order = expire(uow, locked, pending.get(), now);
        pending = Optional.empty();
      }
    }
    Optional<OpenModification> open = uow.orders().openModification(order.id());
    if (open.isPresent() && open.get().isDue(now)) {
      expireModification(uow, order, open.get().id(), now);
      open = Optional.empty();
    }
    return new Settled(order, pending, open);
  }

  /**
   * A modification the caller has locked, with its order: expired if its deadline has passed. The
   * modification as it is now.
   */
  Modification settleLocked(UnitOfWork uow, Order lockedOrder, Modification lockedModification, Instant now) {
    if (!lockedModification.isDue(now)) {
      return lockedModification;
    }
    uow.keepWhenRefused();
    return modificationEffects.expire(uow, lockedOrder, lockedModification, now).modification();
  }

  private void expireModification(UnitOfWork uow, Order lockedOrder, UUID modificationId, Instant now) {
    uow.keepWhenRefused();
    Modification modification = uow.modifications().lockForUpdate(modificationId).orElseThrow();
    modificationEffects.expire(uow, lockedOrder, modification, now);
  }

  /**
   * A request the caller has locked, with its order: expired if its deadline has passed. The request
   * as it is now.
   */
  CancellationRequest settleLocked(UnitOfWork uow, Order lockedOrder, CancellationRequest lockedRequest, Instant now) {
    if (!lockedRequest.isDue(now)) {
      return lockedRequest;
    }
    expire(uow, lockedOrder, lockedRequest, now);
    return uow.cancellations().find(lockedRequest.id()).orElseThrow();
  }

  /** The platform's approval commits even when the call that settled it on the way is refused. */
  private Order expire(UnitOfWork uow, Order order, CancellationRequest request, Instant now) {
    uow.keepWhenRefused();
    return effects.expire(uow, order, request, now);
  }

  /** Before a read of an order (read without a lock): settles its due requests, locking the order only then. */
  Settled settleForRead(UnitOfWork uow, Order read, Instant now) {
    Optional<OpenModification> open = uow.orders().openModification(read.id());
    boolean modificationDue = open.isPresent() && open.get().isDue(now);
    Optional<CancellationRequest> pending =
        read.state() == OrderState.AWAITING_SHIPMENT ? uow.cancellations().findPendingForOrder(read.id()) : Optional.empty();
    boolean requestDue = pending.isPresent() && pending.get().isDue(now);
    if (!modificationDue && !requestDue) {
      return new Settled(read, pending, open);
    }
    return uow.orders().lockForUpdate(read.id()).map(locked -> settleLocked(uow, locked, now)).orElseThrow();
  }

  /**
   * Before a read of a modification: settles it if it is due, locking its order (then itself) only
   * then; the modification as it is now.
   */
  Modification settleForRead(UnitOfWork uow, Modification read, Instant now) {
    if (!read.isDue(now)) {
      return read;
    }
    Order order = uow.orders().lockForUpdate(read.orderId()).orElseThrow();
    return settleLocked(uow, order, uow.modifications().lockForUpdate(read.id()).orElseThrow(), now);
  }

  /** Before a read of a request: settles it if it is due, locking its order only then; the request as it is now. */
  CancellationRequest settleForRead(UnitOfWork uow, CancellationRequest read, Instant now) {
    if (!read.isDue(now)) {
      return read;
    }
    uow.orders().lockForUpdate(read.orderId()).ifPresent(locked -> settleLocked(uow, locked, now));
    return uow.cancellations().find(read.id()).orElseThrow();
  }

  /**
   * Settles the due requests of a buyer's or seller's deals (or anyone's, with neither) before a
   * listing in the same transaction, so that filtering by state already sees the platform's outcome.
   * Bounded: beyond {@link #SETTLE_BEFORE_LISTING} the background sweep catches up within one interval.
   */
  void settleDueOf(UnitOfWork uow, Optional<String> buyerId, Optional<String> sellerId, Instant now) {
    List<UUID> due = uow.cancellations().ordersWithDueRequest(buyerId, sellerId, now, SETTLE_BEFORE_LISTING);
    for (UUID orderId : due) {
      uow.orders().lockForUpdate(orderId).ifPresent(locked -> settleLocked(uow, locked, now));
    }
  }

  /**
   * The same for modifications, before a listing of modifications (orders and cancellation requests
   * show nothing of a modification, so their listings leave this to the sweep and to the order's reads).
   */
  void settleDueModificationsOf(UnitOfWork uow, Optional<String> buyerId, Optional<String> sellerId, Instant now) {
    List<UUID> due = uow.modifications().ordersWithDueModification(buyerId, sellerId, now, SETTLE_BEFORE_LISTING);
    for (UUID orderId : due) {
      uow.orders().lockForUpdate(orderId).ifPresent(locked -> settleLocked(uow, locked, now));
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
