package dev.marketplace.orders.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketplace.orders.domain.dispute.DisputeSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DisputeConfigTest {

  @Test
  void defaults_fifteenDaysOfProtection_threeDaysBeforeEscalation_fifteenToAgree() {
    DisputeSettings settings = Concerns.defaults(DisputeConfig::read);

    assertThat(settings)
        .isEqualTo(new DisputeSettings(Duration.ofDays(15), Duration.ofDays(3), Duration.ofDays(15)))
        .isEqualTo(DisputeSettings.defaults());
  }

  @Test
  void everySettingMaps() {
    assertThat(
            Concerns.read(
                DisputeConfig::read,
                Map.of(
                    "ORDERS_DISPUTE_WINDOW", "P30D",
                    "ORDERS_DISPUTE_ESCALATION_DELAY", "PT0S",
                    "ORDERS_DISPUTE_RESPONSE_WINDOW", "PT48H")))
        .isEqualTo(new DisputeSettings(Duration.ofDays(30), Duration.ZERO, Duration.ofHours(48)));
  }

  @Test
  void invalidSettings_areAllReported() {
    assertThatThrownBy(
            () ->
                Concerns.read(
                    DisputeConfig::read,
                    Map.of(
                        "ORDERS_DISPUTE_WINDOW", "PT0S",
                        "ORDERS_DISPUTE_ESCALATION_DELAY", "soon",
                        "ORDERS_DISPUTE_RESPONSE_WINDOW", "-P1D")))
        .hasMessageContaining("ORDERS_DISPUTE_WINDOW must be longer than zero")
        .hasMessageContaining("ORDERS_DISPUTE_ESCALATION_DELAY must be an ISO-8601 duration")
        .hasMessageContaining("ORDERS_DISPUTE_RESPONSE_WINDOW must not be negative");
  }

  @Test
  void anEscalationDelayLongerThanTheResponseWindow_isRefused() {
    assertThatThrownBy(
            () ->
                Concerns.read(
                    DisputeConfig::read,
                    Map.of("ORDERS_DISPUTE_ESCALATION_DELAY", "P20D", "ORDERS_DISPUTE_RESPONSE_WINDOW", "P10D")))
        .hasMessageContaining("ORDERS_DISPUTE_ESCALATION_DELAY must not be longer than ORDERS_DISPUTE_RESPONSE_WINDOW");
  }
}
