package dev.marketplace.orders.domain.conversation;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Machine translation of messages, by an outside service. An implementation bounds its own time (a
 * call never waits longer than its budget) and never throws: what is not translated in time is simply
 * missing from the answer, and the reader gets the original.
 */
public interface Translator {

  /** One text to translate; {@code sourceLanguage} is null when unknown (the translator guesses). */
  record Text(UUID messageId, String text, String sourceLanguage) {}

  /** Translations into {@code targetLanguage} by message id; missing where none could be had in time. */
  Map<UUID, String> translate(List<Text> texts, String targetLanguage);

  /** Whether there is a translator at all; without one, reads never translate and never write. */
  default boolean enabled() {
    return true;
  }

  Translator NONE =
      new Translator() {
        @Override
        public Map<UUID, String> translate(List<Text> texts, String targetLanguage) {
          return Map.of();
        }

        @Override
        public boolean enabled() {
          return false;
        }
      };
}
