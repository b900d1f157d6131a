package dev.marketplace.orders.server.translation;

import dev.marketplace.orders.domain.conversation.LanguageDetector;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import opennlp.tools.langdetect.Language;
import opennlp.tools.langdetect.LanguageDetectorME;
import opennlp.tools.langdetect.LanguageDetectorModel;

/**
 * Offline language detection with Apache OpenNLP's maxent detector and its 103-language model
 * ({@code opennlp-models-langdetect}, ISO 639-3 codes, mapped to the shortest BCP 47 tag). An answer
 * counts only for a text of at least {@value #MIN_CODE_POINTS} characters whose best language is
 * both likely (at least {@value #MIN_CONFIDENCE}) and well ahead of the runner-up; otherwise the language stays
 * unknown rather than guessed.
 */
public final class OpenNlpLanguageDetector implements LanguageDetector {

  static final int MIN_CODE_POINTS = 20;
  // The model spreads its probability over 103 languages: a clear sentence's best language scores
  // 0.05 to 0.11 and leads the runner-up 1.7 to 4 times; ambiguous or very short texts score about
  // 0.01 with a lead near 1. Measured on the texts in OpenNlpLanguageDetectorTest.
  static final double MIN_CONFIDENCE = 0.03;
  static final double MIN_LEAD = 1.6;
  private static final String MODEL = "/langdetect-183.bin";

  /** ISO 639-3 (the model's) to ISO 639-1 where there is one, as BCP 47 prefers. */
  private static final Map<String, String> TWO_LETTER = twoLetterCodes();

  private final LanguageDetectorModel model;

  private OpenNlpLanguageDetector(LanguageDetectorModel model) {
    this.model = model;
  }

  /** The detector of this process: the model is loaded once, on first use (it is 10 MB). */
  public static OpenNlpLanguageDetector shared() {
    return Shared.INSTANCE;
  }

  private static final class Shared {
    static final OpenNlpLanguageDetector INSTANCE = load();
  }

  /** Loads the model from the classpath. */
  static OpenNlpLanguageDetector load() {
    try (InputStream in = OpenNlpLanguageDetector.class.getResourceAsStream(MODEL)) {
      if (in == null) {
        throw new IllegalStateException("language detection model " + MODEL + " not on the classpath");
      }
      return new OpenNlpLanguageDetector(new LanguageDetectorModel(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the language detection model", e);
    }
  }

  @Override
  public Optional<String> detect(String text) {
    if (text.codePointCount(0, text.length()) < MIN_CODE_POINTS) {
      return Optional.empty();
    }
    try {
      // The detector keeps per-call state; the model is shared and read-only.
      Language[] ranked = new LanguageDetectorME(model).predictLanguages(text);
      if (ranked.length == 0) {
        return Optional.empty();
      }
      Language best = ranked[0];
      double runnerUp = ranked.length > 1 ? ranked[1].getConfidence() : 0;
      if (best.getConfidence() < MIN_CONFIDENCE || best.getConfidence() < MIN_LEAD * runnerUp) {
        return Optional.empty();
      }
      return Optional.of(toTag(best.getLang()));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  static String toTag(String iso3) {
    return switch (iso3) {
      // The model's macro-language members, by their macro language's tag.
      case "cmn" -> "zh";
      case "pes" -> "fa";
      case "zlm" -> "ms";
      case "ekk" -> "et";
      case "lvs" -> "lv";
      case "nob" -> "nb";
      default -> TWO_LETTER.getOrDefault(iso3, iso3);
    };
  }

  private static Map<String, String> twoLetterCodes() {
    Map<String, String> codes = new HashMap<>();
    for (String two : Locale.getISOLanguages()) {
      try {
        codes.putIfAbsent(Locale.forLanguageTag(two).getISO3Language(), two);
      } catch (java.util.MissingResourceException e) {
        // no three-letter code known to this JDK
      }
    }
    return Map.copyOf(codes);
  }
}
