package dev.marketplace.orders.domain.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The one way tests wait for something: poll a condition until it holds, or fail with an
 * {@link AssertionError} that names what was awaited, how long, and what was seen last (the last
 * value, and the last exception as the cause). Never returns quietly on timeout.
 *
 * <p>The condition is checked at once, then after 1, 2, 4 ... ms, at most every 50 ms, and a last
 * time at the deadline. An exception thrown by the condition means "not yet" (a server still
 * starting, a database still unreachable); an {@link Error}, such as a failed assertion inside the
 * condition, ends the wait at once.
 *
 * <pre>{@code
 * Await.until("the sweep to approve every request", Duration.ofSeconds(15), () -> pending() == 0);
 * ServingStatus status = Await.until("health SERVING", Duration.ofSeconds(15), server::health, s -> s == SERVING);
 * Order order = Await.value("the order to appear", Duration.ofSeconds(5), () -> find(id));
 * }</pre>
 */
public final class Await {

  private static final long FIRST_PAUSE_NANOS = Duration.ofMillis(1).toNanos();
  private static final long MAX_PAUSE_NANOS = Duration.ofMillis(50).toNanos();
  private static final int MAX_SEEN_CHARS = 2000;

  /** A condition that may throw while it cannot be decided yet. */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }

  /** Something observed, which may throw while it cannot be observed yet. */
  @FunctionalInterface
  public interface Probe<T> {
    T observe() throws Exception;
  }

  private Await() {}

  /** Waits until {@code condition} holds. */
  public static void until(String what, Duration timeout, Condition condition) {
    until(what, timeout, condition::holds, Boolean.TRUE::equals);
  }

  /** Waits until {@code probe} observes a value {@code done} accepts, and returns that value. */
  public static <T> T until(String what, Duration timeout, Probe<T> probe, Predicate<? super T> done) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    long pause = FIRST_PAUSE_NANOS;
    String lastSeen = "nothing yet";
    Exception lastFailure = null;
    while (true) {
      try {
        T value = probe.observe();
        if (done.test(value)) {
          return value;
        }
        lastSeen = shortened(String.valueOf(value));
        lastFailure = null;
      } catch (InterruptedException e) {
        throw interrupted(what, e);
      } catch (Exception e) {
        lastSeen = e.toString();
        lastFailure = e;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        AssertionError timedOut =
            new AssertionError(
                "timed out after " + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms (limit " + timeout + ") waiting for "
                    + what + "; last observed: " + lastSeen);
        if (lastFailure != null) {
          timedOut.initCause(lastFailure);
        }
        throw timedOut;
      }
      try {
        TimeUnit.NANOSECONDS.sleep(Math.min(pause, left));
      } catch (InterruptedException e) {
        throw interrupted(what, e);
      }
      pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
    }
  }

  /** Waits until {@code probe} returns a value, and returns it. */
  public static <T> T value(String what, Duration timeout, Probe<Optional<T>> probe) {
    return until(what, timeout, probe, Optional::isPresent).orElseThrow();
  }

  private static String shortened(String seen) {
    return seen.length() <= MAX_SEEN_CHARS ? seen : seen.substring(0, MAX_SEEN_CHARS) + "... (" + seen.length() + " characters)";
  }

  private static AssertionError interrupted(String what, InterruptedException e) {
    Thread.currentThread().interrupt();
    AssertionError error = new AssertionError("interrupted while waiting for " + what);
    error.initCause(e);
    return error;
  }
}
