package dev.marketplace.orders.domain.persistence;

import static dev.marketplace.orders.domain.persistence.jooq.Tables.SUPPORT_CASES;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.error.ConcurrentChangeException;
import dev.marketplace.orders.domain.persistence.jooq.tables.records.SupportCasesRecord;
import dev.marketplace.orders.domain.support.SupportAction;
import dev.marketplace.orders.domain.support.SupportCase;
import dev.marketplace.orders.domain.support.SupportCaseCursor;
import dev.marketplace.orders.domain.support.SupportCaseKind;
import dev.marketplace.orders.domain.support.SupportCaseQuery;
import dev.marketplace.orders.domain.support.SupportCaseState;
import dev.marketplace.orders.domain.support.SupportFinding;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;

/**
 * Support cases. While one is open its row carries {@code open_slot} (unique per order: one open case
 * per order, kind and opening party); the queue is a keyset scan over (created_at, id).
 */
public final class SupportCaseRepository {

  private final DSLContext tx;
  private final OrderRepository orders;

  SupportCaseRepository(DSLContext tx, OrderRepository orders) {
    this.tx = tx;
    this.orders = orders;
  }

  public void insert(SupportCase supportCase) {
    orders.flushInserted(); // the row refers to its order
    SupportCasesRecord row = tx.newRecord(SUPPORT_CASES);
    row.setId(supportCase.id());
    row.setReference(supportCase.reference());
    row.setOrderId(supportCase.orderId());
    row.setBuyerId(supportCase.buyerId());
    row.setSellerId(supportCase.sellerId());
    row.setKind(supportCase.kind().name());
    row.setOpenedBySubject(supportCase.openedBySubject());
    row.setOpenedByRole(supportCase.openedByRole().name());
    row.setCancellationRequestId(supportCase.cancellationRequestId());
    row.setModificationId(supportCase.modificationId());
    row.setDisputeId(supportCase.disputeId());
    row.setDescription(supportCase.description());
    row.setEvidenceUris(JsonColumns.ofList(supportCase.evidenceUris()));
    row.setFinding(supportCase.finding().name());
    row.setFindingDetail(supportCase.findingDetail());
    row.setCreatedAt(Times.toDb(supportCase.createdAt()));
    copyMutableColumns(supportCase, row);
    tx.insertInto(SUPPORT_CASES).set(row).execute();
  }

  /** The next version of a case (expects the one before it). */
  public void update(SupportCase supportCase) {
    SupportCasesRecord row = tx.newRecord(SUPPORT_CASES);
    copyMutableColumns(supportCase, row);
    int updated =
        tx.update(SUPPORT_CASES)
            .set(SUPPORT_CASES.STATE, row.getState())
            .set(SUPPORT_CASES.OPEN_SLOT, row.getOpenSlot())
            .set(SUPPORT_CASES.ASSIGNEE, row.getAssignee())
            .set(SUPPORT_CASES.ASSIGNED_AT, row.getAssignedAt())
            .set(SUPPORT_CASES.ACTION, row.getAction())
            .set(SUPPORT_CASES.REFUND_ID, row.getRefundId())
            .set(SUPPORT_CASES.RESOLUTION_NOTE, row.getResolutionNote())
            .set(SUPPORT_CASES.RESOLVED_BY_SUBJECT, row.getResolvedBySubject())
            .set(SUPPORT_CASES.RESOLVED_BY_ROLE, row.getResolvedByRole())
            .set(SUPPORT_CASES.UPDATED_AT, row.getUpdatedAt())
            .set(SUPPORT_CASES.RESOLVED_AT, row.getResolvedAt())
            .set(SUPPORT_CASES.VERSION, row.getVersion())
            .where(SUPPORT_CASES.ID.eq(supportCase.id()))
            .and(SUPPORT_CASES.VERSION.eq(supportCase.version() - 1))
            .execute();
    if (updated != 1) {
      throw new ConcurrentChangeException(
          "SUPPORT_CASE_CHANGED_CONCURRENTLY",
          "support case " + supportCase.reference() + " was changed by another call; read it again",
          Map.of("caseId", supportCase.id().toString()));
    }
  }

  public Optional<SupportCase> find(UUID id) {
    return tx.selectFrom(SUPPORT_CASES).where(SUPPORT_CASES.ID.eq(id)).fetchOptional(SupportCaseRepository::toCase);
  }

  public Optional<SupportCase> findByReference(String reference) {
    return tx.selectFrom(SUPPORT_CASES).where(SUPPORT_CASES.REFERENCE.eq(reference)).fetchOptional(SupportCaseRepository::toCase);
  }

  public Optional<SupportCase> lockForUpdate(UUID id) {
    return tx.selectFrom(SUPPORT_CASES).where(SUPPORT_CASES.ID.eq(id)).forUpdate().fetchOptional(SupportCaseRepository::toCase);
  }

  /** The order's open case in this slot (see {@link SupportCase#openSlot()}), if any. */
  public Optional<SupportCase> findOpen(UUID orderId, String openSlot) {
    return tx.selectFrom(SUPPORT_CASES)
        .where(SUPPORT_CASES.ORDER_ID.eq(orderId))
        .and(SUPPORT_CASES.OPEN_SLOT.eq(openSlot))
        .fetchOptional(SupportCaseRepository::toCase);
  }

  /** The case an escalated dispute opened, if any (at most one: the unique key on dispute_id), locked. */
  public Optional<SupportCase> lockForDispute(UUID disputeId) {
    return tx.selectFrom(SUPPORT_CASES).where(SUPPORT_CASES.DISPUTE_ID.eq(disputeId)).forUpdate().fetchOptional(SupportCaseRepository::toCase);
  }

  /** Up to {@code limit} cases matching the query, oldest first (creation time, then id). */
  public List<SupportCase> page(SupportCaseQuery query, int limit) {
    Condition where = SUPPORT_CASES.STATE.in(query.states().stream().map(Enum::name).toList());
    if (!query.kinds().isEmpty()) {
      where = where.and(SUPPORT_CASES.KIND.in(query.kinds().stream().map(Enum::name).toList()));
    }
    if (query.assignee().isPresent()) {
      where = where.and(SUPPORT_CASES.ASSIGNEE.eq(query.assignee().get()));
    }
    if (query.unassigned()) {
      where = where.and(SUPPORT_CASES.ASSIGNEE.isNull());
    }
    if (query.orderId().isPresent()) {
      where = where.and(SUPPORT_CASES.ORDER_ID.eq(query.orderId().get()));
    }
    if (query.after().isPresent()) {
      SupportCaseCursor after = query.after().get();
      String createdAt = Times.toDb(after.createdAt());
      where =
          where.and(
              SUPPORT_CASES.CREATED_AT.gt(createdAt)
                  .or(SUPPORT_CASES.CREATED_AT.eq(createdAt).and(SUPPORT_CASES.ID.gt(after.caseId()))));
    }
    return tx.selectFrom(SUPPORT_CASES)
        .where(where)
        .orderBy(SUPPORT_CASES.CREATED_AT, SUPPORT_CASES.ID)
        .limit(limit)
        .fetch(SupportCaseRepository::toCase);
  }

  private static void copyMutableColumns(SupportCase supportCase, SupportCasesRecord row) {
    row.setState(supportCase.state().name());
    row.setOpenSlot(supportCase.openSlot());
    row.setAssignee(supportCase.assignee());
    row.setAssignedAt(Times.toDb(supportCase.assignedAt()));
    row.setAction(supportCase.action() == null ? null : supportCase.action().name());
    row.setRefundId(supportCase.refundId());
    row.setResolutionNote(supportCase.resolutionNote());
    row.setResolvedBySubject(supportCase.resolvedBySubject());
    row.setResolvedByRole(supportCase.resolvedByRole() == null ? null : supportCase.resolvedByRole().name());
    row.setUpdatedAt(Times.toDb(supportCase.updatedAt()));
    row.setResolvedAt(Times.toDb(supportCase.resolvedAt()));
    row.setVersion(supportCase.version());
  }

  private static SupportCase toCase(SupportCasesRecord row) {
    return new SupportCase(
        row.getId(),
        row.getReference(),
        row.getOrderId(),
        row.getBuyerId(),
        row.getSellerId(),
        SupportCaseKind.valueOf(row.getKind()),
        row.getOpenedBySubject(),
        Role.valueOf(row.getOpenedByRole()),
        row.getCancellationRequestId(),
        row.getModificationId(),
        row.getDisputeId(),
        row.getDescription(),
        JsonColumns.toList(row.getEvidenceUris()),
        SupportFinding.valueOf(row.getFinding()),
        row.getFindingDetail(),
        SupportCaseState.valueOf(row.getState()),
        row.getAssignee(),
        Times.fromDb(row.getAssignedAt()),
        row.getAction() == null ? null : SupportAction.valueOf(row.getAction()),
        row.getRefundId(),
        row.getResolutionNote(),
        row.getResolvedBySubject(),
        row.getResolvedByRole() == null ? null : Role.valueOf(row.getResolvedByRole()),
        Times.fromDb(row.getCreatedAt()),
        Times.fromDb(row.getUpdatedAt()),
        Times.fromDb(row.getResolvedAt()),
        row.getVersion());
  }
}
