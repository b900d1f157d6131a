package dev.marketplace.orders.domain.persistence;

import static dev.marketplace.orders.domain.persistence.jooq.Tables.DISPUTES;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.dispute.Dispute;
import dev.marketplace.orders.domain.dispute.DisputeCursor;
import dev.marketplace.orders.domain.dispute.DisputeOutcome;
import dev.marketplace.orders.domain.dispute.DisputeQuery;
import dev.marketplace.orders.domain.dispute.DisputeReason;
import dev.marketplace.orders.domain.dispute.DisputeState;
import dev.marketplace.orders.domain.error.ConcurrentChangeException;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.persistence.jooq.tables.records.DisputesRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Disputes. While one is open (not RESOLVED or WITHDRAWN) its row carries {@code open_order_id}
 * (unique: one open dispute per order); {@code open_rank} is 0 while its parties may agree (the
 * deadline counts), 1 once escalated, 2 once closed. Listings and the escalation sweep are keyset
 * scans over (rank, respond_by, id).
 */
public final class DisputeRepository {

  private final DSLContext tx;
  private final OrderRepository orders;

  DisputeRepository(DSLContext tx, OrderRepository orders) {
    this.tx = tx;
    this.orders = orders;
  }

  public void insert(Dispute dispute) {
    orders.flushInserted(); // the row refers to its order
    DisputesRecord row = tx.newRecord(DISPUTES);
    row.setId(dispute.id());
    row.setOrderId(dispute.orderId());
    row.setBuyerId(dispute.buyerId());
    row.setSellerId(dispute.sellerId());
    row.setReason(dispute.reason().name());
    row.setDescription(dispute.description());
    row.setEvidenceUris(JsonColumns.ofList(dispute.evidenceUris()));
    row.setRequestedFull((byte) (dispute.fullRefundAsked() ? 1 : 0));
    row.setRequestedMinor(dispute.askedAmount() == null ? null : dispute.askedAmount().amountMinor());
    row.setRequestedReturn((byte) (dispute.returnAsked() ? 1 : 0));
    row.setCurrencyCode(dispute.currencyCode());
    row.setRespondBy(Times.toDb(dispute.respondBy()));
    row.setEscalableFrom(Times.toDb(dispute.escalableFrom()));
    row.setCreatedAt(Times.toDb(dispute.createdAt()));
    copyMutableColumns(dispute, row);
    tx.insertInto(DISPUTES).set(row).execute();
  }

  /** The next version of a dispute (expects the one before it). */
  public void update(Dispute dispute) {
    DisputesRecord row = tx.newRecord(DISPUTES);
    copyMutableColumns(dispute, row);
    int updated =
        tx.update(DISPUTES)
            .set(DISPUTES.STATE, row.getState())
            .set(DISPUTES.OUTCOME, row.getOutcome())
            .set(DISPUTES.OPEN_RANK, row.getOpenRank())
            .set(DISPUTES.OPEN_ORDER_ID, row.getOpenOrderId())
            .set(DISPUTES.OFFERED_MINOR, row.getOfferedMinor())
            .set(DISPUTES.SELLER_NOTE, row.getSellerNote())
            .set(DISPUTES.SELLER_EVIDENCE_URIS, row.getSellerEvidenceUris())
            .set(DISPUTES.SUPPORT_NOTE, row.getSupportNote())
            .set(DISPUTES.REFUNDED_MINOR, row.getRefundedMinor())
            .set(DISPUTES.ESCALATED_BY_SUBJECT, row.getEscalatedBySubject())
            .set(DISPUTES.ESCALATED_BY_ROLE, row.getEscalatedByRole())
            .set(DISPUTES.ESCALATED_AT, row.getEscalatedAt())
            .set(DISPUTES.RESOLVED_BY_SUBJECT, row.getResolvedBySubject())
            .set(DISPUTES.RESOLVED_BY_ROLE, row.getResolvedByRole())
            .set(DISPUTES.UPDATED_AT, row.getUpdatedAt())
            .set(DISPUTES.RESOLVED_AT, row.getResolvedAt())
            .set(DISPUTES.VERSION, row.getVersion())
            .where(DISPUTES.ID.eq(dispute.id()))
            .and(DISPUTES.VERSION.eq(dispute.version() - 1))
            .execute();
    if (updated != 1) {
      throw new ConcurrentChangeException(
          "DISPUTE_CHANGED_CONCURRENTLY",
          "dispute " + dispute.id() + " was changed by another call; read it again",
          Map.of("disputeId", dispute.id().toString()));
    }
  }

  public Optional<Dispute> find(UUID id) {
    return tx.selectFrom(DISPUTES).where(DISPUTES.ID.eq(id)).fetchOptional(DisputeRepository::toDispute);
  }

  public Optional<Dispute> lockForUpdate(UUID id) {
    return tx.selectFrom(DISPUTES).where(DISPUTES.ID.eq(id)).forUpdate().fetchOptional(DisputeRepository::toDispute);
  }

  /** The order's open dispute, if any (there is at most one). */
  public Optional<Dispute> findOpenForOrder(UUID orderId) {
    return tx.selectFrom(DISPUTES).where(DISPUTES.OPEN_ORDER_ID.eq(orderId)).fetchOptional(DisputeRepository::toDispute);
  }

  /**
   * Claims up to {@code limit} disputes the parties have not agreed by their deadline, oldest deadline
   * first, locking them and skipping any another transaction holds: concurrent sweepers claim
   * disjoint sets.
   */
  public List<Dispute> claimDue(Instant now, int limit) {
    return tx.selectFrom(DISPUTES)
        .where(DISPUTES.OPEN_RANK.eq((byte) 0))
        .and(DISPUTES.RESPOND_BY.le(Times.toDb(now)))
        .orderBy(DISPUTES.RESPOND_BY, DISPUTES.ID)
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .fetch(DisputeRepository::toDispute);
  }

  /** Disputes of this buyer and/or seller (or anyone's) past their deadline and not escalated yet, at most {@code limit}. */
  public List<UUID> dueDisputes(Optional<String> buyerId, Optional<String> sellerId, Instant now, int limit) {
    Condition where = DISPUTES.OPEN_RANK.eq((byte) 0).and(DISPUTES.RESPOND_BY.le(Times.toDb(now)));
    if (buyerId.isPresent()) {
      where = where.and(DISPUTES.BUYER_ID.eq(buyerId.get()));
    }
    if (sellerId.isPresent()) {
      where = where.and(DISPUTES.SELLER_ID.eq(sellerId.get()));
    }
    return tx.select(DISPUTES.ID).from(DISPUTES).where(where).orderBy(DISPUTES.RESPOND_BY).limit(limit).fetch(DISPUTES.ID);
  }

  /** Up to {@code limit} disputes matching the query: by rank (awaiting the parties, escalated, closed), deadline, id. */
  public List<Dispute> page(DisputeQuery query, int limit) {
    Condition where = DSL.noCondition();
    if (query.buyerId().isPresent()) {
      where = where.and(DISPUTES.BUYER_ID.eq(query.buyerId().get()));
    }
    if (query.sellerId().isPresent()) {
      where = where.and(DISPUTES.SELLER_ID.eq(query.sellerId().get()));
    }
    if (query.orderId().isPresent()) {
      where = where.and(DISPUTES.ORDER_ID.eq(query.orderId().get()));
    }
    if (!query.states().isEmpty()) {
      where = where.and(DISPUTES.STATE.in(query.states().stream().map(Enum::name).toList()));
    }
    if (query.after().isPresent()) {
      DisputeCursor after = query.after().get();
      byte rank = (byte) after.rank();
      String respondBy = Times.toDb(after.respondBy());
      where =
          where.and(
              DISPUTES.OPEN_RANK.gt(rank)
                  .or(DISPUTES.OPEN_RANK.eq(rank).and(DISPUTES.RESPOND_BY.gt(respondBy)))
                  .or(DISPUTES.OPEN_RANK.eq(rank).and(DISPUTES.RESPOND_BY.eq(respondBy)).and(DISPUTES.ID.gt(after.disputeId()))));
    }
    return tx.selectFrom(DISPUTES)
        .where(where)
        .orderBy(DISPUTES.OPEN_RANK, DISPUTES.RESPOND_BY, DISPUTES.ID)
        .limit(limit)
        .fetch(DisputeRepository::toDispute);
  }

  private static void copyMutableColumns(Dispute dispute, DisputesRecord row) {
    row.setState(dispute.state().name());
    row.setOutcome(dispute.outcome() == null ? null : dispute.outcome().name());
    row.setOpenRank((byte) dispute.state().rank());
    row.setOpenOrderId(dispute.state().isOpen() ? dispute.orderId() : null);
    row.setOfferedMinor(dispute.offered() == null ? null : dispute.offered().amountMinor());
    row.setSellerNote(dispute.sellerNote());
    row.setSellerEvidenceUris(JsonColumns.ofList(dispute.sellerEvidenceUris()));
    row.setSupportNote(dispute.supportNote());
    row.setRefundedMinor(dispute.refunded() == null ? null : dispute.refunded().amountMinor());
    row.setEscalatedBySubject(dispute.escalatedBySubject());
    row.setEscalatedByRole(dispute.escalatedByRole() == null ? null : dispute.escalatedByRole().name());
    row.setEscalatedAt(Times.toDb(dispute.escalatedAt()));
    row.setResolvedBySubject(dispute.resolvedBySubject());
    row.setResolvedByRole(dispute.resolvedByRole() == null ? null : dispute.resolvedByRole().name());
    row.setUpdatedAt(Times.toDb(dispute.updatedAt()));
    row.setResolvedAt(Times.toDb(dispute.resolvedAt()));
    row.setVersion(dispute.version());
  }

  private static Money money(String currency, Long minor) {
    return minor == null ? null : new Money(currency, minor);
  }

  private static Dispute toDispute(DisputesRecord row) {
    String currency = row.getCurrencyCode();
    return new Dispute(
        row.getId(),
        row.getOrderId(),
        row.getBuyerId(),
        row.getSellerId(),
        DisputeReason.valueOf(row.getReason()),
        row.getDescription(),
        JsonColumns.toList(row.getEvidenceUris()),
        row.getRequestedFull() != 0,
        money(currency, row.getRequestedMinor()),
        row.getRequestedReturn() != 0,
        currency,
        DisputeState.valueOf(row.getState()),
        row.getOutcome() == null ? null : DisputeOutcome.valueOf(row.getOutcome()),
        Times.fromDb(row.getRespondBy()),
        Times.fromDb(row.getEscalableFrom()),
        money(currency, row.getOfferedMinor()),
        row.getSellerNote(),
        row.getSellerEvidenceUris() == null ? List.of() : JsonColumns.toList(row.getSellerEvidenceUris()),
        row.getSupportNote(),
        money(currency, row.getRefundedMinor()),
        row.getEscalatedBySubject(),
        row.getEscalatedByRole() == null ? null : Role.valueOf(row.getEscalatedByRole()),
        Times.fromDb(row.getEscalatedAt()),
        row.getResolvedBySubject(),
        row.getResolvedByRole() == null ? null : Role.valueOf(row.getResolvedByRole()),
        Times.fromDb(row.getCreatedAt()),
        Times.fromDb(row.getUpdatedAt()),
        Times.fromDb(row.getResolvedAt()),
        row.getVersion());
  }
}
