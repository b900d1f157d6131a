package dev.marketplace.orders.domain.feed;

import dev.marketplace.orders.domain.history.FeedEvent;
import dev.marketplace.orders.domain.history.OrderEventType;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Which entries of the feed one subscriber receives: those of one order, of one buyer's or one
 * seller's orders, or of every order; of some types or of all (an empty {@code types}).
 */
public record FeedFilter(Optional<UUID> orderId, Optional<String> buyerId, Optional<String> sellerId, Set<OrderEventType> types) {

  /** The scope a service needs to follow every order. */
  public static final String EVENTS_READ = "events.read";

  public FeedFilter {
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(buyerId, "buyerId");
    Objects.requireNonNull(sellerId, "sellerId");
    types = types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
  }

  public static FeedFilter everything() {
    return new FeedFilter(Optional.empty(), Optional.empty(), Optional.empty(), Set.of());
  }

  public boolean matches(FeedEvent entry) {
    return orderId.map(id -> id.equals(entry.event().orderId())).orElse(true)
        && buyerId.map(b -> b.equals(entry.buyerId())).orElse(true)
        && sellerId.map(s -> s.equals(entry.sellerId())).orElse(true)
        && (types.isEmpty() || types.contains(entry.event().type()));
  }
}
