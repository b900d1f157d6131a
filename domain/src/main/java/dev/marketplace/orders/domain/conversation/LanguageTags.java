package dev.marketplace.orders.domain.conversation;

import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * BCP 47 language tags as this service accepts them: well-formed by {@link Locale.Builder} (which,
 * unlike {@link Locale#forLanguageTag}, refuses what is not a tag instead of quietly dropping it), at
 * most 35 characters, and starting with a real language: an ISO 639-1 code the JDK knows ({@code
 * en}) or a three-letter ISO 639-2/3 code ({@code fil}, {@code yue}). The five- to eight-letter
 * language subtags the grammar allows are registered for nothing, so {@code english} is refused.
 * Stored in the canonical case ({@code pt-BR}, {@code zh-Hant}).
 */
public final class LanguageTags {

  public static final int MAX_LENGTH = 35;
  private static final Set<String> TWO_LETTER = Set.of(Locale.getISOLanguages());

  private LanguageTags() {}

  /** Why {@code tag} is not acceptable, or empty when it is. */
  public static Optional<String> problem(String tag) {
    if (tag.length() > MAX_LENGTH) {
      return Optional.of("at most " + MAX_LENGTH + " characters");
    }
    try {
      Locale locale = new Locale.Builder().setLanguageTag(tag).build();
      String language = locale.getLanguage();
      boolean known = language.length() == 2 ? TWO_LETTER.contains(language) : language.length() == 3;
      if (!known) {
        return Optional.of("must start with an ISO 639 language code, e.g. en, pt-BR, zh-Hant");
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
