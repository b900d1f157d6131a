package dev.marketplace.orders.domain.conversation;

import java.util.Optional;

/**
 * Tells a text's language offline, or declines: only an answer above the detector's confidence
 * threshold counts, and short texts may stay unknown. Must be fast and never throw.
 */
@FunctionalInterface
public interface LanguageDetector {

  /** A BCP 47 tag, or empty when unsure. */
  Optional<String> detect(String text);

  LanguageDetector NONE = text -> Optional.empty();
}
