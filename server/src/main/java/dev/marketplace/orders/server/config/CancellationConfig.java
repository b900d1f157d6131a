package dev.marketplace.orders.server.config;

import dev.marketplace.orders.domain.cancellation.CancellationSettings;
import dev.marketplace.orders.domain.refund.RefundWindowPolicy;
import dev.marketplace.orders.server.config.ServerConfig.Setting;
import java.time.Duration;
import java.util.List;

/**
 * The tunable parts of the cancellation rules (and of modifications, their alternative), read into the
 * domain's {@link CancellationSettings}.
 * The defaults are the marketplace's published promises, the same as {@link CancellationSettings#defaults()}.
 */
public final class CancellationConfig {

  // The marketplace promise: a seller has 72 hours to answer a cancellation request.
  static final Setting SELLER_RESPONSE_WINDOW = new Setting("ORDERS_SELLER_RESPONSE_WINDOW", "PT72H", "time a seller has to answer a cancellation request (ISO-8601)");
  // A buyer may ask once more after a rejection (a rejected request counts).
  static final Setting MAX_REQUESTS = new Setting("ORDERS_MAX_CANCELLATION_REQUESTS", "2", "cancellation requests a buyer may make per order");
  // Card verification usually settles within minutes.
  static final Setting PAYMENT_RETRY_DELAY = new Setting("ORDERS_PAYMENT_RETRY_DELAY", "PT15M", "retry delay suggested to a buyer cancelling while the payment is verified (ISO-8601)");
  // The marketplace publishes 3 to 20 business days for every method.
  static final Setting REFUND_WINDOWS = new Setting("ORDERS_REFUND_WINDOWS", "*=3-20", "expected refund arrival in business days per payment method, e.g. CARD=3-7,WALLET=0-1,*=3-20");

  // The same promise as for cancellations: the other party has 72 hours to answer a proposed change.
  static final Setting MODIFICATION_RESPONSE_WINDOW = new Setting("ORDERS_MODIFICATION_RESPONSE_WINDOW", "PT72H", "time the other party has to answer a proposed modification of an order (ISO-8601)");

  static final List<Setting> SETTINGS =
      List.of(SELLER_RESPONSE_WINDOW, MAX_REQUESTS, PAYMENT_RETRY_DELAY, REFUND_WINDOWS, MODIFICATION_RESPONSE_WINDOW);

  private CancellationConfig() {}

  static CancellationSettings read(SettingsReader settings) {
    int problemsBefore = settings.problemCount();
    Duration window = settings.positiveDuration(SELLER_RESPONSE_WINDOW);
    int maxRequests = settings.integer(MAX_REQUESTS, 1, 100);
    Duration retryDelay = settings.duration(PAYMENT_RETRY_DELAY);
    Duration modificationWindow = settings.positiveDuration(MODIFICATION_RESPONSE_WINDOW);
    RefundWindowPolicy refunds = RefundWindowPolicy.defaults();
    try {
      refunds = RefundWindowPolicy.parse(settings.text(REFUND_WINDOWS));
    } catch (IllegalArgumentException e) {
      settings.problem(REFUND_WINDOWS.env() + ": " + e.getMessage());
    }
    if (settings.problemCount() > problemsBefore) {
      // The reading fails as a whole; the domain's record would refuse some of these values.
      return CancellationSettings.defaults();
    }
    return new CancellationSettings(window, maxRequests, retryDelay, refunds, modificationWindow);
  }
}
