package dev.marketplace.orders.domain.modification;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.error.AccessDeniedException;
import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.payment.Money;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A change to an order proposed by one of its parties (the buyer or the seller) before shipment. It is
 * PROPOSED until {@code respondBy}; then exactly one of accept and decline (the other party),
 * withdraw (the proposer), the deadline's expiry, or the order's cancellation closes it. Closing one
 * that is no longer PROPOSED is refused with reason {@code MODIFICATION_NOT_OPEN} and its state.
 *
 * <p>{@code totalBefore} and {@code totalAfter} are the order's total without and with the change:
 * as proposed, then as applied when accepted.
 */
public record Modification(
    UUID id,
    UUID orderId,
    String buyerId,
    String sellerId,
    Change change,
    String proposedBySubject,
    Role proposedByRole,
    ModificationState state,
    Instant respondBy,
    Money totalBefore,
    Money totalAfter,
    String resolvedBySubject,
    Role resolvedByRole,
    Instant createdAt,
    Instant resolvedAt,
    int version) {

  public static final String MODIFICATION_NOT_OPEN = "MODIFICATION_NOT_OPEN";

  public Modification {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(buyerId, "buyerId");
    Objects.requireNonNull(sellerId, "sellerId");
    Objects.requireNonNull(change, "change");
    Objects.requireNonNull(proposedBySubject, "proposedBySubject");
    Objects.requireNonNull(proposedByRole, "proposedByRole");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(respondBy, "respondBy");
    Objects.requireNonNull(totalBefore, "totalBefore");
    Objects.requireNonNull(totalAfter, "totalAfter");
    Objects.requireNonNull(createdAt, "createdAt");
    if (proposedByRole != Role.BUYER && proposedByRole != Role.SELLER) {
      throw new IllegalArgumentException("only the buyer or the seller proposes a modification");
    }
  }

  public static Modification propose(
      UUID id,
      UUID orderId,
      String buyerId,
      String sellerId,
      Change change,
      Principal proposer,
      Money totalBefore,
      Money totalAfter,
      Instant now,
      Instant respondBy) {
    return new Modification(
        id, orderId, buyerId, sellerId, change, proposer.subject(), proposer.role(), ModificationState.PROPOSED, respondBy,
        totalBefore, totalAfter, null, null, now, null, 1);
  }

  /** The other party's time is up: an open proposal at or after {@code respondBy} belongs to the platform. */
  public boolean isDue(Instant now) {
    return state.isOpen() && !now.isBefore(respondBy);
  }

  /** The party that did not propose: the seller for the buyer's proposal, the buyer for the seller's. */
  public Role counterpartRole() {
    return proposedByRole == Role.BUYER ? Role.SELLER : Role.BUYER;
  }

  /** Whether {@code caller} is the party that must answer (the order's other party, by role and id). */
  public boolean isCounterpart(Principal caller) {
    return caller.role() == counterpartRole() && caller.subject().equals(counterpartRole() == Role.BUYER ? buyerId : sellerId);
  }

  public boolean isProposer(Principal caller) {
    return caller.role() == proposedByRole && caller.subject().equals(proposedBySubject);
  }

  /** The refusal for an answer (accept, decline) from anyone but the other party. */
  public AccessDeniedException notTheCounterpart() {
    return new AccessDeniedException(
        "NOT_THE_COUNTERPART",
        "only the " + counterpartRole().name().toLowerCase() + " of the order answers this modification",
        Map.of("modificationId", id.toString(), "proposedByRole", proposedByRole.name()));
  }

  /** The refusal for a withdrawal by anyone but the proposer. */
  public AccessDeniedException notTheProposer() {
    return new AccessDeniedException(
        "NOT_THE_PROPOSER",
        "only the party that proposed this modification withdraws it",
        Map.of("modificationId", id.toString(), "proposedByRole", proposedByRole.name()));
  }

  public Modification accept(Principal accepter, Money before, Money after, Instant now) {
    requireOpen();
    return new Modification(
        id, orderId, buyerId, sellerId, change, proposedBySubject, proposedByRole, ModificationState.ACCEPTED, respondBy, before,
        after, accepter.subject(), accepter.role(), createdAt, now, version + 1);
  }

  public Modification decline(Principal decliner, Instant now) {
    return close(ModificationState.DECLINED, decliner.subject(), decliner.role(), now);
  }

  public Modification withdraw(Principal proposer, Instant now) {
    return close(ModificationState.WITHDRAWN, proposer.subject(), proposer.role(), now);
  }

  public Modification expire(Instant now) {
    return close(ModificationState.EXPIRED, "platform", Role.SYSTEM, now);
  }

  public Modification cancelWithOrder(String subject, Role role, Instant now) {
    return close(ModificationState.CANCELLED_WITH_ORDER, subject, role, now);
  }

  public StateConflictException notOpen() {
    return new StateConflictException(
        MODIFICATION_NOT_OPEN,
        "modification " + id + " is already " + state,
        Map.of("modificationId", id.toString(), "modificationState", state.name(), "orderId", orderId.toString()),
        "modifications/" + id,
        "MODIFICATION_STATE",
        null);
  }

  private void requireOpen() {
    if (!state.isOpen()) {
      throw notOpen();
    }
  }

  private Modification close(ModificationState target, String subject, Role role, Instant now) {
    requireOpen();
    return new Modification(
        id, orderId, buyerId, sellerId, change, proposedBySubject, proposedByRole, target, respondBy, totalBefore, totalAfter,
        subject, role, createdAt, now, version + 1);
  }
}
