package dev.marketplace.orders.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackgroundJobSettingsTest {

  @Test
  void defaults_healthEvery2Seconds_sweepEvery10_idempotencyKeptAWeek_cleanedEvery10Minutes() {
    assertThat(Concerns.defaults(BackgroundJobSettings::read))
        .isEqualTo(
            new BackgroundJobSettings(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofDays(7), Duration.ofMinutes(10)));
  }

  @Test
  void everySettingMaps() {
    assertThat(
            Concerns.read(
                BackgroundJobSettings::read,
                Map.of(
                    "ORDERS_HEALTH_CHECK_INTERVAL", "PT1S",
                    "ORDERS_SWEEP_INTERVAL", "PT3S",
                    "ORDERS_IDEMPOTENCY_RETENTION", "PT36H",
                    "ORDERS_IDEMPOTENCY_CLEANUP_INTERVAL", "PT1M")))
        .isEqualTo(
            new BackgroundJobSettings(Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofHours(36), Duration.ofMinutes(1)));
  }

  @Test
  void idempotencyRetentionUnder24Hours_isRefused_withTheReason() {
    assertThatThrownBy(() -> Concerns.read(BackgroundJobSettings::read, Map.of("ORDERS_IDEMPOTENCY_RETENTION", "PT23H")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ORDERS_IDEMPOTENCY_RETENTION must be at least PT24H")
        .hasMessageContaining("runs as a new request")
        .hasMessageContaining("was PT23H");
    assertThat(Concerns.read(BackgroundJobSettings::read, Map.of("ORDERS_IDEMPOTENCY_RETENTION", "PT24H")).idempotencyRetention())
        .isEqualTo(Duration.ofHours(24));
  }

  @Test
  void intervalsOfZero_areRefused() {
    assertThatThrownBy(
            () ->
                Concerns.read(
                    BackgroundJobSettings::read, Map.of("ORDERS_SWEEP_INTERVAL", "PT0S", "ORDERS_IDEMPOTENCY_CLEANUP_INTERVAL", "PT0S")))
        .hasMessageContaining("ORDERS_SWEEP_INTERVAL must be longer than zero")
        .hasMessageContaining("ORDERS_IDEMPOTENCY_CLEANUP_INTERVAL must be longer than zero");
  }
}
