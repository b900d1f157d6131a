package dev.marketplace.orders.domain.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageRulesTest {

  @ParameterizedTest
  @ValueSource(strings = {"en", "EN", "pt-BR", "zh-Hant", "zh-Hant-TW", "fil", "yue", "de-AT", "es-419", "en-US-x-twain"})
  void wellFormedTagsOfRealLanguages_areAccepted(String tag) {
    assertThat(LanguageTags.problem(tag)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"english", "xx", "e", "en_US", "--", "en-", "123", "de-DE-", "en US", "\u00e9n", "i-klingon-x"})
  void garbage_isRefused(String tag) {
    assertThat(LanguageTags.problem(tag)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"pt-br", "PT-BR", "Pt-bR"})
  void tags_areStoredInTheirCanonicalCase(String tag) {
    assertThat(LanguageTags.canonical(tag)).isEqualTo("pt-BR");
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://cdn.example.com/a.jpg", "https://example.com", "HTTPS://example.com/x?y=1#z", "https://[2001:db8::1]/p.png"})
  void httpsUrisWithAHost_areAttachments(String uri) {
    assertThat(AttachmentUris.problem(uri)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://example.com/a.jpg", "https:///a.jpg", "https://user:pw@example.com/a.jpg", "/relative/a.jpg",
      "file:///etc/passwd", "javascript:alert(1)", "https://exa mple.com/", "", "data:image/png;base64,AAAA"})
  void anythingElse_isRefused(String uri) {
    assertThat(AttachmentUris.problem(uri)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(ints = {2049})
  void overlongUris_areRefused(int length) {
    String uri = "https://example.com/" + "a".repeat(length - "https://example.com/".length());
    assertThat(AttachmentUris.problem(uri)).contains("at most 2048 characters");
  }
}
