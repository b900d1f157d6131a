package dev.marketplace.orders.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketplace.orders.domain.returns.ReturnSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReturnConfigTest {

  @Test
  void defaults_fifteenDaysToAsk_threeDaysToAnswer_fifteenDaysToConfirmReceipt() {
    ReturnSettings settings = Concerns.defaults(ReturnConfig::read);

    assertThat(settings)
        .isEqualTo(new ReturnSettings(Duration.ofDays(15), Duration.ofDays(3), Duration.ofDays(15)))
        .isEqualTo(ReturnSettings.defaults());
  }

  @Test
  void everySettingMaps() {
    assertThat(
            Concerns.read(
                ReturnConfig::read,
                Map.of(
                    "ORDERS_RETURN_WINDOW", "P30D",
                    "ORDERS_RETURN_RESPONSE_WINDOW", "PT48H",
                    "ORDERS_RETURN_RECEIPT_WINDOW", "P7D")))
        .isEqualTo(new ReturnSettings(Duration.ofDays(30), Duration.ofHours(48), Duration.ofDays(7)));
  }

  @Test
  void invalidSettings_areAllReported() {
    assertThatThrownBy(
            () ->
                Concerns.read(
                    ReturnConfig::read,
                    Map.of(
                        "ORDERS_RETURN_WINDOW", "PT0S",
                        "ORDERS_RETURN_RESPONSE_WINDOW", "soon",
                        "ORDERS_RETURN_RECEIPT_WINDOW", "-P1D")))
        .hasMessageContaining("ORDERS_RETURN_WINDOW must be longer than zero")
        .hasMessageContaining("ORDERS_RETURN_RESPONSE_WINDOW must be an ISO-8601 duration")
        .hasMessageContaining("ORDERS_RETURN_RECEIPT_WINDOW must not be negative");
  }
}
