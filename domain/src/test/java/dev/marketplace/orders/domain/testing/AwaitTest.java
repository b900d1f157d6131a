package dev.marketplace.orders.domain.testing;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The await helper returns as soon as the condition holds, and on timeout fails saying what it waited for and saw. */
class AwaitTest {

  private static final Duration SHORT = Duration.ofMillis(100);

  @Test
  void aConditionThatBecomesTrue_returnsOnTheCheckThatSeesIt() {
    AtomicInteger checks = new AtomicInteger();

    Await.until("the third check", Duration.ofSeconds(10), () -> checks.incrementAndGet() == 3);

    assertThat(checks).hasValue(3);
  }

  @Test
  void aConditionThatNeverHolds_failsNamingWhatWasAwaitedAndTheLimit() {
    AssertionError timedOut = thrown(AssertionError.class, () -> Await.until("the moon to turn blue", SHORT, () -> false));

    assertThat(timedOut).hasMessageContaining("waiting for the moon to turn blue").hasMessageContaining("limit PT0.1S");
  }

  @Test
  void onTimeout_theLastObservedValueIsInTheMessage() {
    AtomicInteger count = new AtomicInteger();

    AssertionError timedOut =
        thrown(AssertionError.class, () -> Await.until("a count of a million", SHORT, count::incrementAndGet, n -> n >= 1_000_000));

    assertThat(timedOut).hasMessageContaining("last observed: " + count.get());
  }

  @Test
  void anExceptionMeansNotYet_andTheLastOneIsTheCauseOnTimeout() {
    AtomicInteger calls = new AtomicInteger();

    int value =
        Await.until(
            "the service to answer",
            Duration.ofSeconds(10),
            () -> {
              if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("still starting");
              }
              return 42;
            },
            n -> n == 42);
    AssertionError timedOut =
        thrown(AssertionError.class, () -> Await.until("a refusal to end", SHORT, () -> { throw new IllegalStateException("refused"); }));

    assertThat(value).isEqualTo(42);
    assertThat(timedOut).hasMessageContaining("last observed: java.lang.IllegalStateException: refused").hasCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void anAssertionFailingInsideTheCondition_endsTheWaitAtOnce() {
    AtomicInteger checks = new AtomicInteger();

    AssertionError failed =
        thrown(
            AssertionError.class,
            () ->
                Await.until(
                    "a process that died",
                    Duration.ofSeconds(10),
                    () -> {
                      checks.incrementAndGet();
                      throw new AssertionError("the process exited with 1");
                    }));

    assertThat(failed).hasMessage("the process exited with 1");
    assertThat(checks).hasValue(1);
  }

  @Test
  void value_returnsWhatTheProbeFound_orFailsWhenItNeverDoes() {
    AtomicInteger checks = new AtomicInteger();

    String found = Await.value("a row", Duration.ofSeconds(10), () -> checks.incrementAndGet() < 2 ? Optional.empty() : Optional.of("row"));
    AssertionError timedOut = thrown(AssertionError.class, () -> Await.value("a row that never comes", SHORT, Optional::empty));

    assertThat(found).isEqualTo("row");
    assertThat(timedOut).hasMessageContaining("waiting for a row that never comes; last observed: Optional.empty");
  }

  @Test
  void anInterruptedWait_failsAndKeepsTheInterrupt() {
    Thread.currentThread().interrupt();
    try {
      AssertionError interrupted = thrown(AssertionError.class, () -> Await.until("nothing", Duration.ofSeconds(10), () -> false));

      assertThat(interrupted).hasMessage("interrupted while waiting for nothing").hasCauseInstanceOf(InterruptedException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
