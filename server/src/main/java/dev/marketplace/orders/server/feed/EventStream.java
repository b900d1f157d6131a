package dev.marketplace.orders.server.feed;

import dev.marketplace.orders.domain.error.AuthenticationFailedException;
import dev.marketplace.orders.domain.error.RateLimitedException;
import dev.marketplace.orders.domain.history.FeedEvent;
import dev.marketplace.orders.domain.feed.FeedFilter;
import dev.marketplace.orders.domain.feed.FeedSubscription;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;

/**
 * One WatchOrderEvents stream. It has read the feed up to {@code cursor}: every entry at or below it
 * that its filter lets through is queued or sent, in position order. It is either catching up (reading
 * pages from the database, only as fast as the consumer takes them) or live (taking the poller's
 * offers). A live offer that does not start at or below the cursor sends it back to catching up, so
 * nothing between the two is lost; an offer already covered is not repeated.
 *
 * <p>Memory is bounded: at most {@code streamBuffer} events wait in the queue. A live offer that would
 * overflow it keeps the first {@code streamBuffer}, moves the cursor back to the last one kept and
 * sends the stream back to catching up, which reads the rest from the database as the consumer takes
 * them. A consumer that takes nothing for {@code stallTimeout} while events wait has stopped reading:
 * its stream is ended with RESOURCE_EXHAUSTED (CONSUMER_TOO_SLOW), and it resumes from the last token
 * it received.
 *
 * <p>Every send happens under this object's lock: gRPC's observer is not thread-safe, and the poller,
 * the readers and the transport's on-ready callback all send.
 */
final class EventStream<T> {

  private final EventStreams owner;
  private final EventStreams.Slot slot;
  private final FeedFilter filter;
  private final ServerCallStreamObserver<T> observer;
  private final StreamMessages<T> messages;
  private final int buffer;
  private final long heartbeatNanos;
  private final long stallNanos;
  private final Optional<Instant> tokenExpiry;
  private final ArrayDeque<Pending<T>> queue = new ArrayDeque<>();
  private long cursor;
  private long lastSent;
  /** Since when the consumer has owed us progress: the later of the last send and the queue filling. */
  private long waitingSince;
  private boolean live;
  private boolean reading;
  private boolean closed;

  EventStream(
      EventStreams owner,
      EventStreams.Slot slot,
      FeedSubscription subscription,
      Optional<Instant> tokenExpiry,
      ServerCallStreamObserver<T> observer,
      StreamMessages<T> messages) {
    this.owner = owner;
    this.tokenExpiry = tokenExpiry;
    this.slot = slot;
    this.filter = subscription.filter();
    this.cursor = subscription.after();
    this.observer = observer;
    this.messages = messages;
    this.buffer = owner.settings().streamBuffer();
    this.heartbeatNanos = owner.settings().heartbeatInterval().toNanos();
    this.stallNanos = owner.settings().stallTimeout().toNanos();
    this.lastSent = System.nanoTime();
  }

  /**
   * Called in the handler, before it returns: the callbacks must be set by then. The first message is
   * a heartbeat carrying where the stream starts, so that a consumer holds a resume token from the
   * first moment ("from now" is pinned even if it leaves before any event).
   */
  synchronized void start() {
    observer.setOnCancelHandler(this::consumerLeft);
    observer.setOnReadyHandler(this::drain);
    observer.onNext(messages.heartbeat(cursor, owner.clock().instant()));
    lastSent = System.nanoTime();
    catchUpLater();
  }

  /** The poller's offer: the entries in ({@code from}, {@code to}], all of them (the filter is applied here). */
  synchronized void offer(long from, long to, List<FeedEvent> entries) {
    if (closed || !live) {
      return;
    }
    if (cursor < from) {
      live = false;
      catchUpLater();
      return;
    }
    for (FeedEvent entry : entries) {
      if (entry.position() > cursor && filter.matches(entry)) {
        enqueue(entry);
      }
    }
    cursor = Math.max(cursor, to);
    drainLocked();
    if (queue.size() > buffer) {
      // Keep what fits; the rest is read again from the database when the consumer has room.
      while (queue.size() > buffer) {
        queue.pollLast();
      }
      cursor = queue.peekLast().position();
      live = false;
    }
  }

  /** One page of catching up, on a reader thread. */
  private void catchUp() {
    long from;
    int room;
    synchronized (this) {
      if (closed) {
        return;
      }
      from = cursor;
      room = Math.min(EventStreams.PAGE, buffer - queue.size());
      if (room <= 0) {
        reading = false;
        return;
      }
    }
    long upTo = owner.feed().horizon();
    List<FeedEvent> page;
    try {
      page = from >= upTo ? List.of() : owner.feed().read(filter, from, upTo, room);
    } catch (RuntimeException e) {
      end(e);
      return;
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      page.forEach(this::enqueue);
      cursor = page.size() == room ? page.get(page.size() - 1).position() : Math.max(cursor, upTo);
      if (cursor >= owner.feed().horizon()) {
        live = true;
        reading = false;
      } else if (queue.size() < buffer) {
        owner.read(this::catchUp);
      } else {
        reading = false;
      }
      drainLocked();
    }
  }

  private void catchUpLater() {
    if (!reading) {
      reading = true;
      owner.read(this::catchUp);
    }
  }

  private synchronized void drain() {
    drainLocked();
  }

  private void enqueue(FeedEvent entry) {
    if (queue.isEmpty()) {
      waitingSince = System.nanoTime();
    }
    queue.add(new Pending<>(entry.position(), messages.event(entry)));
  }

  private void drainLocked() {
    while (!closed && !queue.isEmpty() && observer.isReady()) {
      observer.onNext(queue.poll().message());
      lastSent = System.nanoTime();
      waitingSince = lastSent;
    }
    if (!closed && !live && !reading && queue.size() <= buffer / 2) {
      catchUpLater();
    }
  }

  /**
   * A heartbeat when nothing was sent for a heartbeat interval and nothing waits; the end of a stream
   * whose caller's token has expired, or whose consumer has taken nothing for the stall timeout while
   * events wait.
   */
  synchronized void heartbeatIfIdle(long now) {
    if (closed) {
      return;
    }
    if (tokenExpiry.isPresent() && !owner.clock().instant().isBefore(tokenExpiry.get())) {
      end(new AuthenticationFailedException("TOKEN_EXPIRED", "the bearer token this stream was opened with has expired; open it again with a fresh token and the last resume_token received"));
      return;
    }
    if (!queue.isEmpty() && now - waitingSince > stallNanos) {
      end(
          new RateLimitedException(
              "CONSUMER_TOO_SLOW",
              "this stream's consumer took no event for " + owner.settings().stallTimeout() + " while " + queue.size()
                  + " waited; resume from the last resume_token received",
              Map.of("waiting", Integer.toString(queue.size())),
              Duration.ZERO));
      return;
    }
    if (!queue.isEmpty() || now - lastSent < heartbeatNanos || !observer.isReady()) {
      return;
    }
    observer.onNext(messages.heartbeat(cursor, owner.clock().instant()));
    lastSent = now;
  }

  /** Ends the stream with the status of {@code cause}. */
  synchronized void end(Throwable cause) {
    if (!closeOnce()) {
      return;
    }
    try {
      observer.onError(owner.errors().toStatusException(cause));
    } catch (RuntimeException alreadyClosed) {
      // the consumer left at the same moment
    }
  }

  private synchronized void consumerLeft() {
    closeOnce();
  }

  /** Drops what waits and gives the slot back; false when the stream was closed already. */
  private boolean closeOnce() {
    if (closed) {
      return false;
    }
    closed = true;
    queue.clear();
    owner.forget(this);
    owner.release(slot);
    return true;
  }

  /** An event waiting for the consumer, with its position. */
  private record Pending<T>(long position, T message) {}
}
