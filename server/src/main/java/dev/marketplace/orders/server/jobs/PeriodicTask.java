package dev.marketplace.orders.server.jobs;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One background job on a daemon thread of its own, run again a fixed delay after each run ends,
 * so a slow run never overlaps the next. {@link #close()} stops it and waits briefly for a run in
 * progress. The health probe, the deadline sweep and the idempotency cleanup each have one.
 */
public final class PeriodicTask implements AutoCloseable {

  private static final long CLOSE_PATIENCE_MILLIS = 5_000;

  private final ScheduledExecutorService scheduler;
  private volatile Thread thread;

  public PeriodicTask(String threadName) {
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              thread = t;
              return t;
            });
  }

  /** Runs {@code job} after {@code initialDelay}, then {@code interval} after each run ends. */
  public void start(Runnable job, Duration initialDelay, Duration interval) {
    scheduler.scheduleWithFixedDelay(job, initialDelay.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_PATIENCE_MILLIS);
      scheduler.awaitTermination(CLOSE_PATIENCE_MILLIS, TimeUnit.MILLISECONDS);
      // The executor counts as terminated a moment before its thread has finished: wait for the
      // thread too, so that a closed task has no thread left.
      Thread t = thread;
      if (t != null) {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
