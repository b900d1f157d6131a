package dev.marketplace.orders.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.client.OrdersClient;
import dev.marketplace.orders.client.OrdersException;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.testing.InvariantVerifier;
import dev.marketplace.orders.domain.testing.TestDatabase;
import dev.marketplace.orders.server.auth.TokenIssuer;
import dev.marketplace.orders.v1.CancelOrderResponse;
import dev.marketplace.orders.v1.Order;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A thousand callers send the same mutation with the same request id at the same moment, as a
 * misbehaving retry loop or a fleet of replayed messages would. The server admits what it can and
 * refuses the rest with RESOURCE_EXHAUSTED; the refused retry after the delay it asks for. In the end
 * there is one effect, and every caller holds the very same response.
 */
class RetryStormTest {

  private static final int CALLERS = 1000;

  @Test
  void aThousandConcurrentCallsWithOneRequestId_haveOneEffect_andAllGetTheSameResponse() throws Exception {
    String url = TestDatabase.createDatabase();
    String buyer = "storm-buyer-" + UUID.randomUUID().toString().substring(0, 6);
    TokenIssuer tokens = new TokenIssuer(ServerProcess.SECRET, Clock.systemUTC());
    ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
    try (ServerProcess server = ServerProcess.on("storm", url, TestDatabase.user(), TestDatabase.password(), Map.of()).start()) {
      ManagedChannel channel = ManagedChannelBuilder.forTarget(server.target()).usePlaintext().build();
      try {
        OrdersClient checkout = client(channel, tokens, "checkout", Role.SERVICE, "orders.create");
        OrdersClient payments = client(channel, tokens, "payments", Role.SERVICE, "payments.record");
        OrdersClient buyerClient = client(channel, tokens, buyer, Role.BUYER);

        String createId = UUID.randomUUID().toString();
        Storm<Order> created = storm(callers, () -> checkout.createOrder(Traffic.create(createId, buyer, "storm-seller")));
        String orderId = created.responses.get(0).getOrderId();
        payments.recordPayment(Traffic.pay(UUID.randomUUID().toString(), orderId));
        String cancelId = UUID.randomUUID().toString();
        Storm<CancelOrderResponse> cancelled = storm(callers, () -> buyerClient.cancelOrder(Traffic.cancel(cancelId, orderId)));

        int orders;
        int requests;
        InvariantVerifier.Report report;
        try (HikariDataSource dataSource = TestDatabase.dataSource(url, 2)) {
          orders = count(dataSource, "SELECT COUNT(*) FROM orders WHERE buyer_id = '" + buyer + "'");
          requests = count(dataSource, "SELECT COUNT(*) FROM cancellation_requests WHERE buyer_id = '" + buyer + "'");
          report = InvariantVerifier.verify(dataSource);
        }
        Figures.record(
            "Retry storm (" + CALLERS + " concurrent calls, one request id)",
            "CreateOrder: " + created.summary() + "; CancelOrder: " + cancelled.summary() + "; orders created " + orders
                + ", cancellation requests " + requests + ", violations " + report.violations().size());

        assertThat(created.failures).isEmpty();
        assertThat(cancelled.failures).isEmpty();
        assertThat(new HashSet<>(created.responses)).as("one and the same order in every answer").hasSize(1);
        assertThat(new HashSet<>(cancelled.responses)).as("one and the same request in every answer").hasSize(1);
        assertThat(cancelled.responses.get(0).getOutcome()).isEqualTo(CancelOrderResponse.Outcome.REQUESTED);
        assertThat(orders).isEqualTo(1);
        assertThat(requests).isEqualTo(1);
        report.assertHolds();
      } finally {
        channel.shutdownNow();
      }
    } finally {
      callers.shutdownNow();
    }
  }

  private static OrdersClient client(ManagedChannel channel, TokenIssuer tokens, String subject, Role role, String... scopes) {
    String token = tokens.issue(subject, role, List.of(scopes), Duration.ofHours(1));
    return OrdersClient.builder().channel(channel).tokenSupplier(() -> token).defaultDeadline(Duration.ofSeconds(20)).maxAttempts(1).build();
  }

  /** What the callers of one storm got: every response, the refusals they retried, and failures. */
  private static final class Storm<T> {
    final List<T> responses = new ArrayList<>();
    final List<String> failures = new ArrayList<>();
    final Map<Status.Code, AtomicLong> retried = new ConcurrentHashMap<>();
    long millis;

    String summary() {
      Map<Status.Code, Long> seen = new java.util.EnumMap<>(Status.Code.class);
      retried.forEach((code, n) -> seen.put(code, n.get()));
      return responses.size() + " answered in " + millis + " ms, " + new HashSet<>(responses).size() + " distinct response(s), retried after " + seen;
    }
  }

  private static <T> Storm<T> storm(ExecutorService callers, Supplier<T> call) throws Exception {
    Storm<T> storm = new Storm<>();
    CountDownLatch ready = new CountDownLatch(CALLERS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<T>> answers = new ArrayList<>();
    for (int i = 0; i < CALLERS; i++) {
      answers.add(
          callers.submit(
              () -> {
                ready.countDown();
                go.await();
                for (int attempt = 1; ; attempt++) {
                  try {
                    return call.get();
                  } catch (OrdersException e) {
                    if (!Traffic.RETRYABLE.contains(e.code()) || attempt >= 100) {
                      throw e;
                    }
                    storm.retried.computeIfAbsent(e.code(), k -> new AtomicLong()).incrementAndGet();
                    // Not a condition to wait for: the caller backs off as told, with jitter, before it retries.
                    Thread.sleep(e.retryDelay().map(Duration::toMillis).orElse(100L) + (long) (Math.random() * 100));
                  }
                }
              }));
    }
    assertThat(ready.await(30, TimeUnit.SECONDS)).as("all %d callers ready", CALLERS).isTrue();
    long start = System.nanoTime();
    go.countDown();
    for (Future<T> answer : answers) {
      try {
        storm.responses.add(answer.get(120, TimeUnit.SECONDS));
      } catch (java.util.concurrent.ExecutionException e) {
        storm.failures.add(String.valueOf(e.getCause()));
      }
    }
    storm.millis = (System.nanoTime() - start) / 1_000_000;
    return storm;
  }

  private static int count(HikariDataSource dataSource, String sql) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql);
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

}
