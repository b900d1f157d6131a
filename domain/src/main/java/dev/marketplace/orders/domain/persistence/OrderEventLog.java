package dev.marketplace.orders.domain.persistence;

import static dev.marketplace.orders.domain.persistence.jooq.Tables.ORDER_EVENTS;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.history.OrderEvent;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.order.OrderState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The append-only history of orders. Rows are inserted and read, never updated or deleted. Callers
 * append while holding the order's row lock, which keeps each order's sequence gap-free.
 */
public final class OrderEventLog {

  private final DSLContext tx;

  private final OrderRepository orders;

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
    tx.insertInto(ORDER_EVENTS)
        .set(ORDER_EVENTS.ORDER_ID, orderId)
        .set(ORDER_EVENTS.SEQUENCE_NO, sequence)
        .set(ORDER_EVENTS.EVENT_TYPE, type.name())
        .set(ORDER_EVENTS.ACTOR_SUBJECT, actorSubject)
        .set(ORDER_EVENTS.ACTOR_ROLE, actorRole.name())
        .set(ORDER_EVENTS.OCCURRED_AT, Times.toDb(at))
        .set(ORDER_EVENTS.ORDER_STATE, stateAfter.name())
        .set(ORDER_EVENTS.DETAILS, JsonColumns.ofMap(details))
        .execute();
    return event;
  }

  /** Events with a sequence above {@code afterSequence}, oldest first, at most {@code limit}. */
  public List<OrderEvent> page(UUID orderId, long afterSequence, int limit) {
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
