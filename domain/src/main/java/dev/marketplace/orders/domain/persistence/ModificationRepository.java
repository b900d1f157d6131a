package dev.marketplace.orders.domain.persistence;

import static dev.marketplace.orders.domain.persistence.jooq.Tables.MODIFICATION_REQUESTS;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.error.ConcurrentChangeException;
import dev.marketplace.orders.domain.modification.Change;
import dev.marketplace.orders.domain.modification.Modification;
import dev.marketplace.orders.domain.modification.ModificationCursor;
import dev.marketplace.orders.domain.modification.ModificationQuery;
import dev.marketplace.orders.domain.modification.ModificationState;
import dev.marketplace.orders.domain.modification.OpenModification;
import dev.marketplace.orders.domain.order.ShippingAddress;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.persistence.jooq.tables.records.ModificationRequestsRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Modification requests. While one is PROPOSED its row carries {@code open_order_id} (unique: one open
 * modification per order) and {@code open_rank = 0}, and its order's row carries its id and deadline
 * ({@link OrderRepository#openModification}); all three change with its state here and nowhere else.
 * Listings and the deadline sweep are keyset scans over (rank, respond_by, id).
 */
public final class ModificationRepository {

  private final DSLContext tx;
  private final OrderRepository orders;

  ModificationRepository(DSLContext tx, OrderRepository orders) {
    this.tx = tx;
    this.orders = orders;
  }

  /** A new proposal: its row, and its order's row marked as having it open (written with the order). */
  public void insert(Modification modification) {
    orders.flushInserted(); // the row refers to its order
    ModificationRequestsRecord row = tx.newRecord(MODIFICATION_REQUESTS);
    row.setId(modification.id());
    row.setOrderId(modification.orderId());
    row.setBuyerId(modification.buyerId());
    row.setSellerId(modification.sellerId());
    row.setChangeKind(modification.change().kind().name());
    row.setChangeValue(changeValue(modification.change()));
    row.setProposedBySubject(modification.proposedBySubject());
    row.setProposedByRole(modification.proposedByRole().name());
    row.setRespondBy(Times.toDb(modification.respondBy()));
    row.setCurrencyCode(modification.totalBefore().currencyCode());
    row.setCreatedAt(Times.toDb(modification.createdAt()));
    copyMutableColumns(modification, row);
    tx.insertInto(MODIFICATION_REQUESTS).set(row).execute();
    orders.markOpenModification(modification.orderId(), Optional.of(OpenModification.of(modification)));
  }

  /** The next version of a modification (expects the one before it); a closed one leaves its order's row. */
  public void update(Modification modification) {
    ModificationRequestsRecord row = tx.newRecord(MODIFICATION_REQUESTS);
    copyMutableColumns(modification, row);
    int updated =
        tx.update(MODIFICATION_REQUESTS)
            .set(MODIFICATION_REQUESTS.STATE, row.getState())
            .set(MODIFICATION_REQUESTS.OPEN_RANK, row.getOpenRank())
            .set(MODIFICATION_REQUESTS.OPEN_ORDER_ID, row.getOpenOrderId())
            .set(MODIFICATION_REQUESTS.TOTAL_BEFORE_MINOR, row.getTotalBeforeMinor())
            .set(MODIFICATION_REQUESTS.TOTAL_AFTER_MINOR, row.getTotalAfterMinor())
            .set(MODIFICATION_REQUESTS.RESOLVED_BY_SUBJECT, row.getResolvedBySubject())
            .set(MODIFICATION_REQUESTS.RESOLVED_BY_ROLE, row.getResolvedByRole())
            .set(MODIFICATION_REQUESTS.RESOLVED_AT, row.getResolvedAt())
            .set(MODIFICATION_REQUESTS.VERSION, row.getVersion())
            .where(MODIFICATION_REQUESTS.ID.eq(modification.id()))
            .and(MODIFICATION_REQUESTS.VERSION.eq(modification.version() - 1))
            .execute();
    if (updated != 1) {
      throw new ConcurrentChangeException(
          "MODIFICATION_CHANGED_CONCURRENTLY",
          "modification " + modification.id() + " was changed by another call; read it again",
          Map.of("modificationId", modification.id().toString()));
    }
    if (!modification.state().isOpen()) {
      orders.markOpenModification(modification.orderId(), Optional.empty());
    }
  }

  public Optional<Modification> find(UUID id) {
    return tx.selectFrom(MODIFICATION_REQUESTS)
        .where(MODIFICATION_REQUESTS.ID.eq(id))
        .fetchOptional(ModificationRepository::toModification);
  }

  /** The order's most recent modification request, if it has any. */
  public Optional<Modification> latestForOrder(UUID orderId) {
    return tx.selectFrom(MODIFICATION_REQUESTS)
        .where(MODIFICATION_REQUESTS.ORDER_ID.eq(orderId))
        .orderBy(MODIFICATION_REQUESTS.CREATED_AT.desc(), MODIFICATION_REQUESTS.ID.desc())
        .limit(1)
        .fetchOptional(ModificationRepository::toModification);
  }

  public Optional<Modification> lockForUpdate(UUID id) {
    return tx.selectFrom(MODIFICATION_REQUESTS)
        .where(MODIFICATION_REQUESTS.ID.eq(id))
        .forUpdate()
        .fetchOptional(ModificationRepository::toModification);
  }

  /**
   * Claims up to {@code limit} PROPOSED modifications whose deadline has passed, oldest deadline
   * first, locking them and skipping any another transaction holds: concurrent sweepers claim
   * disjoint sets.
   */
  public List<Modification> claimDue(Instant now, int limit) {
    return tx.selectFrom(MODIFICATION_REQUESTS)
        .where(MODIFICATION_REQUESTS.OPEN_RANK.eq((byte) 0))
        .and(MODIFICATION_REQUESTS.RESPOND_BY.le(Times.toDb(now)))
        .orderBy(MODIFICATION_REQUESTS.RESPOND_BY, MODIFICATION_REQUESTS.ID)
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .fetch(ModificationRepository::toModification);
  }

  /** Orders of this buyer and/or seller (or anyone's) with a PROPOSED modification past its deadline, at most {@code limit}. */
  public List<UUID> ordersWithDueModification(Optional<String> buyerId, Optional<String> sellerId, Instant now, int limit) {
    Condition where = MODIFICATION_REQUESTS.OPEN_RANK.eq((byte) 0).and(MODIFICATION_REQUESTS.RESPOND_BY.le(Times.toDb(now)));
    if (buyerId.isPresent()) {
      where = where.and(MODIFICATION_REQUESTS.BUYER_ID.eq(buyerId.get()));
    }
    if (sellerId.isPresent()) {
      where = where.and(MODIFICATION_REQUESTS.SELLER_ID.eq(sellerId.get()));
    }
    return tx.select(MODIFICATION_REQUESTS.ORDER_ID)
        .from(MODIFICATION_REQUESTS)
        .where(where)
        .orderBy(MODIFICATION_REQUESTS.RESPOND_BY)
        .limit(limit)
        .fetch(MODIFICATION_REQUESTS.ORDER_ID);
  }

  /** Up to {@code limit} modifications matching the query: PROPOSED first, then by deadline, then id. */
  public List<Modification> page(ModificationQuery query, int limit) {
    Condition where = DSL.noCondition();
    if (query.buyerId().isPresent()) {
      where = where.and(MODIFICATION_REQUESTS.BUYER_ID.eq(query.buyerId().get()));
    }
    if (query.sellerId().isPresent()) {
      where = where.and(MODIFICATION_REQUESTS.SELLER_ID.eq(query.sellerId().get()));
    }
    if (query.orderId().isPresent()) {
      where = where.and(MODIFICATION_REQUESTS.ORDER_ID.eq(query.orderId().get()));
    }
    if (!query.states().isEmpty()) {
      where = where.and(MODIFICATION_REQUESTS.STATE.in(query.states().stream().map(Enum::name).toList()));
    }
    if (query.after().isPresent()) {
      ModificationCursor after = query.after().get();
      byte rank = rank(after.open());
      String respondBy = Times.toDb(after.respondBy());
      where =
          where.and(
              MODIFICATION_REQUESTS.OPEN_RANK.gt(rank)
                  .or(MODIFICATION_REQUESTS.OPEN_RANK.eq(rank).and(MODIFICATION_REQUESTS.RESPOND_BY.gt(respondBy)))
                  .or(
                      MODIFICATION_REQUESTS.OPEN_RANK.eq(rank)
                          .and(MODIFICATION_REQUESTS.RESPOND_BY.eq(respondBy))
                          .and(MODIFICATION_REQUESTS.ID.gt(after.modificationId()))));
    }
    return tx.selectFrom(MODIFICATION_REQUESTS)
        .where(where)
        .orderBy(MODIFICATION_REQUESTS.OPEN_RANK, MODIFICATION_REQUESTS.RESPOND_BY, MODIFICATION_REQUESTS.ID)
        .limit(limit)
        .fetch(ModificationRepository::toModification);
  }

  private static byte rank(boolean open) {
    return (byte) (open ? 0 : 1);
  }

  private static void copyMutableColumns(Modification modification, ModificationRequestsRecord row) {
    boolean open = modification.state().isOpen();
    row.setState(modification.state().name());
    row.setOpenRank(rank(open));
    row.setOpenOrderId(open ? modification.orderId() : null);
    row.setTotalBeforeMinor(modification.totalBefore().amountMinor());
    row.setTotalAfterMinor(modification.totalAfter().amountMinor());
    row.setResolvedBySubject(modification.resolvedBySubject());
    row.setResolvedByRole(modification.resolvedByRole() == null ? null : modification.resolvedByRole().name());
    row.setResolvedAt(Times.toDb(modification.resolvedAt()));
    row.setVersion(modification.version());
  }

  /** The change as a flat JSON object of strings (a variant's attributes and an address's lines nested as JSON text). */
  private static String changeValue(Change change) {
    Map<String, String> value = new LinkedHashMap<>();
    if (change instanceof Change.Quantity q) {
      value.put("lineIndex", Integer.toString(q.lineIndex()));
      value.put("quantity", Integer.toString(q.quantity()));
    } else if (change instanceof Change.Variant v) {
      value.put("lineIndex", Integer.toString(v.lineIndex()));
      value.put("attributes", JsonColumns.ofMap(v.attributes()));
    } else {
      ShippingAddress address = ((Change.Address) change).address();
      value.put("recipientName", address.recipientName());
      value.put("addressLines", JsonColumns.ofList(address.addressLines()));
      value.put("locality", address.locality());
      value.put("administrativeArea", address.administrativeArea());
      value.put("postalCode", address.postalCode());
      value.put("regionCode", address.regionCode());
      value.put("phoneNumber", address.phoneNumber());
    }
    return JsonColumns.ofMap(value);
  }

  private static Change toChange(String kind, String json) {
    Map<String, String> value = JsonColumns.toMap(json);
    return switch (Change.Kind.valueOf(kind)) {
      case QUANTITY -> new Change.Quantity(Integer.parseInt(value.get("lineIndex")), Integer.parseInt(value.get("quantity")));
      case VARIANT -> new Change.Variant(Integer.parseInt(value.get("lineIndex")), JsonColumns.toMap(value.get("attributes")));
      case SHIPPING_ADDRESS ->
          new Change.Address(
              new ShippingAddress(
                  value.get("recipientName"),
                  JsonColumns.toList(value.get("addressLines")),
                  value.get("locality"),
                  value.get("administrativeArea"),
                  value.get("postalCode"),
                  value.get("regionCode"),
                  value.get("phoneNumber")));
    };
  }

  private static Modification toModification(ModificationRequestsRecord row) {
    String currency = row.getCurrencyCode();
    return new Modification(
        row.getId(),
        row.getOrderId(),
        row.getBuyerId(),
        row.getSellerId(),
        toChange(row.getChangeKind(), row.getChangeValue()),
        row.getProposedBySubject(),
        Role.valueOf(row.getProposedByRole()),
        ModificationState.valueOf(row.getState()),
        Times.fromDb(row.getRespondBy()),
        new Money(currency, row.getTotalBeforeMinor()),
        new Money(currency, row.getTotalAfterMinor()),
        row.getResolvedBySubject(),
        row.getResolvedByRole() == null ? null : Role.valueOf(row.getResolvedByRole()),
        Times.fromDb(row.getCreatedAt()),
        Times.fromDb(row.getResolvedAt()),
        row.getVersion());
  }
}
