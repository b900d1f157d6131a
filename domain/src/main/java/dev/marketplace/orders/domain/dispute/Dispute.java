package dev.marketplace.orders.domain.dispute;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.error.AccessDeniedException;
import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.payment.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A buyer's dispute of an order: the reason, a description, evidence and the resolution asked (a full
 * refund, or {@code askedAmount}). See {@link DisputeState} for its life. Each transition checks the
 * state it starts from and refuses any other with reason {@code DISPUTE_STATE_CONFLICT}.
 *
 * @param askedAmount the partial refund asked; null when a full refund or a return is asked
 * @param returnAsked the buyer asks to return the goods for a refund on their receipt ("return and refund")
 * @param offered the seller's partial offer, once made
 * @param refunded what its resolution refunded; null until RESOLVED, and when nothing was refunded
 * @param respondBy not agreed by then, the platform escalates it
 * @param escalableFrom either party may escalate from then on
 */
public record Dispute(
    UUID id,
    UUID orderId,
    String buyerId,
    String sellerId,
    DisputeReason reason,
    String description,
    List<String> evidenceUris,
    boolean fullRefundAsked,
    Money askedAmount,
    boolean returnAsked,
    String currencyCode,
    DisputeState state,
    DisputeOutcome outcome,
    Instant respondBy,
    Instant escalableFrom,
    Money offered,
    String sellerNote,
    List<String> sellerEvidenceUris,
    String supportNote,
    Money refunded,
    String escalatedBySubject,
    Role escalatedByRole,
    Instant escalatedAt,
    String resolvedBySubject,
    Role resolvedByRole,
    Instant createdAt,
    Instant updatedAt,
    Instant resolvedAt,
    int version) {

  public static final String DISPUTE_STATE_CONFLICT = "DISPUTE_STATE_CONFLICT";
  public static final int MAX_DESCRIPTION_LENGTH = 2000;
  public static final int MAX_NOTE_LENGTH = 1000;
  public static final int MAX_EVIDENCE = 5;

  public Dispute {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(buyerId, "buyerId");
    Objects.requireNonNull(sellerId, "sellerId");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(description, "description");
    evidenceUris = List.copyOf(evidenceUris);
    Objects.requireNonNull(currencyCode, "currencyCode");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(respondBy, "respondBy");
    Objects.requireNonNull(escalableFrom, "escalableFrom");
    sellerEvidenceUris = sellerEvidenceUris == null ? List.of() : List.copyOf(sellerEvidenceUris);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if ((fullRefundAsked ? 1 : 0) + (askedAmount != null ? 1 : 0) + (returnAsked ? 1 : 0) != 1) {
      throw new IllegalArgumentException("a dispute asks a full refund, a stated amount or a return and refund");
    }
    if ((state == DisputeState.RESOLVED) != (outcome != null)) {
      throw new IllegalArgumentException("exactly a RESOLVED dispute has an outcome");
    }
  }

  public static Dispute open(
      UUID id,
      UUID orderId,
      String buyerId,
      String sellerId,
      DisputeReason reason,
      String description,
      List<String> evidenceUris,
      Money askedAmount,
      boolean returnAsked,
      String currencyCode,
      Instant now,
      DisputeSettings settings) {
    return new Dispute(
        id, orderId, buyerId, sellerId, reason, description, evidenceUris, askedAmount == null && !returnAsked, askedAmount, returnAsked,
        currencyCode,
        DisputeState.OPEN, null, now.plus(settings.responseWindow()), now.plus(settings.escalationDelay()), null, null, List.of(),
        null, null, null, null, null, null, null, now, now, null, 1);
  }

  /** A dispute asking a refund (full when {@code askedAmount} is null), no return. */
  public static Dispute open(
      UUID id,
      UUID orderId,
      String buyerId,
      String sellerId,
      DisputeReason reason,
      String description,
      List<String> evidenceUris,
      Money askedAmount,
      String currencyCode,
      Instant now,
      DisputeSettings settings) {
    return open(id, orderId, buyerId, sellerId, reason, description, evidenceUris, askedAmount, false, currencyCode, now, settings);
  }

  /** The parties' time is up: a dispute they have not agreed by {@code respondBy} goes to support. */
  public boolean isDue(Instant now) {
    return state.awaitsParties() && !now.isBefore(respondBy);
  }

  public boolean isBuyer(Principal caller) {
    return caller.role() == Role.BUYER && caller.subject().equals(buyerId);
  }

  public boolean isSeller(Principal caller) {
    return caller.role() == Role.SELLER && caller.subject().equals(sellerId);
  }

  /** The refusal for a step that only one party of the order takes. */
  public AccessDeniedException onlyThe(Role party, String step) {
    return new AccessDeniedException(
        "NOT_THE_DISPUTE_PARTY",
        "only the " + party.name().toLowerCase() + " of the order " + step,
        Map.of("disputeId", id.toString(), "requiredRole", party.name()));
  }

  /**
   * The seller accepts the buyer's request; the refund (what {@code refund} says) is issued with it -
   * or, for a "return and refund", none: the return it opens refunds on receipt.
   */
  public Dispute acceptBySeller(Principal seller, String note, Money refund, Instant now) {
    require(Set.of(DisputeState.OPEN, DisputeState.OFFERED, DisputeState.REJECTED_BY_SELLER));
    DisputeOutcome outcome = returnAsked ? DisputeOutcome.SELLER_ACCEPTED_RETURN : DisputeOutcome.SELLER_ACCEPTED;
    return resolve(outcome, returnAsked ? null : refund, sellerNoteOr(note), supportNote, seller.subject(), seller.role(), now);
  }

  /** The seller offers a partial refund; the buyer may accept it or escalate. */
  public Dispute offer(Principal seller, Money amount, String note, Instant now) {
    require(Set.of(DisputeState.OPEN, DisputeState.OFFERED, DisputeState.REJECTED_BY_SELLER));
    return with(DisputeState.OFFERED, amount, note, List.of(), now);
  }

  /** The seller rejects, with evidence; the buyer may escalate. */
  public Dispute reject(Principal seller, String note, List<String> evidence, Instant now) {
    require(Set.of(DisputeState.OPEN, DisputeState.OFFERED, DisputeState.REJECTED_BY_SELLER));
    return with(DisputeState.REJECTED_BY_SELLER, null, note, evidence, now);
  }

  /** The buyer accepts the seller's offer: the offered amount is refunded. */
  public Dispute acceptOffer(Principal buyer, Instant now) {
    require(Set.of(DisputeState.OFFERED));
    return resolve(DisputeOutcome.OFFER_ACCEPTED, offered, sellerNote, supportNote, buyer.subject(), buyer.role(), now);
  }

  /** Either party (from {@code escalableFrom}) or the platform (at {@code respondBy}) hands it to support. */
  public Dispute escalate(String subject, Role role, Instant now) {
    require(Set.of(DisputeState.OPEN, DisputeState.OFFERED, DisputeState.REJECTED_BY_SELLER));
    return new Dispute(
        id, orderId, buyerId, sellerId, reason, description, evidenceUris, fullRefundAsked, askedAmount, returnAsked, currencyCode,
        DisputeState.ESCALATED, null, respondBy, escalableFrom, offered, sellerNote, sellerEvidenceUris, supportNote, refunded, subject,
        role, now, resolvedBySubject, resolvedByRole, createdAt, now, resolvedAt, version + 1);
  }

  /** The refusal for a party's escalation before {@code escalableFrom}: retry then. */
  public StateConflictException escalationTooEarly(Instant now) {
    return new StateConflictException(
        "DISPUTE_ESCALATION_TOO_EARLY",
        "dispute " + id + " can be escalated from " + escalableFrom,
        Map.of("disputeId", id.toString(), "escalableFrom", escalableFrom.toString()),
        "disputes/" + id,
        "DISPUTE_ESCALATION_DELAY",
        Duration.between(now, escalableFrom));
  }

  /** Support decides an escalated dispute. */
  public Dispute resolveBySupport(Principal support, DisputeOutcome outcome, Money refund, String note, Instant now) {
    require(Set.of(DisputeState.ESCALATED));
    return resolve(outcome, refund, sellerNote, note, support.subject(), support.role(), now);
  }

  /** The buyer takes the dispute back, at any point before it is resolved. */
  public Dispute withdraw(Principal buyer, Instant now) {
    require(Set.of(DisputeState.OPEN, DisputeState.OFFERED, DisputeState.REJECTED_BY_SELLER, DisputeState.ESCALATED));
    return new Dispute(
        id, orderId, buyerId, sellerId, reason, description, evidenceUris, fullRefundAsked, askedAmount, returnAsked, currencyCode,
        DisputeState.WITHDRAWN, null, respondBy, escalableFrom, offered, sellerNote, sellerEvidenceUris, supportNote, refunded,
        escalatedBySubject, escalatedByRole, escalatedAt, buyer.subject(), buyer.role(), createdAt, now, now, version + 1);
  }

  public StateConflictException wrongState(Set<DisputeState> expected) {
    return new StateConflictException(
        DISPUTE_STATE_CONFLICT,
        "dispute " + id + " is " + state + ", not " + expected.stream().map(Enum::name).sorted().toList(),
        Map.of("disputeId", id.toString(), "disputeState", state.name(), "orderId", orderId.toString()),
        "disputes/" + id,
        "DISPUTE_STATE",
        null);
  }

  private void require(Set<DisputeState> allowed) {
    if (!allowed.contains(state)) {
      throw wrongState(allowed);
    }
  }

  private String sellerNoteOr(String note) {
    return note == null || note.isEmpty() ? sellerNote : note;
  }

  private Dispute with(DisputeState target, Money offer, String note, List<String> evidence, Instant now) {
    return new Dispute(
        id, orderId, buyerId, sellerId, reason, description, evidenceUris, fullRefundAsked, askedAmount, returnAsked, currencyCode, target, null,
        respondBy, escalableFrom, offer, note, evidence, supportNote, refunded, escalatedBySubject, escalatedByRole, escalatedAt,
        resolvedBySubject, resolvedByRole, createdAt, now, resolvedAt, version + 1);
  }

  private Dispute resolve(
      DisputeOutcome result, Money refund, String sellerText, String supportText, String subject, Role role, Instant now) {
    return new Dispute(
        id, orderId, buyerId, sellerId, reason, description, evidenceUris, fullRefundAsked, askedAmount, returnAsked, currencyCode,
        DisputeState.RESOLVED, result, respondBy, escalableFrom, offered, sellerText, sellerEvidenceUris, supportText,
        refund == null || refund.amountMinor() == 0 ? null : refund, escalatedBySubject, escalatedByRole, escalatedAt, subject, role,
        createdAt, now, now, version + 1);
  }
}
