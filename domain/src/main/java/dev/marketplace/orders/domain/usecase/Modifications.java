package dev.marketplace.orders.domain.usecase;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.cancellation.CancellationRequest;
import dev.marketplace.orders.domain.cancellation.CancellationSettings;
import dev.marketplace.orders.domain.error.AccessDeniedException;
import dev.marketplace.orders.domain.error.NotFoundException;
import dev.marketplace.orders.domain.idempotency.IdempotencyKey;
import dev.marketplace.orders.domain.idempotency.ResponseFormat;
import dev.marketplace.orders.domain.modification.Change;
import dev.marketplace.orders.domain.modification.Modification;
import dev.marketplace.orders.domain.modification.ModificationCursor;
import dev.marketplace.orders.domain.modification.ModificationPage;
import dev.marketplace.orders.domain.modification.ModificationQuery;
import dev.marketplace.orders.domain.modification.ModificationRules;
import dev.marketplace.orders.domain.modification.ModificationState;
import dev.marketplace.orders.domain.modification.ModificationView;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.persistence.UnitOfWork;
import dev.marketplace.orders.domain.refund.Refund;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The modification use cases: either party of an order proposes a change before shipment, the other
 * accepts or declines it, the proposer may withdraw it, and nobody answering by the deadline expires
 * it ({@link DeadlineExpiry}). Each call is one transaction. A change locks the order's row first
 * (then the modification's), settles due deadlines under that lock, checks the rules ({@link
 * ModificationRules}) and leaves the effects to {@link ModificationEffects}; so the order, the
 * modification, a refund and the history change together or not at all, and competing calls - an
 * acceptance, the deadline, a shipment, a cancellation - serialize on the order.
 */
public final class Modifications {

  private final Transactor transactor;
  private final Clock clock;
  private final CancellationSettings settings;
  private final DeadlineExpiry expiry;
  private final ModificationEffects effects;

  public Modifications(
      Transactor transactor, Clock clock, CancellationSettings settings, DeadlineExpiry expiry, ModificationEffects effects) {
    this.transactor = transactor;
    this.clock = clock;
    this.settings = settings;
    this.expiry = expiry;
    this.effects = effects;
  }

  /** With its own effects under these settings (for tests and tools). */
  public Modifications(Transactor transactor, Clock clock, CancellationSettings settings, DeadlineExpiry expiry) {
    this(transactor, clock, settings, expiry, new ModificationEffects(settings, clock));
  }

  /**
   * The buyer or the seller of the order proposes {@code change}; the other party has the response
   * window to answer. Refused when the order has shipped or is cancelled, while another request of
   * any kind is open, when the change changes nothing, and when its price effect is not allowed now
   * (see {@link ModificationRules}).
   */
  public <T> T propose(Principal caller, IdempotencyKey key, UUID orderId, Change change, ResponseFormat<ModificationView, T> format) {
    return transactor.inIdempotentTransaction(
        key,
        format,
        uow -> {
          Instant now = now();
          Order locked = VisibleOrders.lock(uow, caller, orderId);
          requireParty(caller, locked);
          DeadlineExpiry.Settled settled = expiry.settleLocked(uow, locked, now);
          Order order = settled.order();
          ModificationRules.requireModifiable(order);
          if (settled.pending().isPresent()) {
            CancellationRequest pending = settled.pending().get();
            throw ModificationRules.openCancellationRequest(order, pending.id(), pending.respondBy());
          }
          if (settled.openModification().isPresent()) {
            throw ModificationRules.openModificationRequest(order.id(), order.state(), settled.openModification().get(), "propose another");
          }
          Order proposed = ModificationRules.apply(order, change, now, settings.paymentVerificationRetryDelay());
          return effects.propose(uow, order, change, proposed, caller, now);
        });
  }

  public ModificationView get(Principal caller, UUID modificationId) {
    return transactor.inTransaction(uow -> view(uow, expiry.settleForRead(uow, visibleModification(uow, caller, modificationId), now())));
  }

  /**
   * Lists modifications, open ones first by deadline. A buyer or a seller lists those of their own
   * orders (whoever proposed them), support any (optionally one order's, or some states).
   */
  public ModificationPage list(Principal caller, ModificationQuery query) {
    ModificationQuery scoped =
        switch (caller.role()) {
          case BUYER -> query.scopedTo(caller.subject(), null);
          case SELLER -> query.scopedTo(null, caller.subject());
          case SUPPORT, SYSTEM -> query;
          case SERVICE -> throw new AccessDeniedException("ROLE_NOT_ALLOWED", "services do not list modifications", Map.of());
        };
    return transactor.inTransaction(
        uow -> {
          Instant now = now();
          if (scoped.orderId().isPresent()) {
            uow.orders().find(scoped.orderId().get()).ifPresent(order -> expiry.settleForRead(uow, order, now));
          } else {
            expiry.settleDueModificationsOf(uow, scoped.buyerId(), scoped.sellerId(), now);
          }
          List<Modification> rows = uow.modifications().page(scoped, scoped.pageSize() + 1);
          return KeysetPages.of(rows, scoped.pageSize(), m -> view(uow, m), ModificationCursor::after, ModificationPage::new);
        });
  }

  /** The other party accepts: the order changes (and a paid order that got cheaper is refunded the difference). */
  public <T> T accept(Principal caller, IdempotencyKey key, UUID modificationId, ResponseFormat<ModificationView, T> format) {
    return answer(
        caller, key, modificationId, format, true,
        (uow, order, modification, now) -> effects.accept(uow, order, modification, caller, now));
  }

  /** The other party declines; the order stays as it is. */
  public <T> T decline(Principal caller, IdempotencyKey key, UUID modificationId, ResponseFormat<ModificationView, T> format) {
    return answer(
        caller, key, modificationId, format, true,
        (uow, order, modification, now) -> effects.decline(uow, order, modification, caller, now));
  }

  /** The proposer takes the proposal back. */
  public <T> T withdraw(Principal caller, IdempotencyKey key, UUID modificationId, ResponseFormat<ModificationView, T> format) {
    return answer(
        caller, key, modificationId, format, false,
        (uow, order, modification, now) -> effects.withdraw(uow, order, modification, caller, now));
  }

  /** One answer to an open modification, on the locked order and modification. */
  private interface Answer {
    ModificationView apply(UnitOfWork uow, Order order, Modification modification, Instant now);
  }

  /**
   * Locks the modification's order, then the modification. One whose deadline has passed belongs to
   * the platform: it is expired, and the answer refused (see {@link DeadlineExpiry}).
   */
  private <T> T answer(
      Principal caller,
      IdempotencyKey key,
      UUID modificationId,
      ResponseFormat<ModificationView, T> format,
      boolean byCounterpart,
      Answer answer) {
    return transactor.inIdempotentTransaction(
        key,
        format,
        uow -> {
          Instant now = now();
          UUID orderId = visibleModification(uow, caller, modificationId).orderId();
          Order order = VisibleOrders.lock(uow, caller, orderId);
          Modification locked = uow.modifications().lockForUpdate(modificationId).orElseThrow(() -> notFound(modificationId));
          Modification modification = expiry.settleLocked(uow, order, locked, now);
          if (byCounterpart ? !modification.isCounterpart(caller) : !modification.isProposer(caller)) {
            throw byCounterpart ? modification.notTheCounterpart() : modification.notTheProposer();
          }
          if (!modification.state().isOpen()) {
            throw modification.notOpen();
          }
          return answer.apply(uow, order, modification, now);
        });
  }

  /** Only the order's own buyer or seller proposes (support and services may read). */
  private static void requireParty(Principal caller, Order order) {
    boolean party =
        (caller.role() == Role.BUYER && caller.subject().equals(order.buyerId()))
            || (caller.role() == Role.SELLER && caller.subject().equals(order.sellerId()));
    if (!party) {
      throw new AccessDeniedException(
          "ROLE_NOT_ALLOWED", "only the order's buyer or seller proposes a modification", Map.of("orderId", order.id().toString()));
    }
  }

  private static Modification visibleModification(UnitOfWork uow, Principal caller, UUID modificationId) {
    return uow.modifications()
        .find(modificationId)
        .filter(m -> caller.canSeeDealBetween(m.buyerId(), m.sellerId()))
        .orElseThrow(() -> notFound(modificationId));
  }

  private static ModificationView view(UnitOfWork uow, Modification modification) {
    Optional<Refund> refund = Optional.empty();
    if (modification.state() == ModificationState.ACCEPTED
        && modification.totalAfter().amountMinor() < modification.totalBefore().amountMinor()) {
      refund = refundOf(uow, modification);
    }
    return new ModificationView(modification, refund);
  }

  /** The refund an accepted modification initiated, if the order was paid. */
  private static Optional<Refund> refundOf(UnitOfWork uow, Modification modification) {
    return uow.refunds().findForModification(modification.id());
  }

  private static NotFoundException notFound(UUID modificationId) {
    return new NotFoundException(
        "MODIFICATION_NOT_FOUND", "modification " + modificationId + " not found", Map.of("modificationId", modificationId.toString()));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
