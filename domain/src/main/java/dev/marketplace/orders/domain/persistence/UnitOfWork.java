package dev.marketplace.orders.domain.persistence;

import org.jooq.DSLContext;

/** The repositories of one database transaction, all bound to that transaction's own {@link DSLContext}. */
public final class UnitOfWork {

  private final OrderRepository orders;
  private final OrderEventLog events;
  private final IdempotencyStore idempotency;

  UnitOfWork(DSLContext tx) {
    this.orders = new OrderRepository(tx);
    this.events = new OrderEventLog(tx);
    this.idempotency = new IdempotencyStore(tx);
  }

  public OrderRepository orders() {
    return orders;
  }

  public OrderEventLog events() {
    return events;
  }

  IdempotencyStore idempotency() {
    return idempotency;
  }
}
