package dev.marketplace.orders.server.jobs;

import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.usecase.DeadlineExpiry;
import dev.marketplace.orders.domain.usecase.EventFeed;
import dev.marketplace.orders.domain.usecase.EventRelayProgress;
import dev.marketplace.orders.domain.usecase.IdempotencyRetention;
import dev.marketplace.orders.server.config.BackgroundJobSettings;
import dev.marketplace.orders.server.config.FeedSettings;
import dev.marketplace.orders.server.relay.EventRelay;
import dev.marketplace.orders.server.relay.RelayStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's background jobs, started in one place and stopped in one place: the database health
 * probe ({@link DatabaseHealth}), the deadline sweep ({@link DeadlineSweeper}), the idempotency
 * cleanup ({@link IdempotencyCleaner}) and, when an AMQP URL is configured, the broker relay
 * ({@link EventRelay}), each on a daemon thread of its own. {@link #close()} stops them in reverse
 * order of start.
 */
public final class BackgroundJobs implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BackgroundJobs.class);

  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private Optional<RelayStatus> relay = Optional.empty();

  private BackgroundJobs() {}

  /**
   * Starts every job. The health probe has run once when this returns, so health answers for the
   * database from the first call on; {@code services} are the gRPC services whose health follows it.
   */
  public static BackgroundJobs start(
      BackgroundJobSettings settings,
      DataSource dataSource,
      HealthStatusManager health,
      List<String> services,
      DeadlineExpiry expiry,
      Transactor transactor,
      Clock clock,
      FeedSettings feed,
      EventFeed eventFeed) {
    BackgroundJobs jobs = new BackgroundJobs();
    try {
      DatabaseHealth probe = new DatabaseHealth(dataSource, health, services);
      jobs.running.push(probe);
      probe.start(settings.healthCheckInterval());

      DeadlineSweeper sweeper = new DeadlineSweeper(expiry);
      jobs.running.push(sweeper);
      sweeper.start(settings.sweepInterval());

      IdempotencyCleaner cleaner =
          new IdempotencyCleaner(new IdempotencyRetention(transactor, clock, settings.idempotencyRetention()));
      jobs.running.push(cleaner);
      cleaner.start(settings.idempotencyCleanupInterval());

      if (feed.amqpUrl().isPresent()) {
        EventRelayProgress progress = new EventRelayProgress(transactor, feed.amqpExchange(), EventRelay.holderName(), feed.relayLease());
        EventRelay relay = new EventRelay(eventFeed, progress, feed.amqpUrl().get(), feed.amqpExchange(), feed.pollInterval());
        jobs.running.push(relay);
        jobs.relay = Optional.of(relay.status());
        relay.start();
      }
      return jobs;
    } catch (RuntimeException e) {
      jobs.close();
      throw e;
    }
  }

  /** Where the broker relay stands (lease, last published, confirmed, lag); empty without ORDERS_AMQP_URL. */
  public Optional<RelayStatus> relayStatus() {
    return relay;
  }

  @Override
  public void close() {
    while (!running.isEmpty()) {
      try {
        running.pop().close();
      } catch (Exception e) {
        log.warn("error while stopping a background job: {}", e.getMessage());
      }
    }
  }
}
