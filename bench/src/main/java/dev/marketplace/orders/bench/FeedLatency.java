package dev.marketplace.orders.bench;

import dev.marketplace.orders.client.OrderEventHandler;
import dev.marketplace.orders.client.OrderEventSubscription;
import dev.marketplace.orders.client.OrdersClient;
import dev.marketplace.orders.client.OrdersException;
import dev.marketplace.orders.v1.OrderEvent;
import dev.marketplace.orders.v1.WatchOrderEventsRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One WatchOrderEvents consumer (a service with {@code events.read}, every order, from now) that times
 * each event from its {@code occur_time} to its arrival here, on the same machine's clock. Only events
 * that occurred inside the measured window count, so the warm-up and the stragglers after the load
 * stop are left out. {@code occur_time} is taken inside the writing transaction, before its commit,
 * so the figure slightly over-estimates commit-to-delivery.
 */
final class FeedLatency implements AutoCloseable, OrderEventHandler {

  /** What the consumer saw of the measured window. */
  record Result(int callers, double writeOpsPerSecond, long events, double seconds, Histogram latency, long reconnects, long late) {
    double eventsPerSecond() {
      return events / seconds;
    }

    double percentileMillis(double percentile) {
      return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percentile) / 1000.0;
    }
  }

  private static final Duration QUIET = Duration.ofMillis(500);
  private static final Duration MAX_DRAIN = Duration.ofSeconds(10);

  private final Histogram latency = new Histogram(60_000_000L, 3);
  private final Instant from;
  private final Instant to;
  private final OrderEventSubscription watch;
  private long events;
  private long reconnects;
  private long lastArrival = System.nanoTime();

  /** Starts following now; counts the events that occur in [{@code from}, {@code to}). */
  FeedLatency(OrdersClient service, Instant from, Instant to) {
    this.from = from;
    this.to = to;
    this.watch = service.watchOrderEvents(WatchOrderEventsRequest.newBuilder().setScope(WatchOrderEventsRequest.Scope.ALL_ORDERS).build(), this);
  }

  @Override
  public synchronized void onEvent(OrderEvent event) {
    Instant arrived = Instant.now();
    lastArrival = System.nanoTime();
    Instant occurred = Instant.ofEpochSecond(event.getOccurTime().getSeconds(), event.getOccurTime().getNanos());
    if (occurred.isBefore(from) || !occurred.isBefore(to)) {
      return;
    }
    events++;
    latency.recordValue(Math.max(1, Duration.between(occurred, arrived).toNanos() / 1000));
  }

  @Override
  public synchronized void onReconnecting(OrdersException cause, Duration delay) {
    reconnects++;
  }

  @Override
  public void onError(Exception error) {
    Bench.progress("the feed consumer stopped: " + error);
  }

  /**
   * Waits for the window's last events (until none arrived for half a second), stops following, and
   * returns the figures; {@code writeOpsPerSecond} is the load's own throughput, for the report.
   */
  Result finish(int callers, double writeOpsPerSecond) throws InterruptedException {
    long started = System.nanoTime();
    while (System.nanoTime() - started < MAX_DRAIN.toNanos()) {
      synchronized (this) {
        if (System.nanoTime() - lastArrival > QUIET.toNanos()) {
          break;
        }
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    watch.close();
    synchronized (this) {
      long late = latency.getTotalCount() - latency.getCountBetweenValues(0, 999_999);
      return new Result(callers, writeOpsPerSecond, events, Duration.between(from, to).toNanos() / 1e9, latency.copy(), reconnects, late);
    }
  }

  @Override
  public void close() {
    watch.close();
  }

  /**
   * Follows the feed from now, makes one write, and waits until its event arrives: then the server's
   * feed horizon has settled every position below it. The data set's bulk inserts ({@code INSERT ...
   * SELECT}) leave unused AUTO_INCREMENT values behind, which the horizon settles a grace after it
   * first sees a position above them; the runs are measured after that. Returns how long that took.
   */
  static Duration awaitCaughtUp(OrdersClient service, LoadRunner.Operation write, Duration max) throws Exception {
    Instant began = Instant.now();
    java.util.concurrent.CountDownLatch arrived = new java.util.concurrent.CountDownLatch(1);
    OrderEventHandler handler =
        event -> {
          if (!Instant.ofEpochSecond(event.getOccurTime().getSeconds(), event.getOccurTime().getNanos()).isBefore(began)) {
            arrived.countDown();
          }
        };
    try (OrderEventSubscription watch =
        service.watchOrderEvents(WatchOrderEventsRequest.newBuilder().setScope(WatchOrderEventsRequest.Scope.ALL_ORDERS).build(), handler)) {
      write.run();
      if (!arrived.await(max.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new IllegalStateException("the feed did not deliver a new event within " + max);
      }
    }
    return Duration.between(began, Instant.now());
  }
}
