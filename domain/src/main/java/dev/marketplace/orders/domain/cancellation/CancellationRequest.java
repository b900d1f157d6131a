package dev.marketplace.orders.domain.cancellation;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.domain.order.LineQuantity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A buyer's request that the seller cancel a paid order. It is PENDING until {@code respondBy}; then
 * exactly one of approve, reject, withdraw or the deadline's automatic approval resolves it. Every
 * resolution of a request that is no longer PENDING is refused with reason
 * {@code CANCELLATION_REQUEST_NOT_PENDING} and the request's state. A request names the units to
 * cancel ({@code lines}, a partial cancellation) or none (the whole order).
 */
public record CancellationRequest(
    UUID id,
    String reference,
    UUID orderId,
    String buyerId,
    String sellerId,
    CancellationReason reason,
    String explanation,
    CancellationRequestState state,
    Instant respondBy,
    RejectionReason rejectionReason,
    String rejectionNote,
    String resolvedBySubject,
    Role resolvedByRole,
    Instant createdAt,
    Instant resolvedAt,
    int version,
    List<LineQuantity> lines) {

  public static final int MAX_EXPLANATION_LENGTH = 1000;
  public static final int MAX_NOTE_LENGTH = 1000;

  public CancellationRequest {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(buyerId, "buyerId");
    Objects.requireNonNull(sellerId, "sellerId");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(explanation, "explanation");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(respondBy, "respondBy");
    Objects.requireNonNull(rejectionNote, "rejectionNote");
    Objects.requireNonNull(createdAt, "createdAt");
    lines = List.copyOf(lines);
  }

  /** A request to cancel these units only (a partial cancellation); none means the whole order. */
  public boolean isPartial() {
    return !lines.isEmpty();
  }

  public static CancellationRequest open(
      UUID id,
      String reference,
      UUID orderId,
      String buyerId,
      String sellerId,
      CancellationReason reason,
      String explanation,
      Instant now,
      Instant respondBy) {
    return open(id, reference, orderId, buyerId, sellerId, reason, explanation, now, respondBy, List.of());
  }

  /** A request to cancel the units {@code lines} names, or the whole order when it names none. */
  public static CancellationRequest open(
      UUID id,
      String reference,
      UUID orderId,
      String buyerId,
      String sellerId,
      CancellationReason reason,
      String explanation,
      Instant now,
      Instant respondBy,
      List<LineQuantity> lines) {
    return new CancellationRequest(
        id, reference, orderId, buyerId, sellerId, reason, explanation, CancellationRequestState.PENDING, respondBy, null, "", null,
        null, now, null, 1, lines);
  }

  /** The seller's time is up: a PENDING request at or after {@code respondBy} belongs to the platform. */
  public boolean isDue(Instant now) {
    return state.isPending() && !now.isBefore(respondBy);
  }

  public CancellationRequest approve(String subject, Role role, Instant now) {
    return resolve(CancellationRequestState.APPROVED, null, "", subject, role, now);
  }

  public CancellationRequest autoApprove(Instant now) {
    return resolve(CancellationRequestState.AUTO_APPROVED, null, "", "platform", Role.SYSTEM, now);
  }

  public CancellationRequest reject(RejectionReason why, String note, String subject, Role role, Instant now) {
    return resolve(CancellationRequestState.REJECTED, why, note, subject, role, now);
  }

  public CancellationRequest resolveBySupport(String note, String subject, Role role, Instant now) {
    return resolve(CancellationRequestState.RESOLVED_BY_SUPPORT, null, note, subject, role, now);
  }

  public CancellationRequest withdraw(String subject, Role role, Instant now) {
    return resolve(CancellationRequestState.WITHDRAWN, null, "", subject, role, now);
  }

  public StateConflictException notPending() {
    return new StateConflictException(
        "CANCELLATION_REQUEST_NOT_PENDING",
        "cancellation request " + reference + " is already " + state,
        Map.of("cancellationRequestId", id.toString(), "requestState", state.name(), "orderId", orderId.toString()),
        "cancellationRequests/" + id,
        "CANCELLATION_REQUEST_STATE",
        null);
  }

  private CancellationRequest resolve(
      CancellationRequestState target, RejectionReason why, String note, String subject, Role role, Instant now) {
    if (!state.isPending()) {
      throw notPending();
    }
    return new CancellationRequest(
        id, reference, orderId, buyerId, sellerId, reason, explanation, target, respondBy, why, note, subject, role, createdAt, now,
        version + 1, lines);
  }
}
