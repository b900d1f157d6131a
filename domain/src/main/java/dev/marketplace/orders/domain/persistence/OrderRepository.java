package dev.marketplace.orders.domain.persistence;

import static dev.marketplace.orders.domain.persistence.jooq.Tables.ORDERS;
import static dev.marketplace.orders.domain.persistence.jooq.Tables.ORDER_LINES;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.order.CancellationKind;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.domain.error.ConcurrentChangeException;
import dev.marketplace.orders.domain.order.LineItem;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderCancellation;
import dev.marketplace.orders.domain.order.OrderCursor;
import dev.marketplace.orders.domain.order.OrderQuery;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.order.PaymentCapture;
import dev.marketplace.orders.domain.payment.PaymentMethod;
import dev.marketplace.orders.domain.order.Shipment;
import dev.marketplace.orders.domain.order.ShippingAddress;
import dev.marketplace.orders.domain.refund.Refund;
import dev.marketplace.orders.domain.persistence.jooq.tables.records.OrderLinesRecord;
import dev.marketplace.orders.domain.persistence.jooq.tables.records.OrdersRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** Orders and their lines. Every query is keyed by order id, or by buyer or seller id plus creation time. */
public final class OrderRepository {

  private final DSLContext tx;

  OrderRepository(DSLContext tx) {
    this.tx = tx;
  }

  public void insert(Order order) {
    OrdersRecord row = tx.newRecord(ORDERS);
    row.setId(order.id());
    row.setBuyerId(order.buyerId());
    row.setSellerId(order.sellerId());
    row.setCurrencyCode(order.currencyCode());
    row.setTotalMinor(order.total().amountMinor());
    row.setPaymentMethod(order.paymentMethod().name());
    ShippingAddress address = order.shippingAddress();
    row.setShipRecipientName(address.recipientName());
    row.setShipAddressLines(JsonColumns.ofList(address.addressLines()));
    row.setShipLocality(address.locality());
    row.setShipAdministrativeArea(address.administrativeArea());
    row.setShipPostalCode(address.postalCode());
    row.setShipRegionCode(address.regionCode());
    row.setShipPhoneNumber(address.phoneNumber());
    row.setCreatedAt(Times.toDb(order.createdAt()));
    copyMutableColumns(order, row);
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
              .setUnitPriceMinor(line.unitPrice().amountMinor()));
    }
    tx.batchInsert(lines).execute();
  }

  public Optional<Order> find(UUID orderId) {
    return tx.selectFrom(ORDERS).where(ORDERS.ID.eq(orderId)).fetchOptional().map(this::withLines);
  }

  /** Reads the order and locks its row until the transaction ends: the start of every state change. */
  public Optional<Order> lockForUpdate(UUID orderId) {
    return tx.selectFrom(ORDERS)
        .where(ORDERS.ID.eq(orderId))
        .forUpdate()
        .fetchOptional()
        .map(this::withLines);
  }

  /**
   * Locks the order's row if nobody else holds it; empty when it is locked (or gone). For background
   * work that should step around an order someone is acting on rather than wait for it.
   */
  public Optional<Order> lockForUpdateSkipLocked(UUID orderId) {
    return tx.selectFrom(ORDERS)
        .where(ORDERS.ID.eq(orderId))
        .forUpdate()
        .skipLocked()
        .fetchOptional()
        .map(this::withLines);
  }

  /** Writes the next version of an order; the previous version must be the stored one. */
  public void update(Order order) {
    OrdersRecord row = tx.newRecord(ORDERS);
    copyMutableColumns(order, row);
    int updated =
        tx.update(ORDERS)
            .set(ORDERS.STATE, row.getState())
            .set(ORDERS.PAYMENT_REFERENCE, row.getPaymentReference())
            .set(ORDERS.PAYMENT_CAPTURED_AT, row.getPaymentCapturedAt())
            .set(ORDERS.CARRIER, row.getCarrier())
            .set(ORDERS.TRACKING_NUMBER, row.getTrackingNumber())
            .set(ORDERS.SHIPPED_AT, row.getShippedAt())
            .set(ORDERS.DELIVERED_AT, row.getDeliveredAt())
            .set(ORDERS.UPDATED_AT, row.getUpdatedAt())
            .set(ORDERS.VERSION, row.getVersion())
            .set(ORDERS.CANCELLED_AT, row.getCancelledAt())
            .set(ORDERS.CANCELLATION_KIND, row.getCancellationKind())
            .set(ORDERS.CANCELLATION_REASON, row.getCancellationReason())
            .set(ORDERS.CANCELLED_BY_SUBJECT, row.getCancelledBySubject())
            .set(ORDERS.CANCELLED_BY_ROLE, row.getCancelledByRole())
            .set(ORDERS.CANCELLATION_REQUEST_ID, row.getCancellationRequestId())
            .where(ORDERS.ID.eq(order.id()))
            .and(ORDERS.VERSION.eq(order.version() - 1))
            .execute();
    if (updated != 1) {
      throw new ConcurrentChangeException(
          "ORDER_CHANGED_CONCURRENTLY",
          "order " + order.id() + " was changed by another call; read it again",
          Map.of("orderId", order.id().toString()));
    }
  }

  /** Up to {@code limit} orders matching the query, newest first; the query names a buyer or a seller. */
  public List<Order> page(OrderQuery query, int limit) {
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
    return withRefunds(rows.stream().map(r -> toOrder(r, lines.get(r.getId()))).toList());
  }

  private Order withLines(OrdersRecord row) {
    return withRefunds(List.of(toOrder(row, linesOf(List.of(row)).get(row.getId())))).get(0);
  }

  /** Cancelled orders show their refund. */
  private List<Order> withRefunds(List<Order> orders) {
    List<UUID> cancelled = orders.stream().filter(o -> o.state() == OrderState.CANCELLED).map(Order::id).toList();
    if (cancelled.isEmpty()) {
      return orders;
    }
    Map<UUID, Refund> refunds = new RefundRepository(tx).forOrders(cancelled);
    return orders.stream().map(o -> refunds.containsKey(o.id()) ? o.withRefund(refunds.get(o.id())) : o).toList();
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
                  new Money(currencies.get(line.getOrderId()), line.getUnitPriceMinor())));
    }
    return lines;
  }

  private static void copyMutableColumns(Order order, OrdersRecord row) {
    row.setState(order.state().name());
    PaymentCapture payment = order.payment();
    row.setPaymentReference(payment == null ? null : payment.reference());
    row.setPaymentCapturedAt(payment == null ? null : Times.toDb(payment.capturedAt()));
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
            : new PaymentCapture(row.getPaymentReference(), Times.fromDb(row.getPaymentCapturedAt()));
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
        null);
  }
}
