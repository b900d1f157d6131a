package dev.marketplace.orders.bench;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop load: {@code callers} threads, each repeating its operation back to back, first for a
 * warm-up whose results are discarded, then for the measured duration. Latency goes into one
 * HdrHistogram per thread (microseconds, 3 significant digits), merged at the end.
 */
final class LoadRunner {

  /** One operation of one caller; throws {@link Exhausted} when that caller has nothing left to do. */
  @FunctionalInterface
  interface Operation {
    void run() throws Exception;
  }

  /** The caller has used up its share of prepared orders. */
  static final class Exhausted extends Exception {
    Exhausted() {
      super("pool exhausted", null, false, false);
    }
  }

  /** What one run measured. */
  /** {@code operations} measured, {@code completed} in all (warm-up included). */
  record Result(
      String name, int callers, long operations, long completed, long errors, Map<String, Long> errorsBy, double seconds, Histogram latency, boolean exhausted) {

    double throughput() {
      return operations / seconds;
    }

    double percentileMillis(double percentile) {
      return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percentile) / 1000.0;
    }
  }

  private LoadRunner() {}

  static Result run(String name, int callers, Duration warmup, Duration duration, IntFunction<Operation> operationOf) throws InterruptedException {
    return run(name, callers, warmup, duration, 0, operationOf);
  }

  /**
   * As {@link #run(String, int, Duration, Duration, IntFunction)}, but the callers together start
   * {@code perSecond} operations a second on a fixed schedule (0: as fast as they can). Latency is
   * counted from each operation's scheduled start, so a caller that falls behind does not hide the
   * wait (no coordinated omission).
   */
  static Result run(String name, int callers, Duration warmup, Duration duration, double perSecond, IntFunction<Operation> operationOf)
      throws InterruptedException {
    long interval = perSecond > 0 ? (long) (1e9 * callers / perSecond) : 0;
    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    long end = measureFrom + duration.toNanos();
    List<Histogram> histograms = new ArrayList<>();
    AtomicLong operations = new AtomicLong();
    AtomicLong completed = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    Map<String, Long> errorsBy = new ConcurrentHashMap<>();
    AtomicLong exhausted = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < callers; t++) {
      Histogram histogram = new Histogram(60_000_000L, 3);
      histograms.add(histogram);
      Operation operation = operationOf.apply(t);
      threads.add(
          new Thread(
              () -> {
                long scheduled = start + (interval == 0 ? 0 : ThreadLocalRandom.current().nextLong(interval));
                while (true) {
                  if (interval > 0) {
                    long wait = scheduled - System.nanoTime();
                    if (wait > 0) {
                      LockSupport.parkNanos(wait);
                    }
                  }
                  long before = interval > 0 ? scheduled : System.nanoTime();
                  scheduled += interval;
                  if (before >= end) {
                    return;
                  }
                  try {
                    operation.run();
                    completed.incrementAndGet();
                    long after = System.nanoTime();
                    if (before >= measureFrom && after <= end) {
                      histogram.recordValue(Math.max(1, (after - before) / 1000));
                      operations.incrementAndGet();
                    }
                  } catch (Exhausted e) {
                    exhausted.incrementAndGet();
                    return;
                  } catch (Exception e) {
                    if (before >= measureFrom) {
                      errors.incrementAndGet();
                      errorsBy.merge(describe(e), 1L, Long::sum);
                    }
                  }
                }
              },
              name + "-caller-" + t));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }
    Histogram merged = new Histogram(60_000_000L, 3);
    histograms.forEach(merged::add);
    double seconds = Math.max(1e-9, Math.min(System.nanoTime(), end) - measureFrom) / 1e9;
    return new Result(name, callers, operations.get(), completed.get(), errors.get(), new TreeMap<>(errorsBy), seconds, merged, exhausted.get() > 0);
  }

  static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException s) {
        return s.getStatus().getCode().name();
      }
      if (t instanceof dev.marketplace.orders.client.OrdersException o) {
        return o.code().name() + (o.reason().isEmpty() ? "" : " " + o.reason());
      }
    }
    return e.getClass().getSimpleName();
  }

  static Status.Code codeOf(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException s) {
        return s.getStatus().getCode();
      }
      if (t instanceof dev.marketplace.orders.client.OrdersException o) {
        return o.code();
      }
    }
    return Status.Code.UNKNOWN;
  }
}
