package dev.marketplace.orders.server.relay;

import com.rabbitmq.client.ShutdownSignalException;
import dev.marketplace.orders.domain.history.FeedEvent;
import dev.marketplace.orders.domain.feed.FeedFilter;
import dev.marketplace.orders.domain.usecase.EventFeed;
import dev.marketplace.orders.domain.usecase.EventRelayProgress;
import dev.marketplace.orders.server.config.FeedSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes every feed entry, in position order, to a RabbitMQ topic exchange: at least once, never
 * skipping. One replica at a time relays, the holder of the relay's lease in the database.
 *
 * <ul>
 *   <li>Lease: taken when free or expired, renewed every third of its length; before each batch the
 *       holder makes sure at least two thirds of it are left (the batch's confirms are waited for at
 *       most one third). A renewal that fails means another replica took over: publishing stops.
 *   <li>Order and completeness: entries are read after the confirmed position and never past the feed's
 *       horizon (positions commit out of order; the horizon passes a hole only once it is settled).
 *   <li>Confirms: a batch of up to {@value #BATCH} messages is published on a confirm-mode channel and
 *       its last position is stored only once the broker confirmed all of it, fenced by the holder's
 *       name; a replica that lost the lease cannot move the position.
 *   <li>Outages: the broker or the database gone is logged once; the relay reconnects with a back-off
 *       and resumes after the last confirmed position, so a batch cut off mid-way is published again
 *       (duplicates around an outage or a takeover; consumers de-duplicate by message id).
 * </ul>
 *
 * Runs on one daemon thread; {@link #close()} stops it after the batch in flight and gives the lease
 * up, so another replica takes over at once.
 */
public final class EventRelay implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EventRelay.class);

  static final int BATCH = 250;
  private static final long STATUS_LOG_NANOS = Duration.ofSeconds(30).toNanos();
  private static final long MIN_BACKOFF_MILLIS = 200;
  private static final long MAX_BACKOFF_MILLIS = 5_000;
  private static final long STOP_PATIENCE_MILLIS = 10_000;

  private final EventFeed feed;
  private final EventRelayProgress progress;
  private final BrokerPublisher broker;
  private final String brokerName;
  private final String exchange;
  private final Duration pollInterval;
  private final long thirdNanos;
  private final RelayStatus status = new RelayStatus();
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Thread thread;

  // The relay thread's own state.
  private boolean holding;
  private boolean resync;
  private long next;
  private long renewedAt;
  private long brokerOutageSince = -1;
  private long databaseOutageSince = -1;
  private long backoffMillis = MIN_BACKOFF_MILLIS;
  private long lastStatusLog = System.nanoTime();

  public EventRelay(EventFeed feed, EventRelayProgress progress, URI brokerUrl, String exchange, Duration pollInterval) {
    this.feed = feed;
    this.progress = progress;
    this.exchange = exchange;
    this.brokerName = FeedSettings.redacted(brokerUrl.toString());
    this.pollInterval = pollInterval;
    Duration third = progress.lease().dividedBy(3);
    this.thirdNanos = third.toNanos();
    this.broker = new BrokerPublisher(brokerUrl, exchange, "orders relay " + progress.holder(), third);
    this.thread = new Thread(this::run, "event-relay");
    this.thread.setDaemon(true);
  }

  /** A holder name unique among replicas, readable in the database: host, process id, a random part. */
  public static String holderName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "unknown-host";
    }
    return host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
  }

  public void start() {
    log.info("event relay: publishing the feed to exchange '{}' at {} as '{}' while holding the lease ({})", exchange, brokerName, progress.holder(), progress.lease());
    thread.start();
  }

  public RelayStatus status() {
    return status;
  }

  private void run() {
    try {
      while (stop.getCount() > 0) {
        long pauseMillis = step();
        if (pauseMillis > 0 && stop.await(pauseMillis, TimeUnit.MILLISECONDS)) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      broker.close();
      if (holding) {
        // Not interrupted while giving the lease up: the pool would refuse the connection.
        boolean interrupted = Thread.interrupted();
        try {
          progress.release();
          log.info("event relay: lease released at confirmed position {} (stopping)", next);
        } catch (RuntimeException e) {
          log.warn("event relay: could not release the lease ({}); it expires by itself", e.getMessage());
        }
        holding = false;
        status.leaseLost();
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** One round of the relay; returns how long to pause before the next (0: go on at once). */
  private long step() throws InterruptedException {
    try {
      if (!holdLease()) {
        return TimeUnit.NANOSECONDS.toMillis(thirdNanos);
      }
      if (!broker.connected()) {
        broker.connect();
        brokerReachable();
      }
      long horizon = feed.horizon();
      if (horizon <= next) {
        horizon = feed.advanceHorizon();
      }
      status.horizon(horizon);
      databaseReachable();
      logProgressNowAndThen();
      List<FeedEvent> batch = feed.read(FeedFilter.everything(), next, horizon, BATCH);
      if (batch.isEmpty()) {
        return pollInterval.toMillis();
      }
      // Renews when a third has passed: the lease then has two thirds left, the confirms wait at most one.
      if (!holdLease()) {
        return 0;
      }
      broker.publish(batch);
      long last = batch.get(batch.size() - 1).position();
      status.published(last);
      if (!progress.confirm(last)) {
        lose("another replica took the lease before position " + last + " was stored as confirmed");
        return 0;
      }
      next = last;
      status.confirmed(last);
      backoffMillis = MIN_BACKOFF_MILLIS;
      return 0;
    } catch (IOException | TimeoutException | ShutdownSignalException e) {
      return brokerUnreachable(e);
    } catch (RuntimeException e) {
      return databaseUnreachable(e);
    }
  }

  /** True while this replica holds the lease with at least two thirds of it left; takes or renews it as needed. */
  private boolean holdLease() {
    long started = System.nanoTime();
    if (holding && !resync && started - renewedAt < thirdNanos) {
      return true;
    }
    if (holding && !resync) {
      if (progress.renew()) {
        renewedAt = started;
        return true;
      }
      lose("the lease expired or another replica took it");
      return false;
    }
    Optional<Long> confirmed = progress.acquire();
    if (confirmed.isEmpty()) {
      if (holding) {
        lose("another replica took the lease");
      }
      resync = false;
      return false;
    }
    renewedAt = started;
    resync = false;
    next = confirmed.get();
    status.confirmed(next);
    if (!holding) {
      holding = true;
      status.leaseGained(next);
      log.info("event relay: lease gained; publishing to exchange '{}' after confirmed position {}", exchange, next);
    }
    return true;
  }

  private void lose(String why) {
    holding = false;
    status.leaseLost();
    broker.close();
    brokerOutageSince = -1;
    log.warn("event relay: lease lost ({}); stopped publishing, last confirmed position {}", why, next);
  }

  private void brokerReachable() {
    status.brokerUp();
    if (brokerOutageSince >= 0) {
      log.info(
          "event relay: broker {} reachable again after {} ms; resuming after confirmed position {}",
          brokerName,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - brokerOutageSince),
          next);
      brokerOutageSince = -1;
    } else {
      log.info("event relay: connected to broker {}, exchange '{}' (durable, topic)", brokerName, exchange);
    }
  }

  private long brokerUnreachable(Exception e) {
    broker.close();
    String problem = describe(e);
    if (brokerOutageSince < 0) {
      brokerOutageSince = System.nanoTime();
      backoffMillis = MIN_BACKOFF_MILLIS;
      status.outageStarted(problem);
      log.warn(
          "event relay: broker {} unreachable ({}); retrying with back-off, will resume after confirmed position {}",
          brokerName, problem, next);
    } else {
      backoffMillis = Math.min(backoffMillis * 2, maxBackoffMillis());
    }
    return backoffMillis;
  }

  private void databaseReachable() {
    if (databaseOutageSince >= 0) {
      log.info("event relay: database reachable again after {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - databaseOutageSince));
      databaseOutageSince = -1;
    }
  }

  private long databaseUnreachable(RuntimeException e) {
    // Whether the last statement committed is unknown: take the lease again (or learn it is lost) and
    // resume after the position the database has.
    resync = true;
    String problem = describe(e);
    status.problem(problem);
    if (databaseOutageSince < 0) {
      databaseOutageSince = System.nanoTime();
      backoffMillis = MIN_BACKOFF_MILLIS;
      log.warn("event relay: database unavailable ({}); retrying with back-off", problem);
    } else {
      backoffMillis = Math.min(backoffMillis * 2, maxBackoffMillis());
    }
    return backoffMillis;
  }

  /** The exception and the first message found along its causes (the client's IOException often has none of its own). */
  private static String describe(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return e.getClass().getSimpleName() + ": " + t.getMessage();
      }
    }
    return e.getClass().getSimpleName();
  }

  /** Never so long that a held lease would lapse while waiting. */
  private long maxBackoffMillis() {
    return Math.max(MIN_BACKOFF_MILLIS, Math.min(MAX_BACKOFF_MILLIS, TimeUnit.NANOSECONDS.toMillis(thirdNanos)));
  }

  private void logProgressNowAndThen() {
    long now = System.nanoTime();
    if (now - lastStatusLog >= STATUS_LOG_NANOS) {
      lastStatusLog = now;
      log.info("event relay: {}", status.snapshot());
    }
  }

  /** Stops after the batch in flight (waiting at most a few seconds) and gives the lease up. */
  @Override
  public void close() {
    stop.countDown();
    try {
      thread.join(STOP_PATIENCE_MILLIS);
      if (thread.isAlive()) {
        thread.interrupt();
        thread.join(2_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
