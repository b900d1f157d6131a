package dev.marketplace.orders.domain.history;

import java.util.Objects;

/**
 * A history entry as the feed carries it: its {@code position} in the feed of every order's history
 * (unique, increasing in the order consumers see entries, with possible gaps), and the order's parties
 * so that a consumer knows whom the entry concerns.
 */
public record FeedEvent(long position, OrderEvent event, String buyerId, String sellerId) {

  public FeedEvent {
    if (position < 1) {
      throw new IllegalArgumentException("a feed position starts at 1: " + position);
    }
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(buyerId, "buyerId");
    Objects.requireNonNull(sellerId, "sellerId");
  }
}
