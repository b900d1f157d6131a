package dev.marketplace.orders.domain.support;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.error.StateConflictException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A case for customer support about an order. OPEN in the queue until an agent is assigned
 * (ASSIGNED; it may be reassigned), then RESOLVED once, with an action and a note. The finding is what
 * the service established from its own records when the case was opened. Changing a RESOLVED case
 * is refused with reason {@code SUPPORT_CASE_STATE_CONFLICT}.
 *
 * @param refundId the refund the resolution issued or caused, if any
 */
public record SupportCase(
    UUID id,
    String reference,
    UUID orderId,
    String buyerId,
    String sellerId,
    SupportCaseKind kind,
    String openedBySubject,
    Role openedByRole,
    UUID cancellationRequestId,
    UUID modificationId,
    UUID disputeId,
    String description,
    List<String> evidenceUris,
    SupportFinding finding,
    String findingDetail,
    SupportCaseState state,
    String assignee,
    Instant assignedAt,
    SupportAction action,
    UUID refundId,
    String resolutionNote,
    String resolvedBySubject,
    Role resolvedByRole,
    Instant createdAt,
    Instant updatedAt,
    Instant resolvedAt,
    int version) {

  public static final String SUPPORT_CASE_STATE_CONFLICT = "SUPPORT_CASE_STATE_CONFLICT";
  public static final int MAX_DESCRIPTION_LENGTH = 2000;
  public static final int MAX_NOTE_LENGTH = 1000;

  public SupportCase {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(buyerId, "buyerId");
    Objects.requireNonNull(sellerId, "sellerId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(openedBySubject, "openedBySubject");
    Objects.requireNonNull(openedByRole, "openedByRole");
    Objects.requireNonNull(description, "description");
    evidenceUris = List.copyOf(evidenceUris);
    Objects.requireNonNull(finding, "finding");
    Objects.requireNonNull(findingDetail, "findingDetail");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if ((kind == SupportCaseKind.ESCALATED_DISPUTE) != (disputeId != null)) {
      throw new IllegalArgumentException("a dispute is named by, and only by, an escalated-dispute case");
    }
    if ((state == SupportCaseState.RESOLVED) != (action != null)) {
      throw new IllegalArgumentException("a resolved case, and only one, has an action");
    }
  }

  /** A new case, in the queue. */
  public static SupportCase open(
      UUID id,
      String reference,
      UUID orderId,
      String buyerId,
      String sellerId,
      SupportCaseKind kind,
      String openedBySubject,
      Role openedByRole,
      UUID cancellationRequestId,
      UUID modificationId,
      UUID disputeId,
      String description,
      List<String> evidenceUris,
      SupportFinding finding,
      String findingDetail,
      Instant now) {
    return new SupportCase(
        id, reference, orderId, buyerId, sellerId, kind, openedBySubject, openedByRole, cancellationRequestId, modificationId, disputeId,
        description, evidenceUris, finding, findingDetail, SupportCaseState.OPEN, null, null, null, null, null, null, null, now, now, null,
        1);
  }

  /**
   * What makes a case unique while it is open: one per order, kind and opening party; one per order
   * for an escalated dispute (an order has at most one open dispute). Null once resolved.
   */
  public String openSlot() {
    if (!state.isOpen()) {
      return null;
    }
    return kind == SupportCaseKind.ESCALATED_DISPUTE ? kind.name() : kind.name() + ":" + openedByRole.name();
  }

  /** Whether {@code caller} may see the case: the order's buyer or seller, or support (as for its order). */
  public boolean isVisibleTo(Principal caller) {
    return caller.canSeeDealBetween(buyerId, sellerId);
  }

  /** An agent takes the case (or hands it over). */
  public SupportCase assign(String agent, Instant now) {
    require(Set.of(SupportCaseState.OPEN, SupportCaseState.ASSIGNED));
    return new SupportCase(
        id, reference, orderId, buyerId, sellerId, kind, openedBySubject, openedByRole, cancellationRequestId, modificationId, disputeId,
        description, evidenceUris, finding, findingDetail, SupportCaseState.ASSIGNED, agent, now, null, null, null, null, null, createdAt,
        now, null, version + 1);
  }

  /** The case is closed with {@code action}; {@code refundId} names the refund it issued or caused. */
  public SupportCase resolve(SupportAction action, UUID refundId, String note, String subject, Role role, Instant now) {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(note, "note");
    require(Set.of(SupportCaseState.OPEN, SupportCaseState.ASSIGNED));
    return new SupportCase(
        id, reference, orderId, buyerId, sellerId, kind, openedBySubject, openedByRole, cancellationRequestId, modificationId, disputeId,
        description, evidenceUris, finding, findingDetail, SupportCaseState.RESOLVED, assignee, assignedAt, action, refundId, note, subject,
        role, createdAt, now, now, version + 1);
  }

  public StateConflictException wrongState(Set<SupportCaseState> expected) {
    return new StateConflictException(
        SUPPORT_CASE_STATE_CONFLICT,
        "support case " + reference + " is " + state + ", not " + expected.stream().map(Enum::name).sorted().toList(),
        Map.of("caseId", id.toString(), "reference", reference, "caseState", state.name(), "orderId", orderId.toString()),
        "support-cases/" + id,
        "SUPPORT_CASE_STATE",
        null);
  }

  private void require(Set<SupportCaseState> allowed) {
    if (!allowed.contains(state)) {
      throw wrongState(allowed);
    }
  }
}
