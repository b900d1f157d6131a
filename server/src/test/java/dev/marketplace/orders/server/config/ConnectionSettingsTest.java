package dev.marketplace.orders.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionSettingsTest {

  @Test
  void defaults_pingsBelowLoadBalancerTimeouts_connectionsRebalancedWithinHalfAnHour() {
    assertThat(Concerns.defaults(ConnectionSettings::read))
        .isEqualTo(
            new ConnectionSettings(
                Duration.ofMinutes(2),
                Duration.ofSeconds(20),
                Duration.ofSeconds(20),
                Duration.ofMinutes(15),
                Duration.ofMinutes(30),
                Duration.ofSeconds(30)));
  }

  @Test
  void everySettingMaps() {
    assertThat(
            Concerns.read(
                ConnectionSettings::read,
                Map.of(
                    "ORDERS_KEEPALIVE_TIME", "PT1M",
                    "ORDERS_KEEPALIVE_TIMEOUT", "PT10S",
                    "ORDERS_PERMIT_KEEPALIVE_TIME", "PT15S",
                    "ORDERS_MAX_CONNECTION_IDLE", "PT5M",
                    "ORDERS_MAX_CONNECTION_AGE", "PT20M",
                    "ORDERS_MAX_CONNECTION_AGE_GRACE", "PT45S")))
        .isEqualTo(
            new ConnectionSettings(
                Duration.ofMinutes(1),
                Duration.ofSeconds(10),
                Duration.ofSeconds(15),
                Duration.ofMinutes(5),
                Duration.ofMinutes(20),
                Duration.ofSeconds(45)));
  }

  @Test
  void invalidLifetimes_areAllReported() {
    assertThatThrownBy(
            () ->
                Concerns.read(
                    ConnectionSettings::read,
                    Map.of(
                        "ORDERS_KEEPALIVE_TIME", "PT0S",
                        "ORDERS_KEEPALIVE_TIMEOUT", "20s",
                        "ORDERS_PERMIT_KEEPALIVE_TIME", "-PT1S",
                        "ORDERS_MAX_CONNECTION_IDLE", "PT0S",
                        "ORDERS_MAX_CONNECTION_AGE", "forever",
                        "ORDERS_MAX_CONNECTION_AGE_GRACE", "-PT5S")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ORDERS_KEEPALIVE_TIME must be longer than zero")
        .hasMessageContaining("ORDERS_KEEPALIVE_TIMEOUT must be an ISO-8601 duration")
        .hasMessageContaining("ORDERS_PERMIT_KEEPALIVE_TIME must not be negative")
        .hasMessageContaining("ORDERS_MAX_CONNECTION_IDLE must be longer than zero")
        .hasMessageContaining("ORDERS_MAX_CONNECTION_AGE must be an ISO-8601 duration")
        .hasMessageContaining("ORDERS_MAX_CONNECTION_AGE_GRACE must not be negative");
  }
}
