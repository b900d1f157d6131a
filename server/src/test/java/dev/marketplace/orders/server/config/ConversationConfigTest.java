package dev.marketplace.orders.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketplace.orders.domain.conversation.ConversationSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConversationConfigTest {

  @Test
  void defaults_thirtyAnHour_detectionOn_noTranslator() {
    ConversationConfig config = Concerns.defaults(ConversationConfig::read);

    assertThat(config.rules()).isEqualTo(new ConversationSettings(30)).isEqualTo(ConversationSettings.defaults());
    assertThat(config.languageDetection()).isTrue();
    assertThat(config.translatorUrl()).isEmpty();
    assertThat(config.translatorApiKey()).isEmpty();
    assertThat(config.translatorBudget()).isEqualTo(Duration.ofMillis(1500));
    assertThat(config).isEqualTo(ConversationConfig.defaults());
  }

  @Test
  void everySettingMaps() {
    assertThat(
            Concerns.read(
                ConversationConfig::read,
                Map.of(
                    "ORDERS_MESSAGE_RATE", "5",
                    "ORDERS_LANGUAGE_DETECTION", "false",
                    "ORDERS_TRANSLATOR_URL", "https://translate.example/api/",
                    "ORDERS_TRANSLATOR_API_KEY", "key-1",
                    "ORDERS_TRANSLATOR_BUDGET", "PT3S")))
        .isEqualTo(
            new ConversationConfig(
                new ConversationSettings(5), false, Optional.of(URI.create("https://translate.example/api/")), Optional.of("key-1"), Duration.ofSeconds(3)));
  }

  @Test
  void invalidSettings_areAllReported() {
    assertThatThrownBy(
            () ->
                Concerns.read(
                    ConversationConfig::read,
                    Map.of(
                        "ORDERS_MESSAGE_RATE", "0",
                        "ORDERS_TRANSLATOR_URL", "ftp://translate.example",
                        "ORDERS_TRANSLATOR_BUDGET", "PT1M")))
        .hasMessageContaining("ORDERS_MESSAGE_RATE must be between 1 and 10000")
        .hasMessageContaining("ORDERS_TRANSLATOR_URL must be an http or https URL")
        .hasMessageContaining("ORDERS_TRANSLATOR_BUDGET must be at most PT30S");
  }
}
