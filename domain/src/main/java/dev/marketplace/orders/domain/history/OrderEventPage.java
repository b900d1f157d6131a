package dev.marketplace.orders.domain.history;

import java.util.List;
import java.util.OptionalLong;

/** One page of an order's history, oldest first; {@code nextAfterSequence} is empty on the last page. */
public record OrderEventPage(List<FeedEvent> events, OptionalLong nextAfterSequence) {

  public OrderEventPage {
    events = List.copyOf(events);
  }

  /** The entries without their feed data (position, parties). */
  public List<OrderEvent> orderEvents() {
    return events.stream().map(FeedEvent::event).toList();
  }
}
