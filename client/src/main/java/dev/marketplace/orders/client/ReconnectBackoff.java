package dev.marketplace.orders.client;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * How long a watch waits before reopening its stream: exponential from {@code initial}, doubled per
 * failure in a row, capped at {@code max}, with "equal jitter" (half the step fixed, half random) so
 * that consumers cut off together by a restarting server do not come back together. A server's
 * RetryInfo is a floor, with up to a fifth of it added at random for the same reason.
 */
final class ReconnectBackoff {

  private final Duration initial;
  private final Duration max;
  private final DoubleSupplier random;

  ReconnectBackoff(Duration initial, Duration max, DoubleSupplier random) {
    this.initial = Objects.requireNonNull(initial, "initial");
    this.max = Objects.requireNonNull(max, "max");
    this.random = Objects.requireNonNull(random, "random");
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max, was " + initial + " and " + max);
    }
  }

  /** The wait after the {@code failures}-th failure in a row (1 for the first). */
  Duration delay(int failures) {
    long step = initial.toNanos();
    for (int i = 1; i < failures && step < max.toNanos(); i++) {
      step = Math.min(step * 2, max.toNanos());
    }
    step = Math.min(step, max.toNanos());
    long half = step / 2;
    return Duration.ofNanos(half + (long) (random.getAsDouble() * (step - half)));
  }

  /** The wait after the {@code failures}-th failure in a row when the server asked for {@code retryDelay}. */
  Duration delay(int failures, Duration retryDelay) {
    Duration asked = retryDelay.plusNanos((long) (random.getAsDouble() * retryDelay.toNanos() / 5));
    Duration own = delay(failures);
    return asked.compareTo(own) > 0 ? asked : own;
  }
}
