package dev.marketplace.orders.domain.conversation;

import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.Optional;

/**
 * BCP 47 language tags as this service accepts them: well-formed by {@link Locale.Builder} (which,
 * unlike {@link Locale#forLanguageTag}, refuses what is not a tag instead of quietly dropping it), at
 * most 35 characters, with a language subtag. Stored in the canonical case ({@code pt-BR}, {@code
 * zh-Hant}).
 */
public final class LanguageTags {

  public static final int MAX_LENGTH = 35;

  private LanguageTags() {}

  /** Why {@code tag} is not acceptable, or empty when it is. */
  public static Optional<String> problem(String tag) {
    if (tag.length() > MAX_LENGTH) {
      return Optional.of("at most " + MAX_LENGTH + " characters");
    }
    try {
      Locale locale = new Locale.Builder().setLanguageTag(tag).build();
      if (locale.getLanguage().isEmpty()) {
        return Optional.of("must start with a language, e.g. en, pt-BR, zh-Hant");
      }
      return Optional.empty();
    } catch (IllformedLocaleException e) {
      return Optional.of("not a well-formed BCP 47 language tag, e.g. en, pt-BR, zh-Hant");
    }
  }

  /** The canonical form of a tag {@link #problem} accepted. */
  public static String canonical(String tag) {
    return new Locale.Builder().setLanguageTag(tag).build().toLanguageTag();
  }

  /** Whether two tags are the same language (the primary subtag: {@code de} and {@code de-AT} are). */
  public static boolean sameLanguage(String a, String b) {
    return primary(a).equals(primary(b));
  }

  /** The primary language subtag, lower case: what a translator is asked to translate from or to. */
  public static String primary(String tag) {
    int dash = tag.indexOf('-');
    return (dash < 0 ? tag : tag.substring(0, dash)).toLowerCase(Locale.ROOT);
  }
}
