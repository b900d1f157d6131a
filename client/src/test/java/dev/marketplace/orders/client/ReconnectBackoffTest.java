package dev.marketplace.orders.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {

  private static final Duration INITIAL = Duration.ofMillis(200);
  private static final Duration MAX = Duration.ofSeconds(10);

  @Test
  void eachFailureInARow_doublesTheStep_upToTheCap() {
    ReconnectBackoff longest = new ReconnectBackoff(INITIAL, MAX, () -> 1.0);

    assertThat(longest.delay(1)).isEqualTo(Duration.ofMillis(200));
    assertThat(longest.delay(2)).isEqualTo(Duration.ofMillis(400));
    assertThat(longest.delay(3)).isEqualTo(Duration.ofMillis(800));
    assertThat(longest.delay(7)).isEqualTo(Duration.ofMillis(10_000));
    assertThat(longest.delay(1_000)).isEqualTo(MAX);
  }

  @Test
  void jitter_takesUpToHalfOfTheStep() {
    ReconnectBackoff shortest = new ReconnectBackoff(INITIAL, MAX, () -> 0.0);

    assertThat(shortest.delay(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(shortest.delay(3)).isEqualTo(Duration.ofMillis(400));
    assertThat(shortest.delay(1_000)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void theServersRetryDelay_isAFloor_withUpToAFifthAdded() {
    assertThat(new ReconnectBackoff(INITIAL, MAX, () -> 0.0).delay(1, Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
    assertThat(new ReconnectBackoff(INITIAL, MAX, () -> 1.0).delay(1, Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(1_200));
    assertThat(new ReconnectBackoff(INITIAL, MAX, () -> 1.0).delay(10, Duration.ofSeconds(1))).isEqualTo(MAX);
  }

  @Test
  void aMaxBelowTheInitialStep_isRefused() {
    assertThatThrownBy(() -> new ReconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), () -> 0.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OrdersClient.builder().watchReconnectBackoff(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
