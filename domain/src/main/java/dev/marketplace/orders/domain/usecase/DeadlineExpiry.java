package dev.marketplace.orders.domain.usecase;

import dev.marketplace.orders.domain.order.CancellationKind;
import dev.marketplace.orders.domain.cancellation.CancellationRequest;

import dev.marketplace.orders.domain.cancellation.CancellationSettings;

import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderIds;
import dev.marketplace.orders.domain.persistence.Transactor;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The 72-hour rule: a request nobody answered by {@code respondBy} is approved by the platform - the
 * order cancelled, the refund initiated. Two ways in, one effect:
 *
 * <ul>
 *   <li>{@link #sweep}: the background sweep claims due requests with {@code FOR UPDATE SKIP LOCKED}
 *       in small batches, so any number of replicas process each expired request exactly once;
 *   <li>{@link #settle}: before anyone reads or acts on an order, its due request is expired first,
 *       so nobody ever sees a request still PENDING after its deadline, sweep or no sweep.
 * </ul>
 *
 * Both hold the order's row lock while deciding, like every other change of the order, so a seller's
 * answer and the deadline can never both win.
 */
public final class DeadlineExpiry {

  /** At most this many expired requests are settled before one listing. */
  static final int SETTLE_BEFORE_LISTING = 200;

  private final Transactor transactor;
  private final Clock clock;
  private final CancellationEffects effects;

  public DeadlineExpiry(Transactor transactor, Clock clock, CancellationSettings settings) {
    this.transactor = transactor;
    this.clock = clock;
    this.effects = new CancellationEffects(settings, new OrderIds(clock));
  }

  /**
   * Expires up to {@code batchSize} due requests in one transaction; returns how many it expired.
   * Requests whose order another transaction is changing right now are left for the next round.
   */
  public int sweep(int batchSize) {
    Instant now = now();
    return transactor.inTransaction(
        uow -> {
          int expired = 0;
          for (CancellationRequest request : uow.cancellations().claimDue(now, batchSize)) {
            Optional<Order> order = uow.orders().lockForUpdateSkipLocked(request.orderId());
            if (order.isPresent()) {
              effects.grant(uow, order.get(), request.autoApprove(now), CancellationKind.AUTO_APPROVED, now);
              expired++;
            }
          }
          return expired;
        });
  }

  /** Expires the order's request if its deadline has passed; true if it did. */
  public boolean settle(UUID orderId) {
    Instant now = now();
    boolean due =
        transactor.inTransaction(uow -> uow.cancellations().findPendingForOrder(orderId).filter(r -> r.isDue(now)).isPresent());
    if (!due) {
      return false;
    }
    return transactor.inTransaction(
        uow -> {
          Optional<Order> order = uow.orders().lockForUpdate(orderId);
          Optional<CancellationRequest> pending = uow.cancellations().findPendingForOrder(orderId).filter(r -> r.isDue(now));
          if (order.isEmpty() || pending.isEmpty()) {
            return false; // answered, withdrawn or swept meanwhile
          }
          effects.grant(uow, order.get(), pending.get().autoApprove(now), CancellationKind.AUTO_APPROVED, now);
          return true;
        });
  }

  /**
   * Settles the due requests of a buyer's or seller's deals (or anyone's, with neither) before a
   * listing, so that filtering by state already sees the platform's outcome. Bounded: beyond
   * {@link #SETTLE_BEFORE_LISTING} the background sweep catches up within one interval.
   */
  public void settleDueOf(Optional<String> buyerId, Optional<String> sellerId) {
    Instant now = now();
    List<UUID> due =
        transactor.inTransaction(uow -> uow.cancellations().ordersWithDueRequest(buyerId, sellerId, now, SETTLE_BEFORE_LISTING));
    for (UUID orderId : due) {
      settle(orderId);
    }
  }

  CancellationEffects effects() {
    return effects;
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
