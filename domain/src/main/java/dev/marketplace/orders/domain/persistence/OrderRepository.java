package dev.marketplace.orders.domain.persistence;

import static dev.marketplace.orders.domain.persistence.jooq.Tables.ORDERS;
import static dev.marketplace.orders.domain.persistence.jooq.Tables.ORDER_LINES;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.error.ConcurrentChangeException;
import dev.marketplace.orders.domain.modification.OpenModification;
import dev.marketplace.orders.domain.order.CancellationKind;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.domain.order.LineItem;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderCancellation;
import dev.marketplace.orders.domain.order.OrderCursor;
import dev.marketplace.orders.domain.order.OrderQuery;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.order.PaymentCapture;
import dev.marketplace.orders.domain.order.Shipment;
import dev.marketplace.orders.domain.order.ShippingAddress;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.payment.PaymentMethod;
import dev.marketplace.orders.domain.persistence.jooq.tables.records.OrderLinesRecord;
import dev.marketplace.orders.domain.persistence.jooq.tables.records.OrdersRecord;
import dev.marketplace.orders.domain.refund.Refund;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/** Orders and their lines. Every query is keyed by order id, or by buyer or seller id plus creation time. */
public final class OrderRepository {

  /**
   * An order this transaction has read or locked: the row as stored, the order as the use case left
   * it, and the counters carried on the row (the history's length, the cancellation requests made).
   * Changes are written by {@link #flush}, one UPDATE per changed order with the columns that changed.
   */
  private static final class Tracked {
    final UUID id;
    int storedVersion;
    Order stored; // null when only the counters were locked (see countersOf)
    Order current;
    long storedHistoryLength;
    long historyLength;
    int storedRequestsMade;
    int requestsMade;
    OpenModification storedOpenModification;
    OpenModification openModification;
    boolean isNew;

    Tracked(UUID id, int storedVersion, Order stored, long historyLength, int requestsMade, OpenModification openModification) {
      this.id = id;
      this.storedVersion = storedVersion;
      this.stored = stored;
      this.current = stored;
      this.storedHistoryLength = historyLength;
      this.historyLength = historyLength;
      this.storedRequestsMade = requestsMade;
      this.requestsMade = requestsMade;
      this.storedOpenModification = openModification;
      this.openModification = openModification;
    }

    boolean dirty() {
      return current != stored
          || historyLength != storedHistoryLength
          || requestsMade != storedRequestsMade
          || !Objects.equals(openModification, storedOpenModification);
    }
  }

  private final DSLContext tx;
  private final Map<UUID, Tracked> tracked = new LinkedHashMap<>();

  OrderRepository(DSLContext tx) {
    this.tx = tx;
  }

  /** A new order: written when the transaction ends (with its counters), or before anything refers to it. */
  public void insert(Order order) {
    Tracked t = new Tracked(order.id(), order.version(), null, 0, 0, null);
    t.current = order;
    t.isNew = true;
    tracked.put(order.id(), t);
  }

  private void write(Tracked t) {
    Order order = t.current;
    OrdersRecord row = tx.newRecord(ORDERS);
    row.setId(order.id());
    row.setBuyerId(order.buyerId());
    row.setSellerId(order.sellerId());
    row.setCurrencyCode(order.currencyCode());
    row.setTotalMinor(order.total().amountMinor());
    row.setPaymentMethod(order.paymentMethod().name());
    row.setCreatedAt(Times.toDb(order.createdAt()));
    copyMutableColumns(order, row);
    row.setHistoryLength(t.historyLength);
    row.setCancellationRequestsMade(t.requestsMade);
    copyOpenModification(t.openModification, row);
    tx.insertInto(ORDERS).set(row).execute();

    List<OrderLinesRecord> lines = new ArrayList<>();
    int lineNo = 1;
    for (LineItem line : order.lineItems()) {
      lines.add(
          new OrderLinesRecord()
              .setOrderId(order.id())
              .setLineNo(lineNo++)
              .setSku(line.sku())
              .setTitle(line.title())
              .setVariantAttributes(JsonColumns.ofMap(line.variantAttributes()))
              .setQuantity(line.quantity())
              .setUnitPriceMinor(line.unitPrice().amountMinor())
              .setCancelledQuantity(line.cancelledQuantity())
              .setReturnedQuantity(line.returnedQuantity()));
    }
    tx.batchInsert(lines).execute();
    t.isNew = false;
    t.stored = order;
    t.storedVersion = order.version();
    t.storedHistoryLength = t.historyLength;
    t.storedRequestsMade = t.requestsMade;
    t.storedOpenModification = t.openModification;
  }

  /** Writes the orders inserted in this transaction, so that rows referring to them can be written. */
  void flushInserted() {
    for (Tracked t : tracked.values()) {
      if (t.isNew) {
        write(t);
      }
    }
  }

  /** Reads the order without locking it (as of this transaction's changes, which are written first). */
  public Optional<Order> find(UUID orderId) {
    flush();
    return tx.selectFrom(ORDERS).where(ORDERS.ID.eq(orderId)).fetchOptional().map(this::track);
  }

  /** Reads the order and locks its row until the transaction ends: the start of every state change. */
  public Optional<Order> lockForUpdate(UUID orderId) {
    flush();
    return tx.selectFrom(ORDERS)
        .where(ORDERS.ID.eq(orderId))
        .forUpdate()
        .fetchOptional()
        .map(this::track);
  }

  /**
   * Locks the order's row if nobody else holds it; empty when it is locked (or gone). For background
   * work that should step around an order someone is acting on rather than wait for it.
   */
  public Optional<Order> lockForUpdateSkipLocked(UUID orderId) {
    flush();
    return tx.selectFrom(ORDERS)
        .where(ORDERS.ID.eq(orderId))
        .forUpdate()
        .skipLocked()
        .fetchOptional()
        .map(this::track);
  }

  /**
   * The next version of an order. One this transaction locked (or inserted) is written when the
   * transaction ends (or before its next read of orders), together with the counters, in one UPDATE
   * that sets only the columns that changed and expects the version it read.
   */
  public void update(Order order) {
    Tracked t = tracked.get(order.id());
    if (t != null && (t.stored != null || t.isNew)) {
      t.current = order;
      return;
    }
    // Not read in this transaction: written whole, now, over the version before it.
    if (tx.update(ORDERS).set(columnsOf(order)).where(ORDERS.ID.eq(order.id())).and(ORDERS.VERSION.eq(order.version() - 1)).execute() != 1) {
      throw changedConcurrently(order.id());
    }
    if (t != null) {
      t.storedVersion = order.version();
    }
  }

  private static ConcurrentChangeException changedConcurrently(UUID id) {
    return new ConcurrentChangeException(
        "ORDER_CHANGED_CONCURRENTLY", "order " + id + " was changed by another call; read it again", Map.of("orderId", String.valueOf(id)));
  }

  /** The next sequence number of the order's history, counted on its row (which this transaction locks). */
  long nextHistorySequence(UUID orderId) {
    return ++countersOf(orderId).historyLength;
  }

  /** How many cancellation requests the order's buyer has made, as of this transaction. */
  public int cancellationRequestsMade(UUID orderId) {
    return countersOf(orderId).requestsMade;
  }

  void countCancellationRequest(UUID orderId) {
    countersOf(orderId).requestsMade++;
  }

  /**
   * The order's open modification (PROPOSED), as its row carries it: known from the order's own row,
   * with no read of the modification.
   */
  public Optional<OpenModification> openModification(UUID orderId) {
    return Optional.ofNullable(countersOf(orderId).openModification);
  }

  /** Marks the order as having this modification open, or none; written with the order's row. */
  void markOpenModification(UUID orderId, Optional<OpenModification> open) {
    countersOf(orderId).openModification = open.orElse(null);
  }

  /**
   * Writes every order this transaction changed: one UPDATE per order, setting the columns that
   * changed (the version among them when the order itself changed) and the counters.
   */
  void flush() {
    for (Tracked t : tracked.values()) {
      if (t.isNew) {
        write(t);
        continue;
      }
      if (!t.dirty()) {
        continue;
      }
      UUID id = t.id;
      Map<Field<?>, Object> changes = new LinkedHashMap<>();
      if (t.current != t.stored) {
        Map<Field<?>, Object> before = columnsOf(t.stored);
        columnsOf(t.current).forEach((field, value) -> {
          if (!Objects.equals(before.get(field), value)) {
            changes.put(field, value);
          }
        });
      }
      if (t.historyLength != t.storedHistoryLength) {
        changes.put(ORDERS.HISTORY_LENGTH, t.historyLength);
      }
      if (t.requestsMade != t.storedRequestsMade) {
        changes.put(ORDERS.CANCELLATION_REQUESTS_MADE, t.requestsMade);
      }
      if (!Objects.equals(t.openModification, t.storedOpenModification)) {
        OrdersRecord open = tx.newRecord(ORDERS);
        copyOpenModification(t.openModification, open);
        changes.put(ORDERS.OPEN_MODIFICATION_ID, open.getOpenModificationId());
        changes.put(ORDERS.OPEN_MODIFICATION_RESPOND_BY, open.getOpenModificationRespondBy());
      }
      if (changes.isEmpty()) {
        continue;
      }
      int updated =
          tx.update(ORDERS)
              .set(changes)
              .where(ORDERS.ID.eq(id))
              .and(ORDERS.VERSION.eq(t.storedVersion))
              .execute();
      if (updated != 1) {
        throw changedConcurrently(id);
      }
      if (t.current != t.stored && t.stored != null) {
        updateChangedLines(t.stored, t.current);
      }
      t.stored = t.current;
      t.storedVersion = t.current != null ? t.current.version() : t.storedVersion;
      t.storedHistoryLength = t.historyLength;
      t.storedRequestsMade = t.requestsMade;
      t.storedOpenModification = t.openModification;
    }
  }

  /**
   * A modification changes a line's quantity or variant, a partial cancellation or a return its
   * cancelled or returned units: one UPDATE per changed line (lines are never added or removed).
   */
  private void updateChangedLines(Order before, Order after) {
    for (int i = 0; i < after.lineItems().size(); i++) {
      LineItem was = before.lineItems().get(i);
      LineItem is = after.lineItems().get(i);
      if (was.equals(is)) {
        continue;
      }
      tx.update(ORDER_LINES)
          .set(ORDER_LINES.QUANTITY, is.quantity())
          .set(ORDER_LINES.VARIANT_ATTRIBUTES, JsonColumns.ofMap(is.variantAttributes()))
          .set(ORDER_LINES.CANCELLED_QUANTITY, is.cancelledQuantity())
          .set(ORDER_LINES.RETURNED_QUANTITY, is.returnedQuantity())
          .where(ORDER_LINES.ORDER_ID.eq(after.id()))
          .and(ORDER_LINES.LINE_NO.eq(i + 1))
          .execute();
    }
  }

  /**
   * Columns a change may write (identity, parties, payment method and creation never change; the total
   * and the address change with an accepted modification).
   */
  private static final List<Field<?>> MUTABLE_COLUMNS =
      List.of(
          ORDERS.TOTAL_MINOR,
          ORDERS.SHIP_RECIPIENT_NAME,
          ORDERS.SHIP_ADDRESS_LINES,
          ORDERS.SHIP_LOCALITY,
          ORDERS.SHIP_ADMINISTRATIVE_AREA,
          ORDERS.SHIP_POSTAL_CODE,
          ORDERS.SHIP_REGION_CODE,
          ORDERS.SHIP_PHONE_NUMBER,
          ORDERS.STATE,
          ORDERS.PAYMENT_REFERENCE,
          ORDERS.PAYMENT_CAPTURED_AT,
          ORDERS.CARRIER,
          ORDERS.TRACKING_NUMBER,
          ORDERS.SHIPPED_AT,
          ORDERS.DELIVERED_AT,
          ORDERS.UPDATED_AT,
          ORDERS.VERSION,
          ORDERS.CANCELLED_AT,
          ORDERS.CANCELLATION_KIND,
          ORDERS.CANCELLATION_REASON,
          ORDERS.CANCELLED_BY_SUBJECT,
          ORDERS.CANCELLED_BY_ROLE,
          ORDERS.CANCELLATION_REQUEST_ID,
          ORDERS.CAPTURED_MINOR,
          ORDERS.REFUNDED_MINOR);

  /** The columns a state change may write, with this order's values. */
  private Map<Field<?>, Object> columnsOf(Order order) {
    OrdersRecord row = tx.newRecord(ORDERS);
    copyMutableColumns(order, row);
    Map<Field<?>, Object> columns = new LinkedHashMap<>();
    for (Field<?> field : MUTABLE_COLUMNS) {
      columns.put(field, row.get(field));
    }
    return columns;
  }

  private Tracked countersOf(UUID orderId) {
    Tracked t = tracked.get(orderId);
    if (t != null) {
      return t;
    }
    // Not read in this transaction: lock the row's counters (a history entry needs the row's lock).
    Tracked counters =
        tx.select(
                ORDERS.HISTORY_LENGTH,
                ORDERS.CANCELLATION_REQUESTS_MADE,
                ORDERS.VERSION,
                ORDERS.OPEN_MODIFICATION_ID,
                ORDERS.OPEN_MODIFICATION_RESPOND_BY)
            .from(ORDERS)
            .where(ORDERS.ID.eq(orderId))
            .forUpdate()
            .fetchOptional(r -> new Tracked(orderId, r.value3(), null, r.value1(), r.value2(), openModification(r.value4(), r.value5())))
            .orElseThrow(() -> new IllegalStateException("order " + orderId + " does not exist"));
    tracked.put(orderId, counters);
    return counters;
  }

  private Order track(OrdersRecord row) {
    Order order = withLines(row);
    tracked.put(
        order.id(),
        new Tracked(
            order.id(),
            order.version(),
            order,
            row.getHistoryLength(),
            row.getCancellationRequestsMade(),
            openModification(row.getOpenModificationId(), row.getOpenModificationRespondBy())));
    return order;
  }

  /** Up to {@code limit} orders matching the query, newest first; the query names a buyer or a seller. */
  public List<Order> page(OrderQuery query, int limit) {
    flush();
    Condition where = DSL.noCondition();
    if (query.buyerId().isPresent()) {
      where = where.and(ORDERS.BUYER_ID.eq(query.buyerId().get()));
    }
    if (query.sellerId().isPresent()) {
      where = where.and(ORDERS.SELLER_ID.eq(query.sellerId().get()));
    }
    if (query.buyerId().isEmpty() && query.sellerId().isEmpty()) {
      throw new IllegalArgumentException("a listing is keyed by buyer or seller");
    }
    if (!query.states().isEmpty()) {
      where = where.and(ORDERS.STATE.in(query.states().stream().map(Enum::name).toList()));
    }
    if (query.after().isPresent()) {
      OrderCursor after = query.after().get();
      String createdAt = Times.toDb(after.createdAt());
      where =
          where.and(
              ORDERS.CREATED_AT.lt(createdAt)
                  .or(ORDERS.CREATED_AT.eq(createdAt).and(ORDERS.ID.lt(after.orderId()))));
    }
    List<OrdersRecord> rows =
        tx.selectFrom(ORDERS)
            .where(where)
            .orderBy(ORDERS.CREATED_AT.desc(), ORDERS.ID.desc())
            .limit(limit)
            .fetch();
    Map<UUID, List<LineItem>> lines = linesOf(rows);
    return withRefunds(rows, rows.stream().map(r -> toOrder(r, lines.get(r.getId()))).toList());
  }

  private Order withLines(OrdersRecord row) {
    return withRefunds(List.of(row), List.of(toOrder(row, linesOf(List.of(row)).get(row.getId())))).get(0);
  }

  /**
   * Orders show their refunds. Only those that may have one are looked up: the row's refunded sum says
   * whether any was issued (a cancelled paid order may have a refund of nothing, for free items).
   */
  private List<Order> withRefunds(List<OrdersRecord> rows, List<Order> orders) {
    List<UUID> refunded = new ArrayList<>();
    for (OrdersRecord row : rows) {
      if (row.getRefundedMinor() > 0 || (row.getCancelledAt() != null && row.getCapturedMinor() != null)) {
        refunded.add(row.getId());
      }
    }
    if (refunded.isEmpty()) {
      return orders;
    }
    Map<UUID, List<Refund>> refunds = new RefundRepository(tx, this).forOrders(refunded);
    return orders.stream().map(o -> refunds.containsKey(o.id()) ? o.withRefunds(refunds.get(o.id())) : o).toList();
  }

  private Map<UUID, List<LineItem>> linesOf(List<OrdersRecord> orders) {
    Map<UUID, String> currencies = new LinkedHashMap<>();
    Map<UUID, List<LineItem>> lines = new LinkedHashMap<>();
    for (OrdersRecord order : orders) {
      currencies.put(order.getId(), order.getCurrencyCode());
      lines.put(order.getId(), new ArrayList<>());
    }
    if (orders.isEmpty()) {
      return lines;
    }
    for (OrderLinesRecord line :
        tx.selectFrom(ORDER_LINES)
            .where(ORDER_LINES.ORDER_ID.in(lines.keySet()))
            .orderBy(ORDER_LINES.ORDER_ID, ORDER_LINES.LINE_NO)
            .fetch()) {
      lines.get(line.getOrderId())
          .add(
              new LineItem(
                  line.getSku(),
                  line.getTitle(),
                  JsonColumns.toMap(line.getVariantAttributes()),
                  line.getQuantity(),
                  new Money(currencies.get(line.getOrderId()), line.getUnitPriceMinor()),
                  line.getCancelledQuantity(),
                  line.getReturnedQuantity()));
    }
    return lines;
  }

  private static OpenModification openModification(UUID id, String respondBy) {
    return id == null ? null : new OpenModification(id, Times.fromDb(respondBy));
  }

  private static void copyOpenModification(OpenModification open, OrdersRecord row) {
    row.setOpenModificationId(open == null ? null : open.id());
    row.setOpenModificationRespondBy(open == null ? null : Times.toDb(open.respondBy()));
  }

  private static void copyMutableColumns(Order order, OrdersRecord row) {
    row.setTotalMinor(order.total().amountMinor());
    ShippingAddress address = order.shippingAddress();
    row.setShipRecipientName(address.recipientName());
    row.setShipAddressLines(JsonColumns.ofList(address.addressLines()));
    row.setShipLocality(address.locality());
    row.setShipAdministrativeArea(address.administrativeArea());
    row.setShipPostalCode(address.postalCode());
    row.setShipRegionCode(address.regionCode());
    row.setShipPhoneNumber(address.phoneNumber());
    row.setState(order.state().name());
    PaymentCapture payment = order.payment();
    row.setPaymentReference(payment == null ? null : payment.reference());
    row.setPaymentCapturedAt(payment == null ? null : Times.toDb(payment.capturedAt()));
    row.setCapturedMinor(payment == null ? null : payment.amount().amountMinor());
    row.setRefundedMinor(order.refunded().amountMinor());
    Shipment shipment = order.shipment();
    row.setCarrier(shipment == null ? null : shipment.carrier());
    row.setTrackingNumber(shipment == null ? null : shipment.trackingNumber());
    row.setShippedAt(shipment == null ? null : Times.toDb(shipment.shippedAt()));
    row.setDeliveredAt(shipment == null ? null : Times.toDb(shipment.deliveredAt()));
    row.setUpdatedAt(Times.toDb(order.updatedAt()));
    row.setVersion(order.version());
    OrderCancellation cancellation = order.cancellation();
    row.setCancelledAt(cancellation == null ? null : Times.toDb(cancellation.cancelledAt()));
    row.setCancellationKind(cancellation == null ? null : cancellation.kind().name());
    row.setCancellationReason(cancellation == null ? null : cancellation.reason().name());
    row.setCancelledBySubject(cancellation == null ? null : cancellation.actorSubject());
    row.setCancelledByRole(cancellation == null ? null : cancellation.actorRole().name());
    row.setCancellationRequestId(cancellation == null ? null : cancellation.cancellationRequestId());
  }

  private static Order toOrder(OrdersRecord row, List<LineItem> lines) {
    PaymentCapture payment =
        row.getPaymentReference() == null
            ? null
            : new PaymentCapture(
                row.getPaymentReference(), Times.fromDb(row.getPaymentCapturedAt()), new Money(row.getCurrencyCode(), row.getCapturedMinor()));
    Shipment shipment =
        row.getCarrier() == null
            ? null
            : new Shipment(
                row.getCarrier(),
                row.getTrackingNumber(),
                Times.fromDb(row.getShippedAt()),
                Times.fromDb(row.getDeliveredAt()));
    return new Order(
        row.getId(),
        row.getBuyerId(),
        row.getSellerId(),
        lines,
        new ShippingAddress(
            row.getShipRecipientName(),
            JsonColumns.toList(row.getShipAddressLines()),
            row.getShipLocality(),
            row.getShipAdministrativeArea(),
            row.getShipPostalCode(),
            row.getShipRegionCode(),
            row.getShipPhoneNumber()),
        PaymentMethod.valueOf(row.getPaymentMethod()),
        OrderState.valueOf(row.getState()),
        payment,
        shipment,
        Times.fromDb(row.getCreatedAt()),
        Times.fromDb(row.getUpdatedAt()),
        row.getVersion(),
        row.getCancelledAt() == null
            ? null
            : new OrderCancellation(
                CancellationKind.valueOf(row.getCancellationKind()),
                CancellationReason.valueOf(row.getCancellationReason()),
                row.getCancelledBySubject(),
                Role.valueOf(row.getCancelledByRole()),
                Times.fromDb(row.getCancelledAt()),
                row.getCancellationRequestId()),
        List.of());
  }
}
