package dev.marketplace.orders.domain.history;

/** What happened to an order. Names are stable: they are stored and exposed in the API. */
public enum OrderEventType {
  ORDER_CREATED,
  PAYMENT_PROCESSING,
  PAYMENT_CAPTURED,
  PAYMENT_FAILED,
  ORDER_SHIPPED,
  ORDER_DELIVERED
}
