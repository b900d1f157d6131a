package dev.marketplace.orders.server.config;

import dev.marketplace.orders.domain.conversation.ConversationSettings;
import dev.marketplace.orders.server.config.ServerConfig.Setting;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Conversations ("contact the seller"): the abuse limit, language detection, and the optional
 * translator (a LibreTranslate-compatible HTTP endpoint).
 *
 * @param rules the domain's rules (messages per sender, order and hour)
 * @param languageDetection whether messages sent without a language get one detected offline
 * @param translatorUrl the translator's base URL; empty: no translation
 * @param translatorApiKey the translator's API key, when it wants one
 * @param translatorBudget the longest a read may wait for translations, all of them together
 */
public record ConversationConfig(
    ConversationSettings rules,
    boolean languageDetection,
    Optional<URI> translatorUrl,
    Optional<String> translatorApiKey,
    Duration translatorBudget) {

  // 30 messages an hour per sender and order: above any real negotiation, below a spammer's pace.
  static final Setting MESSAGE_RATE = new Setting("ORDERS_MESSAGE_RATE", "30", "messages one sender may post to one order's conversation per hour");
  // On: tagging messages with their language lets apps offer a translation; detection is offline and cheap.
  static final Setting LANGUAGE_DETECTION = new Setting("ORDERS_LANGUAGE_DETECTION", "true", "detect the language of messages sent without one (offline, OpenNLP)");
  // None by default: translation needs an outside service; readers then get originals with their language.
  static final Setting TRANSLATOR_URL = new Setting("ORDERS_TRANSLATOR_URL", "", "base URL of a LibreTranslate-compatible translator (POST /translate); empty: no translation");
  // Only some translator deployments want a key.
  static final Setting TRANSLATOR_API_KEY = new Setting("ORDERS_TRANSLATOR_API_KEY", "", "API key sent to the translator; empty: none");
  // A read waits at most this for translations (all of a page's, in parallel), then answers with what it has.
  static final Setting TRANSLATOR_BUDGET = new Setting("ORDERS_TRANSLATOR_BUDGET", "PT1.5S", "longest a read waits for translations before answering with the originals");

  static final List<Setting> SETTINGS = List.of(MESSAGE_RATE, LANGUAGE_DETECTION, TRANSLATOR_URL, TRANSLATOR_API_KEY, TRANSLATOR_BUDGET);

  public static ConversationConfig defaults() {
    return new ConversationConfig(ConversationSettings.defaults(), true, Optional.empty(), Optional.empty(), Duration.ofMillis(1500));
  }

  static ConversationConfig read(SettingsReader settings) {
    int problemsBefore = settings.problemCount();
    int rate = settings.integer(MESSAGE_RATE, 1, 10_000);
    boolean detection = settings.bool(LANGUAGE_DETECTION);
    Optional<URI> url = settings.optional(TRANSLATOR_URL).flatMap(value -> translatorUrl(settings, value));
    Optional<String> key = settings.optional(TRANSLATOR_API_KEY);
    Duration budget = settings.positiveDuration(TRANSLATOR_BUDGET);
    if (budget.compareTo(Duration.ofSeconds(30)) > 0) {
      settings.problem(TRANSLATOR_BUDGET.env() + " must be at most PT30S, was " + budget);
    }
    if (settings.problemCount() > problemsBefore) {
      return defaults();
    }
    return new ConversationConfig(new ConversationSettings(rate), detection, url, key, budget);
  }

  private static Optional<URI> translatorUrl(SettingsReader settings, String value) {
    try {
      URI uri = new URI(value);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        settings.problem(TRANSLATOR_URL.env() + " must be an http or https URL, was '" + value + "'");
        return Optional.empty();
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      settings.problem(TRANSLATOR_URL.env() + " must be an http or https URL, was '" + value + "'");
      return Optional.empty();
    }
  }
}
