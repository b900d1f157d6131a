package dev.marketplace.orders.server.cancellation;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.server.cancellation.Marketplace.instant;
import static dev.marketplace.orders.server.cancellation.Marketplace.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.testing.Await;
import dev.marketplace.orders.domain.testing.TestDatabase;
import dev.marketplace.orders.server.OrdersApplication;
import dev.marketplace.orders.server.auth.TokenIssuer;
import dev.marketplace.orders.server.config.ServerConfig;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.v1.Cancellation;
import dev.marketplace.orders.v1.CancellationRequest;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.Refund;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The 72-hour rule is durable and happens once: the whole application as main starts it (netty on a
 * port, an external database, the background sweeper), a 3-second seller response window and a
 * sweep every second, with the real clock. What happened is read from the database with plain JDBC,
 * because any read through the service would itself expire a due request.
 */
class DeadlineDurabilityTest {

  private static final Duration WINDOW = Duration.ofSeconds(3);
  private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);
  private static final Duration PATIENCE = Duration.ofSeconds(15);
  private static final TokenIssuer TOKENS = new TokenIssuer(GrpcTestServer.SECRET, Clock.systemUTC());

  private static ServerConfig config(String databaseUrl) {
    Map<String, String> settings = new HashMap<>();
    settings.put("ORDERS_PORT", "0");
    settings.put("ORDERS_BIND_ADDRESS", "127.0.0.1");
    settings.put("ORDERS_DB_URL", databaseUrl);
    settings.put("ORDERS_DB_USER", TestDatabase.user());
    settings.put("ORDERS_DB_PASSWORD", TestDatabase.password());
    settings.put("ORDERS_DB_POOL_SIZE", "6");
    settings.put("ORDERS_AUTH_HS256_SECRET", GrpcTestServer.SECRET);
    settings.put("ORDERS_SELLER_RESPONSE_WINDOW", WINDOW.toString());
    settings.put("ORDERS_SWEEP_INTERVAL", SWEEP_INTERVAL.toString());
    settings.put("ORDERS_SHUTDOWN_GRACE", "PT2S");
    return ServerConfig.from(settings);
  }

  private static ManagedChannel channel(OrdersApplication app) {
    return ManagedChannelBuilder.forAddress("127.0.0.1", app.port()).usePlaintext().build();
  }

  private static Rows rows(String databaseUrl) {
    return Rows.jdbc(databaseUrl, TestDatabase.user(), TestDatabase.password());
  }

  /** Lets real time pass until {@code when}: the deadlines here are on the real clock, and their passing is what is tested. */
  private static void sleepUntil(Instant when) throws InterruptedException {
    long millis = Duration.between(Instant.now(), when).toMillis();
    if (millis > 0) {
      Thread.sleep(millis);
    }
  }

  @Test
  void requestDueWhileNoServerRan_isAutoApprovedByTheSweepAfterRestart_withOneRefund() throws Exception {
    String databaseUrl = TestDatabase.createDatabase();
    ServerConfig config = config(databaseUrl);
    Rows db = rows(databaseUrl);
    String buyer = unique("buyer");
    String seller = unique("seller");

    CancellationRequest request;
    try (OrdersApplication app = OrdersApplication.start(config, Clock.systemUTC())) {
      ManagedChannel channel = channel(app);
      try {
        request = new Marketplace(channel, TOKENS).requested(buyer, seller);
      } finally {
        channel.shutdownNow();
      }
    }
    String id = request.getCancellationRequestId();
    Instant respondBy = instant(request.getRespondByTime());
    assertThat(Instant.now()).as("the first server stopped before the seller's deadline").isBefore(respondBy);

    sleepUntil(respondBy.plusMillis(500));
    assertThat(db.request(id).orElseThrow().state()).as("nothing ran at the deadline").isEqualTo("PENDING");

    Instant restarted = Instant.now();
    try (OrdersApplication app = OrdersApplication.start(config, Clock.systemUTC())) {
      // Not a single call to the service before the row is checked: only the sweep can have expired it.
      Await.until(
          "the restarted server's sweep to resolve the request", PATIENCE, () -> db.request(id).orElseThrow().state(), state -> !state.equals("PENDING"));
      Rows.RequestRow row = db.request(id).orElseThrow();
      assertThat(row.state()).isEqualTo("AUTO_APPROVED");
      assertThat(row.resolvedBySubject()).isEqualTo("platform");
      assertThat(row.resolvedByRole()).isEqualTo("SYSTEM");
      assertThat(row.resolvedAt()).as("expired by the restarted server").isAfter(restarted);
      assertThat(db.refunds(request.getOrderId())).isEqualTo(1);
      assertThat(db.events(request.getOrderId(), "CANCELLATION_AUTO_APPROVED")).isEqualTo(1);

      ManagedChannel channel = channel(app);
      try {
        Marketplace market = new Marketplace(channel, TOKENS);
        CancellationRequest read = market.request(buyer, BUYER, id);
        assertThat(read.getState()).isEqualTo(CancellationRequest.State.AUTO_APPROVED);
        assertThat(read.getRefund().getState()).isEqualTo(Refund.State.INITIATED);
        Order order = market.order(seller, SELLER, request.getOrderId());
        assertThat(order.getState()).isEqualTo(Order.State.CANCELLED);
        assertThat(order.getCancellation().getKind()).isEqualTo(Cancellation.Kind.AUTO_APPROVED);
        assertThat(order.getRefund()).isEqualTo(read.getRefund());
      } finally {
        channel.shutdownNow();
      }
      // Not a condition to wait for: the sweeps that run meanwhile must do nothing, and doing nothing leaves no trace to await.
      Thread.sleep(SWEEP_INTERVAL.multipliedBy(2).toMillis());
      assertThat(db.refunds(request.getOrderId())).as("later sweeps change nothing").isEqualTo(1);
    }
  }

  /** One order's facts as the database holds them. */
  private record Outcome(String state, String kind, long refunds, long autoApprovals, long cancellations) {}

  @Test
  void twoReplicasSweepingTheSameDeadlines_cancelAndRefundEachOrderExactlyOnce() throws Exception {
    String databaseUrl = TestDatabase.createDatabase();
    ServerConfig config = config(databaseUrl);
    Rows db = rows(databaseUrl);
    int count = 30;
    ExecutorService callers = Executors.newFixedThreadPool(10);
    try (OrdersApplication first = OrdersApplication.start(config, Clock.systemUTC());
        OrdersApplication second = OrdersApplication.start(config, Clock.systemUTC())) {
      ManagedChannel toFirst = channel(first);
      ManagedChannel toSecond = channel(second);
      try {
        List<Marketplace> replicas = List.of(new Marketplace(toFirst, TOKENS), new Marketplace(toSecond, TOKENS));
        List<Future<Order>> paying = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          Marketplace via = replicas.get(i % 2);
          String shop = "shop-" + (i % 3);
          paying.add(callers.submit(() -> via.paid(unique("buyer"), shop)));
        }
        List<Order> orders = new ArrayList<>();
        for (Future<Order> f : paying) {
          orders.add(f.get(30, TimeUnit.SECONDS));
        }
        // All requests at once, so that their deadlines fall together.
        List<Future<CancellationRequest>> asking = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          Marketplace via = replicas.get(i % 2);
          Order order = orders.get(i);
          asking.add(callers.submit(() -> via.ask(order.getBuyerId(), order.getOrderId()).getCancellationRequest()));
        }
        Instant lastDeadline = Instant.EPOCH;
        for (Future<CancellationRequest> f : asking) {
          Instant respondBy = instant(f.get(30, TimeUnit.SECONDS).getRespondByTime());
          lastDeadline = respondBy.isAfter(lastDeadline) ? respondBy : lastDeadline;
        }

        sleepUntil(lastDeadline);
        Await.until(
            "the sweeps of both replicas to resolve every request",
            PATIENCE,
            () -> db.count("SELECT COUNT(*) FROM cancellation_requests WHERE state = 'PENDING'"),
            pending -> pending == 0);
        // Not a condition to wait for: a few more rounds on both replicas, which must change nothing.
        Thread.sleep(SWEEP_INTERVAL.multipliedBy(2).toMillis());

        Map<String, Outcome> outcomes = new HashMap<>();
        for (Map.Entry<String, Outcome> e :
            db.list(
                "SELECT LOWER(HEX(o.id)), o.state, o.cancellation_kind,"
                    + " (SELECT COUNT(*) FROM refunds r WHERE r.order_id = o.id),"
                    + " (SELECT COUNT(*) FROM order_events e WHERE e.order_id = o.id AND e.event_type = 'CANCELLATION_AUTO_APPROVED'),"
                    + " (SELECT COUNT(*) FROM order_events e WHERE e.order_id = o.id AND e.event_type = 'ORDER_CANCELLED')"
                    + " FROM orders o",
                r -> Map.entry(r.getString(1), new Outcome(r.getString(2), r.getString(3), r.getLong(4), r.getLong(5), r.getLong(6))))) {
          outcomes.put(e.getKey(), e.getValue());
        }
        assertThat(outcomes).hasSize(count);
        Outcome once = new Outcome("CANCELLED", "AUTO_APPROVED", 1, 1, 1);
        for (Order order : orders) {
          assertThat(outcomes.get(Rows.hex(order.getOrderId()))).as("order %s", order.getOrderId()).isEqualTo(once);
        }
        assertThat(db.count("SELECT COUNT(*) FROM refunds")).isEqualTo(count);
        assertThat(db.count("SELECT COUNT(*) FROM cancellation_requests WHERE state = 'AUTO_APPROVED' AND resolved_by_role = 'SYSTEM'"))
            .isEqualTo(count);
      } finally {
        toFirst.shutdownNow();
        toSecond.shutdownNow();
        callers.shutdownNow();
      }
    }
  }
}
