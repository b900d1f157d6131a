package dev.marketplace.orders.server.feed;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.error.RateLimitedException;
import dev.marketplace.orders.domain.history.FeedEvent;
import dev.marketplace.orders.domain.feed.FeedFilter;
import dev.marketplace.orders.domain.feed.FeedSubscription;
import dev.marketplace.orders.domain.usecase.EventFeed;
import dev.marketplace.orders.server.config.FeedSettings;
import dev.marketplace.orders.server.error.ErrorMapper;
import io.grpc.stub.ServerCallStreamObserver;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WatchOrderEvents streams of this server. One poller follows the feed for all of them: every
 * {@link FeedSettings#pollInterval()} it moves the {@code FeedHorizon}, reads what became readable
 * once (one query, whatever the number of streams) and offers it to each live stream, which keeps
 * what its filter lets through. A stream that starts behind (a resume token, or one that fell behind)
 * catches up from the database on its own, a page at a time as the consumer reads, then joins the
 * live offers. Limits: streams in total and per caller (RESOURCE_EXHAUSTED, STREAM_LIMIT_REACHED).
 * The poller starts with the first stream; {@link #close()} ends every stream (UNAVAILABLE, resume
 * elsewhere) before the server stops.
 */
public final class EventStreams implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EventStreams.class);
  static final int PAGE = 500;
  private static final Duration LIMIT_RETRY_DELAY = Duration.ofSeconds(1);

  private final EventFeed feed;
  private final FeedSettings settings;
  private final ErrorMapper errors;
  private final Clock clock;
  private final Set<EventStream<?>> streams = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> openPerCaller = new HashMap<>();
  private int open;
  private ScheduledExecutorService poller;
  private ScheduledExecutorService readers;
  private long dispatched = -1;
  private boolean closed;
  /** When a failed poll was last logged (nanoTime); the first failure is always logged. */
  private long lastPollFailureLog = System.nanoTime() - TimeUnit.SECONDS.toNanos(11);

  @Inject
  public EventStreams(EventFeed feed, FeedSettings settings, ErrorMapper errors, Clock clock) {
    this.feed = feed;
    this.settings = settings;
    this.errors = errors;
    this.clock = clock;
  }

  /** A place for one more stream of this caller, or RESOURCE_EXHAUSTED when the limits are reached. */
  public synchronized Slot reserve(Principal caller) {
    if (closed) {
      throw errors.serverStopping();
    }
    String key = caller.idempotencyNamespace();
    int mine = openPerCaller.getOrDefault(key, 0);
    if (open >= settings.maxStreams()) {
      throw new RateLimitedException(
          "STREAM_LIMIT_REACHED",
          "this server has its maximum of " + settings.maxStreams() + " event streams open; retry later",
          Map.of("limit", Integer.toString(settings.maxStreams()), "per", "server"),
          LIMIT_RETRY_DELAY);
    }
    if (mine >= settings.maxStreamsPerCaller()) {
      throw new RateLimitedException(
          "STREAM_LIMIT_REACHED",
          "you have " + mine + " event streams open on this server, the most allowed; close one before opening another",
          Map.of("limit", Integer.toString(settings.maxStreamsPerCaller()), "per", "caller"),
          LIMIT_RETRY_DELAY);
    }
    openPerCaller.merge(key, 1, Integer::sum);
    open++;
    startPolling();
    return new Slot(key);
  }

  /**
   * Starts a stream in the slot reserved for it; it runs until the consumer leaves, it is ended, or the
   * caller's token expires (UNAUTHENTICATED, TOKEN_EXPIRED: open it again with a fresh token).
   */
  public <T> void start(
      Slot slot, FeedSubscription subscription, Optional<Instant> tokenExpiry, ServerCallStreamObserver<T> observer, StreamMessages<T> messages) {
    EventStream<T> stream = new EventStream<>(this, slot, subscription, tokenExpiry, observer, messages);
    streams.add(stream);
    stream.start();
  }

  /** Streams open now. */
  public synchronized int open() {
    return open;
  }

  synchronized void release(Slot slot) {
    if (!slot.release()) {
      return;
    }
    open--;
    openPerCaller.computeIfPresent(slot.caller(), (k, n) -> n == 1 ? null : n - 1);
  }

  void forget(EventStream<?> stream) {
    streams.remove(stream);
  }

  EventFeed feed() {
    return feed;
  }

  FeedSettings settings() {
    return settings;
  }

  ErrorMapper errors() {
    return errors;
  }

  Clock clock() {
    return clock;
  }

  void read(Runnable step) {
    ScheduledExecutorService pool;
    synchronized (this) {
      pool = readers;
    }
    if (pool != null && !pool.isShutdown()) {
      try {
        pool.execute(step);
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        // closing: the stream is ended by close()
      }
    }
  }

  private void startPolling() {
    if (poller != null) {
      return;
    }
    poller = Executors.newScheduledThreadPool(2, daemon("orders-feed-poller"));
    readers = Executors.newScheduledThreadPool(2, daemon("orders-feed-reader"));
    long every = settings.pollInterval().toNanos();
    poller.scheduleWithFixedDelay(this::poll, 0, every, TimeUnit.NANOSECONDS);
    long beat = Math.max(Math.min(settings.heartbeatInterval().toNanos(), settings.stallTimeout().toNanos()) / 4, TimeUnit.MILLISECONDS.toNanos(20));
    poller.scheduleWithFixedDelay(this::heartbeats, beat, beat, TimeUnit.NANOSECONDS);
  }

  /** Moves the horizon and offers what became readable to every live stream. */
  private void poll() {
    try {
      long horizon = feed.advanceHorizon();
      long from = dispatched < 0 ? horizon : dispatched;
      while (from < horizon && !streams.isEmpty()) {
        List<FeedEvent> page = feed.read(FeedFilter.everything(), from, horizon, PAGE);
        long to = page.size() < PAGE ? horizon : page.get(page.size() - 1).position();
        for (EventStream<?> stream : streams) {
          stream.offer(from, to, page);
        }
        from = to;
      }
      dispatched = horizon;
    } catch (RuntimeException e) {
      long now = System.nanoTime();
      if (now - lastPollFailureLog > TimeUnit.SECONDS.toNanos(10)) {
        lastPollFailureLog = now;
        log.warn("the event feed could not be read; streams wait and go on when it can: {}", e.toString());
      }
    }
  }

  private void heartbeats() {
    long now = System.nanoTime();
    for (EventStream<?> stream : streams) {
      try {
        stream.heartbeatIfIdle(now);
      } catch (RuntimeException e) {
        log.debug("heartbeat failed: {}", e.toString());
      }
    }
  }

  /** Ends every stream with UNAVAILABLE (resume on another replica) and stops polling. */
  @Override
  public void close() {
    ScheduledExecutorService stopPoller;
    ScheduledExecutorService stopReaders;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      stopPoller = poller;
      stopReaders = readers;
    }
    for (EventStream<?> stream : streams) {
      stream.end(errors.serverStopping());
    }
    for (ScheduledExecutorService pool : new ScheduledExecutorService[] {stopPoller, stopReaders}) {
      if (pool != null) {
        pool.shutdownNow();
        try {
          pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger counter = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + counter.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** One caller's place among the open streams, given back exactly once. */
  public static final class Slot {
    private final String caller;
    private boolean released;

    private Slot(String caller) {
      this.caller = caller;
    }

    String caller() {
      return caller;
    }

    private boolean release() {
      if (released) {
        return false;
      }
      released = true;
      return true;
    }
  }

  /** Gives the slot back when the stream could not be started. */
  public void cancel(Slot slot) {
    release(slot);
  }
}
