package dev.marketplace.orders.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListenerSettingsTest {

  @Test
  void defaults_theStandardPortOnEveryInterface_20SecondsToDrain() {
    assertThat(Concerns.defaults(ListenerSettings::read)).isEqualTo(new ListenerSettings(50051, "0.0.0.0", Duration.ofSeconds(20)));
  }

  @Test
  void everySettingMaps() {
    assertThat(
            Concerns.read(
                ListenerSettings::read,
                Map.of("ORDERS_PORT", "6000", "ORDERS_BIND_ADDRESS", "127.0.0.1", "ORDERS_SHUTDOWN_GRACE", "PT5S")))
        .isEqualTo(new ListenerSettings(6000, "127.0.0.1", Duration.ofSeconds(5)));
  }

  @Test
  void aPortOutOfRange_isRefused() {
    assertThatThrownBy(() -> Concerns.read(ListenerSettings::read, Map.of("ORDERS_PORT", "70000")))
        .hasMessageContaining("ORDERS_PORT must be between 0 and 65535, was 70000");
  }
}
