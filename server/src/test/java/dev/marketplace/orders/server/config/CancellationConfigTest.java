package dev.marketplace.orders.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketplace.orders.domain.cancellation.CancellationSettings;
import dev.marketplace.orders.domain.payment.PaymentMethod;
import dev.marketplace.orders.domain.refund.RefundWindow;
import dev.marketplace.orders.domain.refund.RefundWindowPolicy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CancellationConfigTest {

  @Test
  void defaults_theMarketplacePromises_theDomainsDefaultsToo() {
    CancellationSettings settings = Concerns.defaults(CancellationConfig::read);

    assertThat(settings.sellerResponseWindow()).isEqualTo(Duration.ofHours(72));
    assertThat(settings.maxRequestsPerOrder()).isEqualTo(2);
    assertThat(settings.paymentVerificationRetryDelay()).isEqualTo(Duration.ofMinutes(15));
    assertThat(settings.refundWindows().windowFor(PaymentMethod.CARD)).isEqualTo(new RefundWindow(3, 20));
    assertThat(settings.modificationResponseWindow()).isEqualTo(Duration.ofHours(72));
    assertThat(settings).isEqualTo(CancellationSettings.defaults());
  }

  @Test
  void everySettingMaps() {
    assertThat(
            Concerns.read(
                CancellationConfig::read,
                Map.of(
                    "ORDERS_SELLER_RESPONSE_WINDOW", "PT1M",
                    "ORDERS_MAX_CANCELLATION_REQUESTS", "5",
                    "ORDERS_PAYMENT_RETRY_DELAY", "PT2M",
                    "ORDERS_REFUND_WINDOWS", "CARD=3-7,*=2-10",
                    "ORDERS_MODIFICATION_RESPONSE_WINDOW", "PT24H")))
        .isEqualTo(
            new CancellationSettings(
                Duration.ofMinutes(1),
                5,
                Duration.ofMinutes(2),
                new RefundWindowPolicy(new RefundWindow(2, 10), Map.of(PaymentMethod.CARD, new RefundWindow(3, 7))),
                Duration.ofHours(24)));
  }

  @Test
  void invalidRules_areAllReported() {
    assertThatThrownBy(
            () ->
                Concerns.read(
                    CancellationConfig::read,
                    Map.of(
                        "ORDERS_SELLER_RESPONSE_WINDOW", "PT0S",
                        "ORDERS_MAX_CANCELLATION_REQUESTS", "0",
                        "ORDERS_REFUND_WINDOWS", "CARD=7-3",
                        "ORDERS_MODIFICATION_RESPONSE_WINDOW", "PT0S")))
        .hasMessageContaining("ORDERS_SELLER_RESPONSE_WINDOW must be longer than zero")
        .hasMessageContaining("ORDERS_MODIFICATION_RESPONSE_WINDOW must be longer than zero")
        .hasMessageContaining("ORDERS_MAX_CANCELLATION_REQUESTS must be between 1 and 100")
        .hasMessageContaining("ORDERS_REFUND_WINDOWS");
  }
}
