package dev.marketplace.orders.server.jobs;

import dev.marketplace.orders.domain.usecase.DeadlineExpiry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the deadline sweep every interval: batches of expired cancellation requests are approved by
 * the platform until none is left. What expiry does is the domain's ({@link DeadlineExpiry});
 * this class only schedules it. Safe on any number of replicas (the domain claims with SKIP LOCKED),
 * and a request due while no process ran is expired by the first sweep after start.
 */
public final class DeadlineSweeper implements AutoCloseable {

  public static final int BATCH_SIZE = 50;
  private static final Logger log = LoggerFactory.getLogger(DeadlineSweeper.class);

  private final DeadlineExpiry expiry;
  private final PeriodicTask task = new PeriodicTask("deadline-sweeper");

  public DeadlineSweeper(DeadlineExpiry expiry) {
    this.expiry = expiry;
  }

  public void start(Duration interval) {
    task.start(this::sweepQuietly, Duration.ZERO, interval);
  }

  /** Expires every request due now; returns how many. */
  public int sweepAll() {
    int total = 0;
    int expired;
    do {
      expired = expiry.sweep(BATCH_SIZE);
      total += expired;
    } while (expired == BATCH_SIZE && !Thread.currentThread().isInterrupted());
    return total;
  }

  private void sweepQuietly() {
    try {
      int expired = sweepAll();
      if (expired > 0) {
        log.info("deadline sweep: {} cancellation requests auto-approved and refunded", expired);
      }
    } catch (RuntimeException e) {
      // The next round retries; a database outage is reported by health, not here on every tick.
      log.warn("deadline sweep failed, will retry: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    task.close();
  }
}
