package dev.marketplace.orders.server.translation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenNlpLanguageDetectorTest {

  private final OpenNlpLanguageDetector detector = OpenNlpLanguageDetector.shared();

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Guten Tag, ich möchte die Lieferadresse ändern, weil ich nächste Woche umziehe. | de",
        "Can you ship it in blue instead? I would really like the blue one. | en",
        "Bonjour, pouvez-vous l'envoyer en bleu plutôt qu'en rouge ? Merci beaucoup. | fr",
        "Olá, chegou quebrado, o que faço agora com a encomenda? | pt",
      })
  void aClearSentence_isTaggedWithItsTwoLetterLanguage(String text, String tag) {
    assertThat(detector.detect(text)).contains(tag);
  }

  @Test
  void shortOrAmbiguousTexts_stayUnknown() {
    assertThat(detector.detect("ok thx")).isEmpty();
    assertThat(detector.detect("Is this the 2024 model?")).isEmpty();
    assertThat(detector.detect("SKU-42 / SKU-43 / 2x")).isEmpty();
  }

  @Test
  void threeLetterCodes_becomeTheShortestTag() {
    assertThat(OpenNlpLanguageDetector.toTag("deu")).isEqualTo("de");
    assertThat(OpenNlpLanguageDetector.toTag("cmn")).isEqualTo("zh");
    assertThat(Optional.of(OpenNlpLanguageDetector.toTag("ast"))).contains("ast");
  }
}
