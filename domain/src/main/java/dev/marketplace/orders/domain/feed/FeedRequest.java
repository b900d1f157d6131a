package dev.marketplace.orders.domain.feed;

import dev.marketplace.orders.domain.history.OrderEventType;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * What a subscriber asks to follow: a scope (and the order, for {@link FeedScope#ORDER}), the types
 * of entries (empty: all), and where to start: right after {@code resumeAfter} (0: the beginning),
 * or, when it is empty, from now on.
 */
public record FeedRequest(FeedScope scope, Optional<UUID> orderId, Set<OrderEventType> types, OptionalLong resumeAfter) {

  public FeedRequest {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(orderId, "orderId");
    types = Set.copyOf(types);
    Objects.requireNonNull(resumeAfter, "resumeAfter");
  }
}
