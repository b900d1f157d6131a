package dev.marketplace.orders.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitSettingsTest {

  @Test
  void defaults_oneMebibyteRequests_16KibibyteHeaders_256WaitingCalls() {
    assertThat(Concerns.defaults(LimitSettings::read)).isEqualTo(new LimitSettings(1024 * 1024, 16 * 1024, 256));
  }

  @Test
  void everySettingMaps() {
    assertThat(
            Concerns.read(
                LimitSettings::read,
                Map.of(
                    "ORDERS_MAX_INBOUND_MESSAGE_SIZE", "2048",
                    "ORDERS_MAX_INBOUND_METADATA_SIZE", "4096",
                    "ORDERS_HANDLER_QUEUE_CAPACITY", "9")))
        .isEqualTo(new LimitSettings(2048, 4096, 9));
  }

  @Test
  void limitsBelowAKibibyte_areRefused() {
    assertThatThrownBy(() -> Concerns.read(LimitSettings::read, Map.of("ORDERS_MAX_INBOUND_MESSAGE_SIZE", "100")))
        .hasMessageContaining("ORDERS_MAX_INBOUND_MESSAGE_SIZE must be between 1024 and");
  }
}
