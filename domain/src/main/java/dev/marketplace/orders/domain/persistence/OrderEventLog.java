package dev.marketplace.orders.domain.persistence;

import static dev.marketplace.orders.domain.persistence.jooq.Tables.ORDER_EVENTS;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.history.OrderEvent;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.persistence.jooq.tables.records.OrderEventsRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.DSLContext;

/**
 * The append-only history of orders. Rows are inserted and read, never updated or deleted. Callers
 * append while holding the order's row lock, which keeps each order's sequence gap-free; the next
 * sequence number is counted on the order's row. Appended entries are written when the transaction
 * ends (after the orders they belong to), or before the next read of the history.
 */
public final class OrderEventLog {

  private final DSLContext tx;
  private final OrderRepository orders;
  private final List<OrderEvent> pending = new ArrayList<>();

  OrderEventLog(DSLContext tx, OrderRepository orders) {
    this.tx = tx;
    this.orders = orders;
  }

  public OrderEvent append(
      UUID orderId,
      OrderEventType type,
      String actorSubject,
      Role actorRole,
      Instant at,
      OrderState stateAfter,
      Map<String, String> details) {
    long sequence = orders.nextHistorySequence(orderId);
    OrderEvent event =
        new OrderEvent(orderId, sequence, type, actorSubject, actorRole, at, stateAfter, details);
    pending.add(event);
    return event;
  }

  /** Writes the entries appended since the last flush: one statement (a batch when there are several). */
  void flush() {
    if (pending.isEmpty()) {
      return;
    }
    List<OrderEventsRecord> rows = new ArrayList<>();
    for (OrderEvent event : pending) {
      rows.add(
          new OrderEventsRecord()
              .setOrderId(event.orderId())
              .setSequenceNo(event.sequence())
              .setEventType(event.type().name())
              .setActorSubject(event.actorSubject())
              .setActorRole(event.actorRole().name())
              .setOccurredAt(Times.toDb(event.occurredAt()))
              .setOrderState(event.orderState().name())
              .setDetails(JsonColumns.ofMap(event.details())));
    }
    pending.clear();
    if (rows.size() == 1) {
      tx.insertInto(ORDER_EVENTS).set(rows.get(0)).execute();
    } else {
      tx.batchInsert(rows).execute();
    }
  }

  /** Events with a sequence above {@code afterSequence}, oldest first, at most {@code limit}. */
  public List<OrderEvent> page(UUID orderId, long afterSequence, int limit) {
    orders.flush();
    flush();
    return tx.selectFrom(ORDER_EVENTS)
        .where(ORDER_EVENTS.ORDER_ID.eq(orderId))
        .and(ORDER_EVENTS.SEQUENCE_NO.gt(afterSequence))
        .orderBy(ORDER_EVENTS.SEQUENCE_NO)
        .limit(limit)
        .fetch(
            r ->
                new OrderEvent(
                    r.getOrderId(),
                    r.getSequenceNo(),
                    OrderEventType.valueOf(r.getEventType()),
                    r.getActorSubject(),
                    Role.valueOf(r.getActorRole()),
                    Times.fromDb(r.getOccurredAt()),
                    OrderState.valueOf(r.getOrderState()),
                    JsonColumns.toMap(r.getDetails())));
  }
}
