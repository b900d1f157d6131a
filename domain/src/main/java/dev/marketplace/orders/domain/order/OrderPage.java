package dev.marketplace.orders.domain.order;

import java.util.List;
import java.util.Optional;

/** One page of orders, newest first, and where the next page starts (empty on the last page). */
public record OrderPage(List<Order> orders, Optional<OrderCursor> next) {

  public OrderPage {
    orders = List.copyOf(orders);
  }
}
