package dev.marketplace.orders.server.jobs;

import dev.marketplace.orders.domain.usecase.DeadlineExpiry;
import java.time.Duration;
import java.util.function.IntUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the deadline sweep every interval: batches of expired cancellation requests are approved by
 * the platform, and batches of expired modifications closed, until none is left. What expiry does is the domain's ({@link DeadlineExpiry});
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

  /**
   * Expires every request of either kind due now, escalates every dispute not agreed in time, and
   * settles every return past its deadline; returns how many.
   */
  public int sweepAll() {
    return sweepCancellationRequests() + sweepModifications() + sweepDisputes() + sweepReturns();
  }

  private int sweepCancellationRequests() {
    return sweepBatches(expiry::sweep);
  }

  private int sweepModifications() {
    return sweepBatches(expiry::sweepModifications);
  }

  private int sweepDisputes() {
    return sweepBatches(expiry::sweepDisputes);
  }

  private int sweepReturns() {
    return sweepBatches(expiry::sweepReturns);
  }

  private static int sweepBatches(IntUnaryOperator batch) {
    int total = 0;
    int expired;
    do {
      expired = batch.applyAsInt(BATCH_SIZE);
      total += expired;
    } while (expired == BATCH_SIZE && !Thread.currentThread().isInterrupted());
    return total;
  }

  private void sweepQuietly() {
    try {
      int expired = sweepCancellationRequests();
      if (expired > 0) {
        log.info("deadline sweep: {} cancellation requests auto-approved and refunded", expired);
      }
      int closed = sweepModifications();
      if (closed > 0) {
        log.info("deadline sweep: {} modifications expired unanswered", closed);
      }
      int escalated = sweepDisputes();
      if (escalated > 0) {
        log.info("deadline sweep: {} disputes not agreed in time escalated to support", escalated);
      }
      int returns = sweepReturns();
      if (returns > 0) {
        log.info("deadline sweep: {} returns approved or accepted by the platform at their deadline", returns);
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
