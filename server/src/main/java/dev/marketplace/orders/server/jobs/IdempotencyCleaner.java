package dev.marketplace.orders.server.jobs;

import dev.marketplace.orders.domain.usecase.IdempotencyRetention;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes idempotency records older than the retention every interval, on a thread of its own, so
 * the table stays the size of one retention of traffic. What is deleted and how it stays out of the
 * way of live calls is the domain's ({@link IdempotencyRetention}); this class only schedules it.
 * Safe on any number of replicas.
 */
public final class IdempotencyCleaner implements AutoCloseable {

  /** Rows per transaction: a few milliseconds of locks on expired rows only, and few round trips. */
  public static final int BATCH_SIZE = 500;
  private static final Logger log = LoggerFactory.getLogger(IdempotencyCleaner.class);

  private final IdempotencyRetention retention;
  private final PeriodicTask task = new PeriodicTask("idempotency-cleaner");

  public IdempotencyCleaner(IdempotencyRetention retention) {
    this.retention = retention;
  }

  public void start(Duration interval) {
    task.start(this::cleanUpQuietly, Duration.ZERO, interval);
  }

  /** Deletes every record older than the retention now; returns what was done. */
  public IdempotencyRetention.Removal cleanUp() {
    return retention.removeExpired(BATCH_SIZE);
  }

  private void cleanUpQuietly() {
    try {
      IdempotencyRetention.Removal removal = cleanUp();
      if (removal.removed() > 0) {
        log.info(
            "idempotency cleanup: {} records older than {} (created before {}) removed, {} batches of up to " + BATCH_SIZE,
            removal.removed(),
            retention.retention(),
            removal.createdBefore(),
            removal.batches());
      }
    } catch (RuntimeException e) {
      // The next round retries; a database outage is reported by health, not here on every tick.
      log.warn("idempotency cleanup failed, will retry: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    task.close();
  }
}
