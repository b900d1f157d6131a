package dev.marketplace.orders.domain.feed;

import java.util.Objects;

/** A subscription that passed its checks: what the subscriber may receive, and the position it has read up to. */
public record FeedSubscription(FeedFilter filter, long after) {

  public FeedSubscription {
    Objects.requireNonNull(filter, "filter");
    if (after < 0) {
      throw new IllegalArgumentException("a feed position is never negative: " + after);
    }
  }
}
