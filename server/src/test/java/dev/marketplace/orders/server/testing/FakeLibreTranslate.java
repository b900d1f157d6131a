package dev.marketplace.orders.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An in-process LibreTranslate ({@code POST /translate} JSON {q, source, target, format} ->
 * {translatedText}) on the JDK's HTTP server. It "translates" by tagging the text with the target,
 * {@code [de] Hello}, and can be switched to failing (HTTP 500) or slow.
 */
public final class FakeLibreTranslate implements AutoCloseable {

  public enum Mode { UP, FAILING, SLOW }

  private final HttpServer server;
  private final ObjectMapper json = new ObjectMapper();
  private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.UP);
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicReference<String> lastApiKey = new AtomicReference<>();
  private volatile Duration slowness = Duration.ofSeconds(5);

  public FakeLibreTranslate() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(
        "/translate",
        exchange -> {
          requests.incrementAndGet();
          try (exchange) {
            JsonNode body = json.readTree(exchange.getRequestBody());
            lastApiKey.set(body.has("api_key") ? body.get("api_key").asText() : null);
            Mode now = mode.get();
            if (now == Mode.SLOW) {
              Thread.sleep(slowness.toMillis());
            }
            if (now == Mode.FAILING) {
              exchange.sendResponseHeaders(500, -1);
              return;
            }
            byte[] answer =
                json.writeValueAsBytes(
                    json.createObjectNode().put("translatedText", "[" + body.get("target").asText() + "] " + body.get("q").asText()));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(answer);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    server.start();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public void mode(Mode newMode) {
    mode.set(newMode);
  }

  public void slowness(Duration duration) {
    slowness = duration;
  }

  public int requests() {
    return requests.get();
  }

  public String lastApiKey() {
    return lastApiKey.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
