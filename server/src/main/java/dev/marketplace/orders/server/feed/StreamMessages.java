package dev.marketplace.orders.server.feed;

import dev.marketplace.orders.domain.history.FeedEvent;
import java.time.Instant;

/** What a stream sends, built by the API layer: an event, or a heartbeat saying how far the stream has read. */
public interface StreamMessages<T> {

  T event(FeedEvent entry);

  T heartbeat(long readUpTo, Instant sentAt);
}
