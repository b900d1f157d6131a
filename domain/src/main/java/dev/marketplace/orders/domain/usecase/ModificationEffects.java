package dev.marketplace.orders.domain.usecase;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.cancellation.CancellationSettings;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.modification.Change;
import dev.marketplace.orders.domain.modification.Modification;
import dev.marketplace.orders.domain.modification.ModificationRules;
import dev.marketplace.orders.domain.modification.ModificationView;
import dev.marketplace.orders.domain.modification.OpenModification;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.order.TimeOrderedIds;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.persistence.UnitOfWork;
import dev.marketplace.orders.domain.refund.RefundKind;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What each modification decision does, in one place: the proposal, the acceptance (the order changed,
 * a paid order refunded the difference), the decline, the withdrawal, the platform's expiry at the
 * deadline, and the close when the order is cancelled. Each runs in the caller's transaction on an
 * order whose row the caller has locked, after the caller has checked that the decision is allowed;
 * each writes the order, the modification, the refund and the history entries together.
 */
public final class ModificationEffects {

  private final CancellationSettings settings;
  private final TimeOrderedIds ids;
  private final RefundIssuer refunds;

  public ModificationEffects(CancellationSettings settings, Clock clock) {
    this.settings = settings;
    this.ids = new TimeOrderedIds(clock);
    this.refunds = new RefundIssuer(settings.refundWindows(), clock);
  }

  /** A proposal waiting for the other party until the response window ends; the order's row marks it open. */
  ModificationView propose(UnitOfWork uow, Order order, Change change, Order proposed, Principal proposer, Instant now) {
    Modification modification =
        Modification.propose(
            ids.next(), order.id(), order.buyerId(), order.sellerId(), change, proposer, order.total(), proposed.total(), now,
            now.plus(settings.modificationResponseWindow()));
    uow.modifications().insert(modification);
    Map<String, String> details = new HashMap<>(details(modification));
    details.put("respondBy", modification.respondBy().toString());
    details.put("proposedTotal", Long.toString(proposed.total().amountMinor()));
    uow.events().append(order.id(), OrderEventType.MODIFICATION_PROPOSED, proposer.subject(), proposer.role(), now, order.state(), details);
    return new ModificationView(modification, Optional.empty());
  }

  /**
   * The other party accepts: the change applied to the order (checked again against the order as it is
   * now), the new total; on a paid order that became cheaper, the difference refunded. The history
   * names both parties.
   */
  ModificationView accept(UnitOfWork uow, Order order, Modification modification, Principal accepter, Instant now) {
    Order modified = ModificationRules.apply(order, modification.change(), now, settings.paymentVerificationRetryDelay());
    Modification accepted = modification.accept(accepter, order.total(), modified.total(), now);
    uow.modifications().update(accepted);
    uow.orders().update(modified);
    Map<String, String> details = new HashMap<>(details(accepted));
    details.put("proposedBy", modification.proposedBySubject());
    details.put("acceptedBy", accepter.subject());
    details.put("acceptedByRole", accepter.role().name());
    details.put("totalBefore", Long.toString(order.total().amountMinor()));
    details.put("totalAfter", Long.toString(modified.total().amountMinor()));
    details.put("currencyCode", order.currencyCode());
    uow.events().append(order.id(), OrderEventType.MODIFICATION_ACCEPTED, accepter.subject(), accepter.role(), now, modified.state(), details);
    uow.events().append(order.id(), OrderEventType.ORDER_MODIFIED, accepter.subject(), accepter.role(), now, modified.state(), details);
    if (order.payment() == null || modified.total().amountMinor() >= order.total().amountMinor()) {
      return new ModificationView(accepted, Optional.empty());
    }
    // A paid order that became cheaper: the difference goes back, once (the refund's unique key on the
    // modification, and the order's refundable balance, hold whatever races this acceptance).
    Money difference = new Money(order.currencyCode(), order.total().amountMinor() - modified.total().amountMinor());
    Order refunded =
        refunds.issue(uow, modified, RefundKind.MODIFICATION, accepted.id(), difference, accepter.subject(), accepter.role(), now);
    return new ModificationView(accepted, Optional.of(refunded.refunds().get(refunded.refunds().size() - 1)));
  }

  /** The other party declines; the order stays as it is. */
  ModificationView decline(UnitOfWork uow, Order order, Modification modification, Principal decliner, Instant now) {
    return close(uow, order, modification.decline(decliner, now), OrderEventType.MODIFICATION_DECLINED);
  }

  /** The proposer takes it back; the order stays as it is. */
  ModificationView withdraw(UnitOfWork uow, Order order, Modification modification, Principal proposer, Instant now) {
    return close(uow, order, modification.withdraw(proposer, now), OrderEventType.MODIFICATION_WITHDRAWN);
  }

  /** Nobody answered by the deadline: closed by the platform, the order unchanged. */
  ModificationView expire(UnitOfWork uow, Order order, Modification modification, Instant now) {
    return close(uow, order, modification.expire(now), OrderEventType.MODIFICATION_EXPIRED);
  }

  /**
   * The order is being cancelled (by whoever, however): its open modification, if any, closes with it,
   * by the same actor. Known from the order's row, so an order without one costs no statement.
   */
  static void closeWithOrder(UnitOfWork uow, Order order, String actorSubject, Role actorRole, Instant now) {
    Optional<OpenModification> open = uow.orders().openModification(order.id());
    if (open.isEmpty()) {
      return;
    }
    Modification modification = uow.modifications().lockForUpdate(open.get().id()).orElseThrow();
    Modification closed = modification.cancelWithOrder(actorSubject, actorRole, now);
    uow.modifications().update(closed);
    uow.events()
        .append(order.id(), OrderEventType.MODIFICATION_CANCELLED_WITH_ORDER, actorSubject, actorRole, now, OrderState.CANCELLED, details(closed));
  }

  private ModificationView close(UnitOfWork uow, Order order, Modification closed, OrderEventType type) {
    uow.modifications().update(closed);
    uow.events().append(order.id(), type, closed.resolvedBySubject(), closed.resolvedByRole(), closed.resolvedAt(), order.state(), details(closed));
    return new ModificationView(closed, Optional.empty());
  }

  static Map<String, String> details(Modification modification) {
    return Map.of(
        "modificationId", modification.id().toString(),
        "changeKind", modification.change().kind().name(),
        "proposedByRole", modification.proposedByRole().name());
  }
}
