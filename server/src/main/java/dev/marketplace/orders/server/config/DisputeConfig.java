package dev.marketplace.orders.server.config;

import dev.marketplace.orders.domain.dispute.DisputeSettings;
import dev.marketplace.orders.server.config.ServerConfig.Setting;
import java.time.Duration;
import java.util.List;

/**
 * The durations of disputes, read into the domain's {@link DisputeSettings}; the defaults are the
 * marketplace's buyer-protection promises, the same as {@link DisputeSettings#defaults()}.
 */
public final class DisputeConfig {

  // Buyer protection: a buyer may dispute a delivered order for 15 days.
  static final Setting WINDOW = new Setting("ORDERS_DISPUTE_WINDOW", "P15D", "time after delivery during which the buyer may open a dispute (ISO-8601)");
  // The parties get 3 days to talk before either may call in support.
  static final Setting ESCALATION_DELAY = new Setting("ORDERS_DISPUTE_ESCALATION_DELAY", "P3D", "time after opening before either party may escalate a dispute to support (ISO-8601)");
  // Not agreed within 15 days: support decides.
  static final Setting RESPONSE_WINDOW = new Setting("ORDERS_DISPUTE_RESPONSE_WINDOW", "P15D", "time after opening for the parties to agree before a dispute escalates by itself (ISO-8601)");

  static final List<Setting> SETTINGS = List.of(WINDOW, ESCALATION_DELAY, RESPONSE_WINDOW);

  private DisputeConfig() {}

  static DisputeSettings read(SettingsReader settings) {
    int problemsBefore = settings.problemCount();
    Duration window = settings.positiveDuration(WINDOW);
    Duration delay = settings.duration(ESCALATION_DELAY);
    Duration response = settings.positiveDuration(RESPONSE_WINDOW);
    if (settings.problemCount() == problemsBefore && delay.compareTo(response) > 0) {
      settings.problem(ESCALATION_DELAY.env() + " must not be longer than " + RESPONSE_WINDOW.env() + ", was " + delay);
    }
    if (settings.problemCount() > problemsBefore) {
      return DisputeSettings.defaults();
    }
    return new DisputeSettings(window, delay, response);
  }
}
