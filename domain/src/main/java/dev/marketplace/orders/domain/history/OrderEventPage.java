package dev.marketplace.orders.domain.history;

import java.util.List;
import java.util.OptionalLong;

/** One page of an order's history, oldest first; {@code nextAfterSequence} is empty on the last page. */
public record OrderEventPage(List<OrderEvent> events, OptionalLong nextAfterSequence) {

  public OrderEventPage {
    events = List.copyOf(events);
  }
}
