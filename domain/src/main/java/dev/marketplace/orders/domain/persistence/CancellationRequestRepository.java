package dev.marketplace.orders.domain.persistence;

import static dev.marketplace.orders.domain.persistence.jooq.Tables.CANCELLATION_REQUESTS;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.cancellation.CancellationRequest;
import dev.marketplace.orders.domain.cancellation.CancellationRequestCursor;
import dev.marketplace.orders.domain.cancellation.CancellationRequestQuery;
import dev.marketplace.orders.domain.cancellation.CancellationRequestState;
import dev.marketplace.orders.domain.cancellation.RejectionReason;
import dev.marketplace.orders.domain.error.ConcurrentChangeException;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.domain.persistence.jooq.tables.records.CancellationRequestsRecord;
import dev.marketplace.orders.domain.order.LineQuantity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Cancellation requests. While a request is PENDING its row carries {@code pending_order_id} (unique:
 * one pending request per order) and {@code pending_rank = 0}; both change with its state here and
 * nowhere else. Listings and the deadline sweep are keyset scans over (rank, respond_by, id).
 */
public final class CancellationRequestRepository {

  private final DSLContext tx;

  private final OrderRepository orders;

  CancellationRequestRepository(DSLContext tx, OrderRepository orders) {
    this.tx = tx;
    this.orders = orders;
  }

  public void insert(CancellationRequest request) {
    orders.flushInserted(); // the row refers to its order
    CancellationRequestsRecord row = tx.newRecord(CANCELLATION_REQUESTS);
    row.setId(request.id());
    row.setReference(request.reference());
    row.setOrderId(request.orderId());
    row.setBuyerId(request.buyerId());
    row.setSellerId(request.sellerId());
    row.setReason(request.reason().name());
    row.setExplanation(request.explanation());
    row.setRespondBy(Times.toDb(request.respondBy()));
    row.setCreatedAt(Times.toDb(request.createdAt()));
    row.setCancelledLines(request.isPartial() ? linesToJson(request.lines()) : null);
    copyMutableColumns(request, row);
    tx.insertInto(CANCELLATION_REQUESTS).set(row).execute();
    orders.countCancellationRequest(request.orderId());
  }

  public void update(CancellationRequest request) {
    CancellationRequestsRecord row = tx.newRecord(CANCELLATION_REQUESTS);
    copyMutableColumns(request, row);
    int updated =
        tx.update(CANCELLATION_REQUESTS)
            .set(CANCELLATION_REQUESTS.STATE, row.getState())
            .set(CANCELLATION_REQUESTS.PENDING_RANK, row.getPendingRank())
            .set(CANCELLATION_REQUESTS.PENDING_ORDER_ID, row.getPendingOrderId())
            .set(CANCELLATION_REQUESTS.REJECTION_REASON, row.getRejectionReason())
            .set(CANCELLATION_REQUESTS.REJECTION_NOTE, row.getRejectionNote())
            .set(CANCELLATION_REQUESTS.RESOLVED_BY_SUBJECT, row.getResolvedBySubject())
            .set(CANCELLATION_REQUESTS.RESOLVED_BY_ROLE, row.getResolvedByRole())
            .set(CANCELLATION_REQUESTS.RESOLVED_AT, row.getResolvedAt())
            .set(CANCELLATION_REQUESTS.VERSION, row.getVersion())
            .where(CANCELLATION_REQUESTS.ID.eq(request.id()))
            .and(CANCELLATION_REQUESTS.VERSION.eq(request.version() - 1))
            .execute();
    if (updated != 1) {
      throw new ConcurrentChangeException(
          "CANCELLATION_REQUEST_CHANGED_CONCURRENTLY",
          "cancellation request " + request.reference() + " was changed by another call; read it again",
          Map.of("cancellationRequestId", request.id().toString()));
    }
  }

  public Optional<CancellationRequest> find(UUID id) {
    return tx.selectFrom(CANCELLATION_REQUESTS)
        .where(CANCELLATION_REQUESTS.ID.eq(id))
        .fetchOptional(CancellationRequestRepository::toRequest);
  }

  /** The order's most recent cancellation request, if it has any. */
  public Optional<CancellationRequest> latestForOrder(UUID orderId) {
    return tx.selectFrom(CANCELLATION_REQUESTS)
        .where(CANCELLATION_REQUESTS.ORDER_ID.eq(orderId))
        .orderBy(CANCELLATION_REQUESTS.CREATED_AT.desc(), CANCELLATION_REQUESTS.ID.desc())
        .limit(1)
        .fetchOptional(CancellationRequestRepository::toRequest);
  }

  public Optional<CancellationRequest> lockForUpdate(UUID id) {
    return tx.selectFrom(CANCELLATION_REQUESTS)
        .where(CANCELLATION_REQUESTS.ID.eq(id))
        .forUpdate()
        .fetchOptional(CancellationRequestRepository::toRequest);
  }

  /** The order's PENDING request, if any (there is at most one). */
  public Optional<CancellationRequest> findPendingForOrder(UUID orderId) {
    return tx.selectFrom(CANCELLATION_REQUESTS)
        .where(CANCELLATION_REQUESTS.PENDING_ORDER_ID.eq(orderId))
        .fetchOptional(CancellationRequestRepository::toRequest);
  }

  /** Whether a cancellation request of the order was rejected by its seller (a dispute may follow). */
  public boolean hasRejectedForOrder(UUID orderId) {
    return tx.fetchExists(
        tx.selectOne()
            .from(CANCELLATION_REQUESTS)
            .where(CANCELLATION_REQUESTS.ORDER_ID.eq(orderId))
            .and(CANCELLATION_REQUESTS.STATE.eq(CancellationRequestState.REJECTED.name())));
  }

  /**
   * Claims up to {@code limit} PENDING requests whose deadline has passed, oldest deadline first,
   * locking them and skipping any another transaction holds: concurrent sweepers (on any number of
   * replicas) claim disjoint sets.
   */
  public List<CancellationRequest> claimDue(Instant now, int limit) {
    return tx.selectFrom(CANCELLATION_REQUESTS)
        .where(CANCELLATION_REQUESTS.PENDING_RANK.eq((byte) 0))
        .and(CANCELLATION_REQUESTS.RESPOND_BY.le(Times.toDb(now)))
        .orderBy(CANCELLATION_REQUESTS.RESPOND_BY, CANCELLATION_REQUESTS.ID)
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .fetch(CancellationRequestRepository::toRequest);
  }

  /**
   * Orders of this buyer and/or seller (or of anyone, when neither is given) with a PENDING request
   * whose deadline has passed, at most {@code limit}: an index range scan on (party, rank, respond_by).
   */
  public List<UUID> ordersWithDueRequest(Optional<String> buyerId, Optional<String> sellerId, Instant now, int limit) {
    Condition where = CANCELLATION_REQUESTS.PENDING_RANK.eq((byte) 0).and(CANCELLATION_REQUESTS.RESPOND_BY.le(Times.toDb(now)));
    if (buyerId.isPresent()) {
      where = where.and(CANCELLATION_REQUESTS.BUYER_ID.eq(buyerId.get()));
    }
    if (sellerId.isPresent()) {
      where = where.and(CANCELLATION_REQUESTS.SELLER_ID.eq(sellerId.get()));
    }
    return tx.select(CANCELLATION_REQUESTS.ORDER_ID)
        .from(CANCELLATION_REQUESTS)
        .where(where)
        .orderBy(CANCELLATION_REQUESTS.RESPOND_BY)
        .limit(limit)
        .fetch(CANCELLATION_REQUESTS.ORDER_ID);
  }

  /** Up to {@code limit} requests matching the query: PENDING first, then by deadline, then id. */
  public List<CancellationRequest> page(CancellationRequestQuery query, int limit) {
    Condition where = DSL.noCondition();
    if (query.buyerId().isPresent()) {
      where = where.and(CANCELLATION_REQUESTS.BUYER_ID.eq(query.buyerId().get()));
    }
    if (query.sellerId().isPresent()) {
      where = where.and(CANCELLATION_REQUESTS.SELLER_ID.eq(query.sellerId().get()));
    }
    if (query.orderId().isPresent()) {
      where = where.and(CANCELLATION_REQUESTS.ORDER_ID.eq(query.orderId().get()));
    }
    if (!query.states().isEmpty()) {
      where = where.and(CANCELLATION_REQUESTS.STATE.in(query.states().stream().map(Enum::name).toList()));
    }
    if (query.after().isPresent()) {
      CancellationRequestCursor after = query.after().get();
      byte rank = rank(after.pending());
      String respondBy = Times.toDb(after.respondBy());
      where =
          where.and(
              CANCELLATION_REQUESTS.PENDING_RANK.gt(rank)
                  .or(CANCELLATION_REQUESTS.PENDING_RANK.eq(rank).and(CANCELLATION_REQUESTS.RESPOND_BY.gt(respondBy)))
                  .or(
                      CANCELLATION_REQUESTS.PENDING_RANK.eq(rank)
                          .and(CANCELLATION_REQUESTS.RESPOND_BY.eq(respondBy))
                          .and(CANCELLATION_REQUESTS.ID.gt(after.cancellationRequestId()))));
    }
    return tx.selectFrom(CANCELLATION_REQUESTS)
        .where(where)
        .orderBy(CANCELLATION_REQUESTS.PENDING_RANK, CANCELLATION_REQUESTS.RESPOND_BY, CANCELLATION_REQUESTS.ID)
        .limit(limit)
        .fetch(CancellationRequestRepository::toRequest);
  }

  private static byte rank(boolean pending) {
    return (byte) (pending ? 0 : 1);
  }

  private static void copyMutableColumns(CancellationRequest request, CancellationRequestsRecord row) {
    boolean pending = request.state().isPending();
    row.setState(request.state().name());
    row.setPendingRank(rank(pending));
    row.setPendingOrderId(pending ? request.orderId() : null);
    row.setRejectionReason(request.rejectionReason() == null ? null : request.rejectionReason().name());
    row.setRejectionNote(request.rejectionNote());
    row.setResolvedBySubject(request.resolvedBySubject());
    row.setResolvedByRole(request.resolvedByRole() == null ? null : request.resolvedByRole().name());
    row.setResolvedAt(Times.toDb(request.resolvedAt()));
    row.setVersion(request.version());
  }

  private static CancellationRequest toRequest(CancellationRequestsRecord row) {
    return new CancellationRequest(
        row.getId(),
        row.getReference(),
        row.getOrderId(),
        row.getBuyerId(),
        row.getSellerId(),
        CancellationReason.valueOf(row.getReason()),
        row.getExplanation(),
        CancellationRequestState.valueOf(row.getState()),
        Times.fromDb(row.getRespondBy()),
        row.getRejectionReason() == null ? null : RejectionReason.valueOf(row.getRejectionReason()),
        row.getRejectionNote(),
        row.getResolvedBySubject(),
        row.getResolvedByRole() == null ? null : Role.valueOf(row.getResolvedByRole()),
        Times.fromDb(row.getCreatedAt()),
        Times.fromDb(row.getResolvedAt()),
        row.getVersion(),
        row.getCancelledLines() == null ? List.of() : linesFromJson(row.getCancelledLines()));
  }

  /** The units of a partial request as {"lineIndex": "units"}. */
  private static String linesToJson(List<LineQuantity> lines) {
    Map<String, String> json = new LinkedHashMap<>();
    lines.forEach(l -> json.put(Integer.toString(l.lineIndex()), Integer.toString(l.quantity())));
    return JsonColumns.ofMap(json);
  }

  private static List<LineQuantity> linesFromJson(String json) {
    List<LineQuantity> lines = new ArrayList<>();
    JsonColumns.toMap(json).forEach((line, units) -> lines.add(new LineQuantity(Integer.parseInt(line), Integer.parseInt(units))));
    lines.sort(Comparator.comparingInt(LineQuantity::lineIndex));
    return lines;
  }
}
