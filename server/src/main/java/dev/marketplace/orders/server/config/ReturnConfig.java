package dev.marketplace.orders.server.config;

import dev.marketplace.orders.domain.returns.ReturnSettings;
import dev.marketplace.orders.server.config.ServerConfig.Setting;
import java.time.Duration;
import java.util.List;

/**
 * The durations of returns, read into the domain's {@link ReturnSettings}; the defaults are the
 * marketplace's return promises, the same as {@link ReturnSettings#defaults()}.
 */
public final class ReturnConfig {

  // The buyer may ask to return units for 15 days after delivery, like the buyer-protection window.
  static final Setting WINDOW = new Setting("ORDERS_RETURN_WINDOW", "P15D", "time after delivery during which the buyer may ask to return units (ISO-8601)");
  // The seller answers a return request within 3 days, or it is approved (as a cancellation request in 72 hours).
  static final Setting RESPONSE_WINDOW = new Setting("ORDERS_RETURN_RESPONSE_WINDOW", "P3D", "time the seller has to approve or reject a return before it is approved by itself (ISO-8601)");
  // International return parcels take up to two weeks; the seller then confirms receipt or the return is accepted.
  static final Setting RECEIPT_WINDOW = new Setting("ORDERS_RETURN_RECEIPT_WINDOW", "P15D", "time after the buyer shipped a return for the seller to confirm receipt before it is accepted and refunded by itself (ISO-8601)");

  static final List<Setting> SETTINGS = List.of(WINDOW, RESPONSE_WINDOW, RECEIPT_WINDOW);

  private ReturnConfig() {}

  static ReturnSettings read(SettingsReader settings) {
    int problemsBefore = settings.problemCount();
    Duration window = settings.positiveDuration(WINDOW);
    Duration response = settings.positiveDuration(RESPONSE_WINDOW);
    Duration receipt = settings.positiveDuration(RECEIPT_WINDOW);
    if (settings.problemCount() > problemsBefore) {
      return ReturnSettings.defaults();
    }
    return new ReturnSettings(window, response, receipt);
  }
}
