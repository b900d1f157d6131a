package dev.marketplace.orders.domain.order;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** Position in a newest-first order listing: the last order of the previous page. */
public record OrderCursor(Instant createdAt, UUID orderId) {

  public OrderCursor {
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(orderId, "orderId");
  }

  public static OrderCursor after(Order order) {
    return new OrderCursor(order.createdAt(), order.id());
  }
}
