package dev.marketplace.orders.domain.returns;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.error.AccessDeniedException;
import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.payment.Money;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A return of some units of a delivered order. See {@link ReturnState} for its life. Each transition
 * checks the state it starts from and refuses any other with reason {@code RETURN_STATE_CONFLICT}.
 *
 * @param disputeId the dispute whose "return and refund" resolution opened it; null for a buyer's request
 * @param respondBy not answered by then, the platform approves it; null for one a dispute opened
 * @param receiveBy receipt not confirmed by then (once SHIPPED), the platform accepts it
 * @param refunded what its receipt refunded; null until RECEIVED, and when nothing was left to refund
 * @param share the received units' share (unit price times units); null until RECEIVED
 */
public record Return(
    UUID id,
    UUID orderId,
    String buyerId,
    String sellerId,
    UUID disputeId,
    ReturnReason reason,
    String description,
    List<String> evidenceUris,
    List<ReturnLine> lines,
    String currencyCode,
    ReturnState state,
    Instant respondBy,
    String sellerNote,
    String carrier,
    String trackingNumber,
    Instant shippedAt,
    Instant receiveBy,
    Money refunded,
    Money share,
    String decidedBySubject,
    Role decidedByRole,
    Instant decidedAt,
    String receivedBySubject,
    Role receivedByRole,
    Instant receivedAt,
    Instant createdAt,
    Instant updatedAt,
    Instant closedAt,
    int version) {

  public static final String RETURN_STATE_CONFLICT = "RETURN_STATE_CONFLICT";
  public static final int MAX_DESCRIPTION_LENGTH = 2000;
  public static final int MAX_NOTE_LENGTH = 1000;
  public static final int MAX_CARRIER_LENGTH = 64;
  public static final int MAX_TRACKING_NUMBER_LENGTH = 64;

  public Return {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(buyerId, "buyerId");
    Objects.requireNonNull(sellerId, "sellerId");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(description, "description");
    evidenceUris = List.copyOf(evidenceUris);
    lines = List.copyOf(lines);
    Objects.requireNonNull(currencyCode, "currencyCode");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("a return takes back at least one unit");
    }
  }

  /** The buyer's request, awaiting the seller until {@code now + responseWindow}. */
  public static Return request(
      UUID id, UUID orderId, String buyerId, String sellerId, NewReturn request, String currencyCode, Instant now, ReturnSettings settings) {
    return new Return(
        id, orderId, buyerId, sellerId, null, request.reason(), request.description(), request.evidenceUris(), request.lines(), currencyCode,
        ReturnState.REQUESTED, now.plus(settings.responseWindow()), null, null, null, null, null, null, null, null, null, null, null, null,
        null, now, now, null, 1);
  }

  /** Opened APPROVED by a dispute's "return and refund" resolution, decided by whoever resolved the dispute. */
  public static Return approvedByDispute(
      UUID id, UUID orderId, String buyerId, String sellerId, UUID disputeId, ReturnReason reason, String description,
      List<String> evidenceUris, List<ReturnLine> lines, String currencyCode, String subject, Role role, Instant now) {
    return new Return(
        id, orderId, buyerId, sellerId, disputeId, reason, description, evidenceUris, lines, currencyCode, ReturnState.APPROVED, null, null,
        null, null, null, null, null, null, subject, role, now, null, null, null, now, now, null, 1);
  }

  /** The deadline that counts now: the seller's answer while REQUESTED, the receipt while SHIPPED. */
  public Instant dueAt() {
    return switch (state) {
      case REQUESTED -> respondBy;
      case SHIPPED -> receiveBy;
      default -> null;
    };
  }

  /** Its deadline has passed: the platform approves (REQUESTED) or accepts the receipt (SHIPPED). */
  public boolean isDue(Instant now) {
    Instant due = dueAt();
    return due != null && !now.isBefore(due);
  }

  public int units() {
    return lines.stream().mapToInt(ReturnLine::quantity).sum();
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
        "NOT_THE_RETURN_PARTY",
        "only the " + party.name().toLowerCase() + " of the order " + step,
        Map.of("returnId", id.toString(), "requiredRole", party.name()));
  }

  /** The seller (or the platform at {@code respondBy}) approves: the buyer may ship the units back. */
  public Return approve(String subject, Role role, String note, Instant now) {
    require(Set.of(ReturnState.REQUESTED));
    return next(ReturnState.APPROVED, note == null || note.isEmpty() ? sellerNote : note, carrier, trackingNumber, shippedAt, receiveBy,
        refunded, share, subject, role, now, receivedBySubject, receivedByRole, receivedAt, now, closedAt);
  }

  /** The seller rejects, with a note; the buyer may open a dispute. */
  public Return reject(Principal seller, String note, Instant now) {
    require(Set.of(ReturnState.REQUESTED));
    return next(ReturnState.REJECTED, note, carrier, trackingNumber, shippedAt, receiveBy, refunded, share, seller.subject(), seller.role(), now,
        receivedBySubject, receivedByRole, receivedAt, now, now);
  }

  /** The buyer shipped the units back: the seller has until {@code now + receiptWindow} to confirm receipt. */
  public Return ship(String carrierName, String tracking, Instant now, ReturnSettings settings) {
    require(Set.of(ReturnState.APPROVED));
    return next(ReturnState.SHIPPED, sellerNote, carrierName, tracking, now, now.plus(settings.receiptWindow()), refunded, share, decidedBySubject,
        decidedByRole, decidedAt, receivedBySubject, receivedByRole, receivedAt, now, closedAt);
  }

  /** The seller (or the platform at {@code receiveBy}) received the units; {@code refund} is what goes back of the units' share. */
  public Return receive(String subject, Role role, Money unitsShare, Money refund, Instant now) {
    require(Set.of(ReturnState.APPROVED, ReturnState.SHIPPED));
    return next(ReturnState.RECEIVED, sellerNote, carrier, trackingNumber, shippedAt, receiveBy,
        refund == null || refund.amountMinor() == 0 ? null : refund, unitsShare, decidedBySubject, decidedByRole, decidedAt, subject, role, now, now, now);
  }

  /** The buyer takes the return back, before the units were received. */
  public Return withdraw(Instant now) {
    require(Set.of(ReturnState.REQUESTED, ReturnState.APPROVED, ReturnState.SHIPPED));
    return next(ReturnState.WITHDRAWN, sellerNote, carrier, trackingNumber, shippedAt, receiveBy, refunded, share, decidedBySubject, decidedByRole,
        decidedAt, receivedBySubject, receivedByRole, receivedAt, now, now);
  }

  public StateConflictException wrongState(Set<ReturnState> expected) {
    return new StateConflictException(
        RETURN_STATE_CONFLICT,
        "return " + id + " is " + state + ", not " + expected.stream().map(Enum::name).sorted().toList(),
        Map.of("returnId", id.toString(), "returnState", state.name(), "orderId", orderId.toString()),
        "returns/" + id,
        "RETURN_STATE",
        null);
  }

  public void require(Set<ReturnState> allowed) {
    if (!allowed.contains(state)) {
      throw wrongState(allowed);
    }
  }

  private Return next(
      ReturnState target, String note, String carrierName, String tracking, Instant shipped, Instant receiveDeadline, Money refund, Money unitsShare,
      String decidedBy, Role decidedRole, Instant decided, String receivedBy, Role receivedRole, Instant received, Instant now,
      Instant closed) {
    return new Return(
        id, orderId, buyerId, sellerId, disputeId, reason, description, evidenceUris, lines, currencyCode, target, respondBy, note,
        carrierName, tracking, shipped, receiveDeadline, refund, unitsShare, decidedBy, decidedRole, decided, receivedBy, receivedRole, received,
        createdAt, now, closed, version + 1);
  }
}
