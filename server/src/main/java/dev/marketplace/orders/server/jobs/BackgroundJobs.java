package dev.marketplace.orders.server.jobs;

import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.usecase.DeadlineExpiry;
import dev.marketplace.orders.domain.usecase.IdempotencyRetention;
import dev.marketplace.orders.server.config.BackgroundJobSettings;
import io.grpc.protobuf.services.HealthStatusManager;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's background jobs, started in one place and stopped in one place: the database health
 * probe ({@link DatabaseHealth}), the deadline sweep ({@link DeadlineSweeper}) and the idempotency
 * cleanup ({@link IdempotencyCleaner}), each on a daemon thread of its own. {@link #close()} stops
 * them in reverse order of start.
 */
public final class BackgroundJobs implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BackgroundJobs.class);

  private final Deque<AutoCloseable> running = new ArrayDeque<>();

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
      Clock clock) {
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
      return jobs;
    } catch (RuntimeException e) {
      jobs.close();
      throw e;
    }
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
