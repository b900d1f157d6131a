package dev.marketplace.orders.server.translation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.conversation.Translator;
import dev.marketplace.orders.server.testing.FakeLibreTranslate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LibreTranslateTranslatorTest {

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private FakeLibreTranslate fake;
  private LibreTranslateTranslator translator;

  @BeforeEach
  void start() throws Exception {
    fake = new FakeLibreTranslate();
    // The budget is spent in real time; the back-off is read from this controllable clock.
    translator = new LibreTranslateTranslator(fake.url(), Optional.of("secret-key"), Duration.ofMillis(500), this::now);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private long now() {
    return nanos.get();
  }

  @Test
  void aPageIsTranslatedInParallel_withTheKey_andTheSourceOrAuto() {
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();

    Map<UUID, String> translated =
        translator.translate(List.of(new Translator.Text(a, "Hello", "en"), new Translator.Text(b, "Hola", null)), "de");

    assertThat(translated).containsEntry(a, "[de] Hello").containsEntry(b, "[de] Hola");
    assertThat(fake.lastApiKey()).isEqualTo("secret-key");
  }

  @Test
  void aLargePage_sendsAtMostTwentyTexts_theRestWaitForALaterRead() {
    List<Translator.Text> texts = new java.util.ArrayList<>();
    for (int i = 0; i < 25; i++) {
      texts.add(new Translator.Text(UUID.randomUUID(), "Hello " + i, "en"));
    }

    Map<UUID, String> translated = translator.translate(texts, "de");

    assertThat(translated).hasSize(LibreTranslateTranslator.MAX_TEXTS_PER_CALL);
    assertThat(fake.requests()).isEqualTo(LibreTranslateTranslator.MAX_TEXTS_PER_CALL);
  }

  @Test
  void afterAFailure_theTranslatorIsLeftAloneForABackOff_thatDoublesAndResetsOnSuccess() {
    List<Translator.Text> one = List.of(new Translator.Text(UUID.randomUUID(), "Hello", "en"));
    fake.mode(FakeLibreTranslate.Mode.FAILING);

    assertThat(translator.translate(one, "de")).isEmpty();
    int afterFirstFailure = fake.requests();
    assertThat(translator.translate(one, "de")).as("backing off").isEmpty();
    assertThat(fake.requests()).isEqualTo(afterFirstFailure);

    nanos.addAndGet(LibreTranslateTranslator.FIRST_BACK_OFF.toNanos());
    assertThat(translator.translate(one, "de")).as("tried again, failed again").isEmpty();
    assertThat(fake.requests()).isEqualTo(afterFirstFailure + 1);
    nanos.addAndGet(LibreTranslateTranslator.FIRST_BACK_OFF.toNanos());
    translator.translate(one, "de");
    assertThat(fake.requests()).as("the second back-off is twice as long").isEqualTo(afterFirstFailure + 1);

    fake.mode(FakeLibreTranslate.Mode.UP);
    nanos.addAndGet(LibreTranslateTranslator.FIRST_BACK_OFF.toNanos());
    assertThat(translator.translate(one, "de")).hasSize(1);
    assertThat(translator.translate(one, "fr")).as("no back-off after a success").hasSize(1);
  }

  @Test
  void aSlowTranslator_costsTheBudgetAndNoMore() {
    fake.mode(FakeLibreTranslate.Mode.SLOW);
    fake.slowness(Duration.ofSeconds(5));

    long started = System.nanoTime();
    Map<UUID, String> translated = translator.translate(List.of(new Translator.Text(UUID.randomUUID(), "Hello", "en")), "de");

    assertThat(translated).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
  }
}
