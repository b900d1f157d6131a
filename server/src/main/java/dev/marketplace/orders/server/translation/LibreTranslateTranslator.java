package dev.marketplace.orders.server.translation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marketplace.orders.domain.conversation.Translator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A translator speaking the LibreTranslate API ({@code POST /translate} with JSON {@code {q, source,
 * target, format: "text", api_key}} answering {@code {translatedText}}), over {@link HttpClient}.
 *
 * <p>It never fails a read and never makes one wait long: a page's texts (at most {@value
 * #MAX_TEXTS_PER_CALL}, so that one read cannot flood the translator; the rest wait for a later read)
 * are sent in parallel and the call takes what has come back when its budget is spent, dropping the
 * rest. After a call in
 * which nothing came back and something failed or timed out, the translator is left alone for a
 * back-off (5 s, doubling to 5 min; reset by the next success): during it calls answer at once with
 * nothing, so an outage costs readers nothing but the translation.
 */
public final class LibreTranslateTranslator implements Translator {

  private static final Logger log = LoggerFactory.getLogger(LibreTranslateTranslator.class);
  static final Duration FIRST_BACK_OFF = Duration.ofSeconds(5);
  static final Duration MAX_BACK_OFF = Duration.ofMinutes(5);
  static final int MAX_TEXTS_PER_CALL = 20;

  private final HttpClient http;
  private final URI endpoint;
  private final Optional<String> apiKey;
  private final Duration budget;
  private final LongSupplier nanoTime;
  private final ObjectMapper json = new ObjectMapper();

  private final Object circuit = new Object();
  private long closedAgainAt;
  private Duration backOff = Duration.ZERO;

  public LibreTranslateTranslator(URI baseUrl, Optional<String> apiKey, Duration budget) {
    this(baseUrl, apiKey, budget, System::nanoTime);
  }

  LibreTranslateTranslator(URI baseUrl, Optional<String> apiKey, Duration budget, LongSupplier nanoTime) {
    String base = baseUrl.toString();
    this.endpoint = URI.create(base.endsWith("/") ? base + "translate" : base + "/translate");
    this.apiKey = apiKey;
    this.budget = budget;
    this.nanoTime = nanoTime;
    this.closedAgainAt = nanoTime.getAsLong();
    this.http = HttpClient.newBuilder().connectTimeout(budget).version(HttpClient.Version.HTTP_1_1).build();
  }

  @Override
  public Map<UUID, String> translate(List<Text> texts, String targetLanguage) {
    if (texts.isEmpty() || backingOff()) {
      return Map.of();
    }
    long deadline = nanoTime.getAsLong() + budget.toNanos();
    List<Text> sent = texts.size() > MAX_TEXTS_PER_CALL ? texts.subList(0, MAX_TEXTS_PER_CALL) : texts;
    List<CompletableFuture<String>> pending = new ArrayList<>();
    for (Text text : sent) {
      pending.add(send(text, targetLanguage));
    }
    Map<UUID, String> translated = new HashMap<>();
    boolean failed = false;
    for (int i = 0; i < sent.size(); i++) {
      CompletableFuture<String> future = pending.get(i);
      try {
        long left = Math.max(0, deadline - nanoTime.getAsLong());
        String result = future.get(left, TimeUnit.NANOSECONDS);
        if (result != null) {
          translated.put(sent.get(i).messageId(), result);
        } else {
          failed = true;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failed = true;
        break;
      } catch (Exception e) {
        failed = true;
      }
    }
    pending.forEach(f -> f.cancel(true));
    record(!translated.isEmpty(), failed);
    return translated;
  }

  private CompletableFuture<String> send(Text text, String target) {
    ObjectNode body = json.createObjectNode();
    body.put("q", text.text());
    body.put("source", text.sourceLanguage() == null ? "auto" : text.sourceLanguage());
    body.put("target", target);
    body.put("format", "text");
    apiKey.ifPresent(key -> body.put("api_key", key));
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(budget)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(this::translatedText).exceptionally(e -> null);
  }

  private String translatedText(HttpResponse<String> response) {
    if (response.statusCode() != 200) {
      return null;
    }
    try {
      JsonNode text = json.readTree(response.body()).get("translatedText");
      return text != null && text.isTextual() && !text.asText().isEmpty() ? text.asText() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private boolean backingOff() {
    synchronized (circuit) {
      return nanoTime.getAsLong() - closedAgainAt < 0;
    }
  }

  private void record(boolean anySuccess, boolean anyFailure) {
    synchronized (circuit) {
      if (anySuccess) {
        if (!backOff.isZero()) {
          log.info("translator at {} answers again", endpoint);
        }
        backOff = Duration.ZERO;
      } else if (anyFailure) {
        backOff = backOff.isZero() ? FIRST_BACK_OFF : min(backOff.multipliedBy(2), MAX_BACK_OFF);
        closedAgainAt = nanoTime.getAsLong() + backOff.toNanos();
        log.warn("translator at {} failed or timed out; reads go untranslated for {}", endpoint, backOff);
      }
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
