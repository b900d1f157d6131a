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

  private final ScheduledExecutorService scheduler;

  public PeriodicTask(String threadName) {
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
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
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
