package dev.marketplace.orders.domain.persistence;

import static dev.marketplace.orders.domain.persistence.jooq.Tables.ORDERS;
import static dev.marketplace.orders.domain.persistence.jooq.Tables.ORDER_EVENTS;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.history.FeedEvent;
import dev.marketplace.orders.domain.feed.FeedFilter;
import dev.marketplace.orders.domain.history.OrderEvent;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.order.OrderState;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SelectOnConditionStep;
import org.jooq.impl.DSL;

/**
 * The history read as one feed in position order ({@code order_events.position}, V13). Reads only:
 * entries are written by {@link OrderEventLog}. Which positions are safe to read up to is the
 * caller's business (usecase.FeedHorizon); this class only answers what the database holds.
 */
public final class OrderEventFeed {

  private final DSLContext tx;
  private final OrderRepository orders;
  private final OrderEventLog log;

  OrderEventFeed(DSLContext tx, OrderRepository orders, OrderEventLog log) {
    this.tx = tx;
    this.orders = orders;
    this.log = log;
  }

  /** The highest position committed so far, 0 when the history is empty. */
  public long latestPosition() {
    Long max = tx.select(DSL.max(ORDER_EVENTS.POSITION)).from(ORDER_EVENTS).fetchOne(0, Long.class);
    return max == null ? 0 : max;
  }

  /** The committed positions above {@code after}, ascending, at most {@code limit} (the position index only). */
  public List<Long> positionsAfter(long after, int limit) {
    return tx.select(ORDER_EVENTS.POSITION)
        .from(ORDER_EVENTS)
        .where(ORDER_EVENTS.POSITION.gt(after))
        .orderBy(ORDER_EVENTS.POSITION)
        .limit(limit)
        .fetch(ORDER_EVENTS.POSITION);
  }

  /** How many positions in ({@code above}, {@code upTo}] are committed (the position index only). */
  public long countInRange(long above, long upTo) {
    return tx.selectCount().from(ORDER_EVENTS).where(ORDER_EVENTS.POSITION.gt(above)).and(ORDER_EVENTS.POSITION.le(upTo)).fetchOne(0, long.class);
  }

  /**
   * Settles the positions strictly between {@code above} and {@code below}, which a plain read found
   * missing: a shared locking read of that range waits for any transaction that has written an entry
   * there and not yet ended (its row's lock), so when it returns every position in the range is either
   * committed or will never be. Run at READ COMMITTED ({@link Transactor#inReadCommittedTransaction}):
   * shared, it does not wait for other readers' locks, and without gap locks it never holds up an
   * insert after the range. Returns how many are committed.
   */
  public long settleRange(long above, long below) {
    // Plain SQL: "lock in share mode" is what both MySQL 8 and MariaDB understand.
    Object count = tx.fetchValue("select count(*) from order_events where position > ? and position < ? lock in share mode", above, below);
    return ((Number) count).longValue();
  }

  /**
   * The entries with a position in ({@code after}, {@code upTo}] that {@code filter} lets through,
   * in position order, at most {@code limit}.
   */
  public List<FeedEvent> entries(FeedFilter filter, long after, long upTo, int limit) {
    List<Condition> where = new ArrayList<>();
    where.add(ORDER_EVENTS.POSITION.gt(after));
    where.add(ORDER_EVENTS.POSITION.le(upTo));
    filter.orderId().ifPresent(id -> where.add(ORDER_EVENTS.ORDER_ID.eq(id)));
    filter.buyerId().ifPresent(buyer -> where.add(ORDERS.BUYER_ID.eq(buyer)));
    filter.sellerId().ifPresent(seller -> where.add(ORDERS.SELLER_ID.eq(seller)));
    if (!filter.types().isEmpty()) {
      where.add(ORDER_EVENTS.EVENT_TYPE.in(filter.types().stream().map(Enum::name).toList()));
    }
    return withParties()
        .where(where)
        .orderBy(ORDER_EVENTS.POSITION)
        .limit(limit)
        .fetch(OrderEventFeed::toFeedEvent);
  }

  /**
   * One order's entries with a sequence above {@code afterSequence}, oldest first, at most {@code
   * limit}; what this transaction appended so far included (it is written first).
   */
  public List<FeedEvent> ofOrder(UUID orderId, long afterSequence, int limit) {
    orders.flush();
    log.flush();
    return withParties()
        .where(ORDER_EVENTS.ORDER_ID.eq(orderId))
        .and(ORDER_EVENTS.SEQUENCE_NO.gt(afterSequence))
        .orderBy(ORDER_EVENTS.SEQUENCE_NO)
        .limit(limit)
        .fetch(OrderEventFeed::toFeedEvent);
  }

  /** History rows with their order's buyer and seller. */
  private SelectOnConditionStep<Record> withParties() {
    return tx.select(ORDER_EVENTS.asterisk(), ORDERS.BUYER_ID, ORDERS.SELLER_ID).from(ORDER_EVENTS).join(ORDERS).on(ORDERS.ID.eq(ORDER_EVENTS.ORDER_ID));
  }

  private static FeedEvent toFeedEvent(Record r) {
    OrderEvent event =
        new OrderEvent(
            r.get(ORDER_EVENTS.ORDER_ID),
            r.get(ORDER_EVENTS.SEQUENCE_NO),
            OrderEventType.valueOf(r.get(ORDER_EVENTS.EVENT_TYPE)),
            r.get(ORDER_EVENTS.ACTOR_SUBJECT),
            Role.valueOf(r.get(ORDER_EVENTS.ACTOR_ROLE)),
            Times.fromDb(r.get(ORDER_EVENTS.OCCURRED_AT)),
            OrderState.valueOf(r.get(ORDER_EVENTS.ORDER_STATE)),
            JsonColumns.toMap(r.get(ORDER_EVENTS.DETAILS)));
    return new FeedEvent(r.get(ORDER_EVENTS.POSITION), event, r.get(ORDERS.BUYER_ID), r.get(ORDERS.SELLER_ID));
  }
}
