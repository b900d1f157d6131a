package dev.marketplace.orders.server.conversation;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.rpc.RetryInfo;
import dev.marketplace.orders.domain.conversation.ConversationSettings;
import dev.marketplace.orders.server.config.ConversationConfig;
import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.FakeLibreTranslate;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.v1.ListMessagesRequest;
import dev.marketplace.orders.v1.ListMessagesResponse;
import dev.marketplace.orders.v1.Message;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

// The outage test runs last: after it the translator client backs off for seconds (real time).
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RateLimitAndTranslationTest {

  private static FakeLibreTranslate translator;
  private static GrpcTestServer server;
  private static Threads threads;

  @BeforeAll
  static void start() throws Exception {
    translator = new FakeLibreTranslate();
    server =
        new GrpcTestServer(
            new ConversationConfig(new ConversationSettings(3), true, Optional.of(translator.url()), Optional.of("key-1"), Duration.ofMillis(700)));
    threads = new Threads(server);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    translator.close();
  }

  @Test
  void beyondTheHourlyRate_resourceExhaustedWithTheWait_otherSendersUnaffected_andAnHourLaterItPasses() {
    String buyer = Threads.unique("buyer");
    String seller = Threads.unique("seller");
    String orderId = threads.order(buyer, seller).getOrderId();
    threads.send(buyer, BUYER, orderId, "1");
    server.clock.advance(Duration.ofMinutes(10));
    threads.send(buyer, BUYER, orderId, "2");
    threads.send(buyer, BUYER, orderId, "3");

    Errors refused = Errors.of(catchThrowable(() -> threads.send(buyer, BUYER, orderId, "4")));
    Message seller1 = threads.send(seller, SELLER, orderId, "the seller may still answer");
    server.clock.advance(Duration.ofMinutes(50).plusSeconds(1));
    Message later = threads.send(buyer, BUYER, orderId, "4, an hour after the first");

    assertThat(refused.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(refused.reason()).isEqualTo("MESSAGE_RATE_EXCEEDED");
    Duration wait = Duration.ofSeconds(refused.detail(RetryInfo.class).orElseThrow().getRetryDelay().getSeconds());
    assertThat(wait).isBetween(Duration.ofMinutes(49), Duration.ofMinutes(50));
    assertThat(seller1.getSequenceNumber()).isEqualTo(4);
    assertThat(later.getSequenceNumber()).isEqualTo(5);
  }

  @Test
  void concurrentSends_neverPassTheRate() throws Exception {
    String buyer = Threads.unique("buyer");
    String orderId = threads.order(buyer, Threads.unique("seller")).getOrderId();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Boolean>> sends = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      int n = i;
      sends.add(pool.submit(() -> {
        try {
          threads.send(buyer, BUYER, orderId, "burst " + n);
          return true;
        } catch (io.grpc.StatusRuntimeException e) {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
          return false;
        }
      }));
    }
    int accepted = 0;
    for (Future<Boolean> send : sends) {
      accepted += send.get() ? 1 : 0;
    }
    pool.shutdown();

    assertThat(accepted).isEqualTo(3);
    assertThat(threads.messages(buyer, BUYER, orderId)).extracting(Message::getSequenceNumber).containsExactly(1L, 2L, 3L);
  }

  @Test
  void withTheTranslatorUp_foreignMessagesCarryATranslation_cachedPerLanguage_sameLanguageUntouched() {
    translator.mode(FakeLibreTranslate.Mode.UP);
    String buyer = Threads.unique("buyer");
    String seller = Threads.unique("seller");
    String orderId = threads.order(buyer, seller).getOrderId();
    threads.send(buyer, BUYER, orderId, "Can you ship it in blue?");
    threads.as(seller, SELLER).sendMessage(Threads.message(orderId, "Ja, gerne.").setLanguageCode("de").build());
    int before = translator.requests();

    ListMessagesResponse first = read(seller, orderId, "de-AT");
    int afterFirst = translator.requests();
    ListMessagesResponse again = read(seller, orderId, "de-AT");

    Message english = first.getMessages(0);
    assertThat(english.getText()).isEqualTo("Can you ship it in blue?");
    assertThat(english.getLanguageCode()).isEqualTo("en");
    assertThat(english.getTranslation().getLanguageCode()).isEqualTo("de-AT");
    assertThat(english.getTranslation().getText()).isEqualTo("[de] Can you ship it in blue?");
    assertThat(first.getMessages(1).hasTranslation()).as("already German").isFalse();
    assertThat(afterFirst - before).as("one request, for the English message").isEqualTo(1);
    assertThat(translator.lastApiKey()).isEqualTo("key-1");
    assertThat(again).isEqualTo(first);
    assertThat(translator.requests()).as("the second read is served from the cache").isEqualTo(afterFirst);
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void translatorDownOrSlow_theCallSucceedsWithTheOriginals_withinTheBudget() {
    String buyer = Threads.unique("buyer");
    String seller = Threads.unique("seller");
    String orderId = threads.order(buyer, seller).getOrderId();
    threads.send(buyer, BUYER, orderId, "Where is my parcel?");

    translator.mode(FakeLibreTranslate.Mode.SLOW);
    translator.slowness(Duration.ofSeconds(5));
    long started = System.nanoTime();
    ListMessagesResponse slow = read(seller, orderId, "fr");
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    translator.mode(FakeLibreTranslate.Mode.FAILING);
    int beforeBackOff = translator.requests();
    ListMessagesResponse down = read(seller, orderId, "es");

    assertThat(slow.getMessages(0).hasTranslation()).isFalse();
    assertThat(slow.getMessages(0).getLanguageCode()).isEqualTo("en");
    assertThat(took).as("bounded by the 700 ms budget, not the translator's 5 s").isLessThan(Duration.ofSeconds(3));
    assertThat(down.getMessages(0).hasTranslation()).isFalse();
    assertThat(translator.requests()).as("after a failed call the translator is left alone for a while").isEqualTo(beforeBackOff);
  }

  private static ListMessagesResponse read(String seller, String orderId, String language) {
    return threads.as(seller, SELLER).listMessages(ListMessagesRequest.newBuilder().setOrderId(orderId).setViewLanguageCode(language).build());
  }
}
