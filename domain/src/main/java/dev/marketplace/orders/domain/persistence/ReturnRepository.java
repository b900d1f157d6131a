package dev.marketplace.orders.domain.persistence;

import static dev.marketplace.orders.domain.persistence.jooq.Tables.RETURNS;
import static dev.marketplace.orders.domain.persistence.jooq.Tables.RETURN_LINES;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.error.ConcurrentChangeException;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.persistence.jooq.tables.records.ReturnLinesRecord;
import dev.marketplace.orders.domain.persistence.jooq.tables.records.ReturnsRecord;
import dev.marketplace.orders.domain.returns.Return;
import dev.marketplace.orders.domain.returns.ReturnCursor;
import dev.marketplace.orders.domain.returns.ReturnLine;
import dev.marketplace.orders.domain.returns.ReturnQuery;
import dev.marketplace.orders.domain.returns.ReturnReason;
import dev.marketplace.orders.domain.returns.ReturnState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Returns and their lines. While one is open (REQUESTED, APPROVED, SHIPPED) its row carries {@code
 * open_order_id} (unique: one open return per order); {@code due_at} is the deadline that counts now,
 * which the sweep scans. Listings are keyset scans over (rank, created_at, id).
 */
public final class ReturnRepository {

  private final DSLContext tx;
  private final OrderRepository orders;

  ReturnRepository(DSLContext tx, OrderRepository orders) {
    this.tx = tx;
    this.orders = orders;
  }

  public void insert(Return ret) {
    orders.flushInserted(); // the row refers to its order
    ReturnsRecord row = tx.newRecord(RETURNS);
    row.setId(ret.id());
    row.setOrderId(ret.orderId());
    row.setBuyerId(ret.buyerId());
    row.setSellerId(ret.sellerId());
    row.setDisputeId(ret.disputeId());
    row.setReason(ret.reason().name());
    row.setDescription(ret.description());
    row.setEvidenceUris(JsonColumns.ofList(ret.evidenceUris()));
    row.setCurrencyCode(ret.currencyCode());
    row.setRespondBy(Times.toDb(ret.respondBy()));
    row.setCreatedAt(Times.toDb(ret.createdAt()));
    copyMutableColumns(ret, row);
    tx.insertInto(RETURNS).set(row).execute();
    List<ReturnLinesRecord> lines = new ArrayList<>();
    for (ReturnLine line : ret.lines()) {
      lines.add(tx.newRecord(RETURN_LINES).setReturnId(ret.id()).setLineNo(line.lineIndex() + 1).setQuantity(line.quantity()));
    }
    tx.batchInsert(lines).execute();
  }

  /** The next version of a return (expects the one before it); its lines never change. */
  public void update(Return ret) {
    ReturnsRecord row = tx.newRecord(RETURNS);
    copyMutableColumns(ret, row);
    int updated =
        tx.update(RETURNS)
            .set(RETURNS.STATE, row.getState())
            .set(RETURNS.OPEN_RANK, row.getOpenRank())
            .set(RETURNS.OPEN_ORDER_ID, row.getOpenOrderId())
            .set(RETURNS.DUE_AT, row.getDueAt())
            .set(RETURNS.SELLER_NOTE, row.getSellerNote())
            .set(RETURNS.CARRIER, row.getCarrier())
            .set(RETURNS.TRACKING_NUMBER, row.getTrackingNumber())
            .set(RETURNS.SHIPPED_AT, row.getShippedAt())
            .set(RETURNS.RECEIVE_BY, row.getReceiveBy())
            .set(RETURNS.REFUNDED_MINOR, row.getRefundedMinor())
            .set(RETURNS.SHARE_MINOR, row.getShareMinor())
            .set(RETURNS.DECIDED_BY_SUBJECT, row.getDecidedBySubject())
            .set(RETURNS.DECIDED_BY_ROLE, row.getDecidedByRole())
            .set(RETURNS.DECIDED_AT, row.getDecidedAt())
            .set(RETURNS.RECEIVED_BY_SUBJECT, row.getReceivedBySubject())
            .set(RETURNS.RECEIVED_BY_ROLE, row.getReceivedByRole())
            .set(RETURNS.RECEIVED_AT, row.getReceivedAt())
            .set(RETURNS.UPDATED_AT, row.getUpdatedAt())
            .set(RETURNS.CLOSED_AT, row.getClosedAt())
            .set(RETURNS.VERSION, row.getVersion())
            .where(RETURNS.ID.eq(ret.id()))
            .and(RETURNS.VERSION.eq(ret.version() - 1))
            .execute();
    if (updated != 1) {
      throw new ConcurrentChangeException(
          "RETURN_CHANGED_CONCURRENTLY", "return " + ret.id() + " was changed by another call; read it again", Map.of("returnId", ret.id().toString()));
    }
  }

  public Optional<Return> find(UUID id) {
    return tx.selectFrom(RETURNS).where(RETURNS.ID.eq(id)).fetchOptional().map(this::withLines);
  }

  public Optional<Return> lockForUpdate(UUID id) {
    return tx.selectFrom(RETURNS).where(RETURNS.ID.eq(id)).forUpdate().fetchOptional().map(this::withLines);
  }

  /** The return a dispute's "return and refund" resolution opened, if any. */
  public Optional<UUID> findIdForDispute(UUID disputeId) {
    return tx.select(RETURNS.ID).from(RETURNS).where(RETURNS.DISPUTE_ID.eq(disputeId)).fetchOptional(RETURNS.ID);
  }

  /** The order's open return, if any (there is at most one). */
  public Optional<Return> findOpenForOrder(UUID orderId) {
    return tx.selectFrom(RETURNS).where(RETURNS.OPEN_ORDER_ID.eq(orderId)).fetchOptional().map(this::withLines);
  }

  /**
   * Claims up to {@code limit} returns past their deadline, earliest first, locking them and skipping
   * any another transaction holds: concurrent sweepers claim disjoint sets.
   */
  public List<Return> claimDue(Instant now, int limit) {
    return withLines(
        tx.selectFrom(RETURNS).where(RETURNS.DUE_AT.le(Times.toDb(now))).orderBy(RETURNS.DUE_AT, RETURNS.ID).limit(limit).forUpdate().skipLocked().fetch());
  }

  /** Returns of this buyer and/or seller (or anyone's) past their deadline, at most {@code limit}. */
  public List<UUID> dueReturns(Optional<String> buyerId, Optional<String> sellerId, Instant now, int limit) {
    Condition where = RETURNS.DUE_AT.le(Times.toDb(now));
    if (buyerId.isPresent()) {
      where = where.and(RETURNS.BUYER_ID.eq(buyerId.get()));
    }
    if (sellerId.isPresent()) {
      where = where.and(RETURNS.SELLER_ID.eq(sellerId.get()));
    }
    return tx.select(RETURNS.ID).from(RETURNS).where(where).orderBy(RETURNS.DUE_AT).limit(limit).fetch(RETURNS.ID);
  }

  /** Up to {@code limit} returns matching the query: open first, then oldest first, then by id. */
  public List<Return> page(ReturnQuery query, int limit) {
    Condition where = DSL.noCondition();
    if (query.buyerId().isPresent()) {
      where = where.and(RETURNS.BUYER_ID.eq(query.buyerId().get()));
    }
    if (query.sellerId().isPresent()) {
      where = where.and(RETURNS.SELLER_ID.eq(query.sellerId().get()));
    }
    if (query.orderId().isPresent()) {
      where = where.and(RETURNS.ORDER_ID.eq(query.orderId().get()));
    }
    if (!query.states().isEmpty()) {
      where = where.and(RETURNS.STATE.in(query.states().stream().map(Enum::name).toList()));
    }
    if (query.after().isPresent()) {
      ReturnCursor after = query.after().get();
      byte rank = (byte) after.rank();
      String created = Times.toDb(after.createdAt());
      where =
          where.and(
              RETURNS.OPEN_RANK.gt(rank)
                  .or(RETURNS.OPEN_RANK.eq(rank).and(RETURNS.CREATED_AT.gt(created)))
                  .or(RETURNS.OPEN_RANK.eq(rank).and(RETURNS.CREATED_AT.eq(created)).and(RETURNS.ID.gt(after.returnId()))));
    }
    return withLines(tx.selectFrom(RETURNS).where(where).orderBy(RETURNS.OPEN_RANK, RETURNS.CREATED_AT, RETURNS.ID).limit(limit).fetch());
  }

  private Return withLines(ReturnsRecord row) {
    return withLines(List.of(row)).get(0);
  }

  /** The rows as returns, their lines read in one query. */
  private List<Return> withLines(List<ReturnsRecord> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    Map<UUID, List<ReturnLine>> lines = new HashMap<>();
    for (ReturnLinesRecord line :
        tx.selectFrom(RETURN_LINES)
            .where(RETURN_LINES.RETURN_ID.in(rows.stream().map(ReturnsRecord::getId).toList()))
            .orderBy(RETURN_LINES.RETURN_ID, RETURN_LINES.LINE_NO)
            .fetch()) {
      lines.computeIfAbsent(line.getReturnId(), id -> new ArrayList<>()).add(new ReturnLine(line.getLineNo() - 1, line.getQuantity()));
    }
    return rows.stream().map(row -> toReturn(row, lines.getOrDefault(row.getId(), List.of()))).toList();
  }

  private static void copyMutableColumns(Return ret, ReturnsRecord row) {
    row.setState(ret.state().name());
    row.setOpenRank((byte) ret.state().rank());
    row.setOpenOrderId(ret.state().isOpen() ? ret.orderId() : null);
    row.setDueAt(Times.toDb(ret.dueAt()));
    row.setSellerNote(ret.sellerNote());
    row.setCarrier(ret.carrier());
    row.setTrackingNumber(ret.trackingNumber());
    row.setShippedAt(Times.toDb(ret.shippedAt()));
    row.setReceiveBy(Times.toDb(ret.receiveBy()));
    row.setRefundedMinor(ret.refunded() == null ? null : ret.refunded().amountMinor());
    row.setShareMinor(ret.share() == null ? null : ret.share().amountMinor());
    row.setDecidedBySubject(ret.decidedBySubject());
    row.setDecidedByRole(ret.decidedByRole() == null ? null : ret.decidedByRole().name());
    row.setDecidedAt(Times.toDb(ret.decidedAt()));
    row.setReceivedBySubject(ret.receivedBySubject());
    row.setReceivedByRole(ret.receivedByRole() == null ? null : ret.receivedByRole().name());
    row.setReceivedAt(Times.toDb(ret.receivedAt()));
    row.setUpdatedAt(Times.toDb(ret.updatedAt()));
    row.setClosedAt(Times.toDb(ret.closedAt()));
    row.setVersion(ret.version());
  }

  private static Return toReturn(ReturnsRecord row, List<ReturnLine> lines) {
    String currency = row.getCurrencyCode();
    return new Return(
        row.getId(),
        row.getOrderId(),
        row.getBuyerId(),
        row.getSellerId(),
        row.getDisputeId(),
        ReturnReason.valueOf(row.getReason()),
        row.getDescription(),
        JsonColumns.toList(row.getEvidenceUris()),
        lines,
        currency,
        ReturnState.valueOf(row.getState()),
        Times.fromDb(row.getRespondBy()),
        row.getSellerNote(),
        row.getCarrier(),
        row.getTrackingNumber(),
        Times.fromDb(row.getShippedAt()),
        Times.fromDb(row.getReceiveBy()),
        row.getRefundedMinor() == null ? null : new Money(currency, row.getRefundedMinor()),
        row.getShareMinor() == null ? null : new Money(currency, row.getShareMinor()),
        row.getDecidedBySubject(),
        row.getDecidedByRole() == null ? null : Role.valueOf(row.getDecidedByRole()),
        Times.fromDb(row.getDecidedAt()),
        row.getReceivedBySubject(),
        row.getReceivedByRole() == null ? null : Role.valueOf(row.getReceivedByRole()),
        Times.fromDb(row.getReceivedAt()),
        Times.fromDb(row.getCreatedAt()),
        Times.fromDb(row.getUpdatedAt()),
        Times.fromDb(row.getClosedAt()),
        row.getVersion());
  }
}
