package dev.marketplace.orders.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.testing.Await;
import dev.marketplace.orders.domain.testing.TcpProxy;
import dev.marketplace.orders.domain.testing.TestDatabase;
import dev.marketplace.orders.server.OrdersApplication;
import dev.marketplace.orders.server.auth.TokenIssuer;
import dev.marketplace.orders.server.config.ServerConfig;
import dev.marketplace.orders.v1.CreateOrderRequest;
import dev.marketplace.orders.v1.LineItem;
import dev.marketplace.orders.v1.ListOrderEventsRequest;
import dev.marketplace.orders.v1.Money;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.OrderEvent;
import dev.marketplace.orders.v1.ShippingAddress;
import dev.marketplace.orders.v1.WatchOrderEventsRequest;
import dev.marketplace.orders.v1.WatchOrderEventsRequest.Scope;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link OrdersClient#watchOrderEvents} against the real server (real MariaDB, real feed) on a local
 * port, reached through a {@link TcpProxy} that the tests cut to drop the connection. The server sends
 * heartbeats every 0.2 s and allows one stream per caller, so the limit is easy to reach.
 */
@Timeout(60)
class OrdersClientWatchTest {

  private static final String SECRET = "test-secret-test-secret-test-secret-0123";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static String databaseUrl;
  private static OrdersApplication app;
  private static int port;
  private static TcpProxy proxy;
  private static TokenIssuer tokens;

  @BeforeAll
  static void startServer() throws IOException {
    databaseUrl = TestDatabase.createDatabase();
    tokens = new TokenIssuer(SECRET, Clock.systemUTC());
    app = start(0);
    port = app.port();
    proxy = new TcpProxy("127.0.0.1", port);
  }

  @AfterAll
  static void stopServer() throws IOException {
    if (proxy != null) {
      proxy.close();
    }
    if (app != null) {
      app.close();
    }
  }

  @Test
  void aDroppedConnection_andAServerRestart_deliverEveryEventOnceInOrder() throws Exception {
    String buyer = newBuyer();
    Recorder seen = new Recorder();
    List<String> orderIds = new ArrayList<>();
    try (OrdersClient watcher = viaProxy(token(buyer, Role.BUYER));
        OrderEventSubscription watch = watcher.watchOrderEvents(fromTheStart(Scope.MY_ORDERS), seen)) {
      orderIds.addAll(placeOrders(buyer, 5));
      seen.awaitEvents(5);

      proxy.cut(); // the connection drops; what commits meanwhile must come after the resume
      orderIds.addAll(placeOrders(buyer, 5));
      proxy.restore();
      seen.awaitEvents(10);

      app.close(); // its streams end with UNAVAILABLE SERVER_STOPPING; the next server has the same database and port
      orderIds.addAll(placeOrdersWhenBack(buyer, 5));
      seen.awaitEvents(15);

      assertThat(watch.streamsOpened()).isGreaterThanOrEqualTo(3);
      assertThat(seen.reconnects()).extracting(OrdersException::code).contains(io.grpc.Status.Code.UNAVAILABLE);
      assertThat(watch.lastResumeToken()).isEqualTo(Long.toString(seen.events().get(14).getPosition()));
    }
    assertThat(seen.events()).extracting(OrderEvent::getPosition).containsExactlyElementsOf(historyPositions(buyer, orderIds));
    assertThat(seen.events()).extracting(OrderEvent::getOrderId).containsExactlyElementsOf(orderIds);
    assertThat(seen.errors()).isEmpty();
  }

  @Test
  void callerErrors_areReportedOnce_andNotRetried() throws Exception {
    String buyer = newBuyer();
    Map<WatchOrderEventsRequest, Class<? extends OrdersException>> refusals =
        Map.of(
            fromTheStart(Scope.ALL_ORDERS), PermissionDeniedException.class,
            WatchOrderEventsRequest.newBuilder().setScope(Scope.ORDER).setOrderId(UUID.randomUUID().toString()).build(), NotFoundException.class,
            WatchOrderEventsRequest.newBuilder().setScope(Scope.MY_ORDERS).setResumeToken("yesterday").build(), InvalidRequestException.class);
    try (OrdersClient asBuyer = viaProxy(token(buyer, Role.BUYER));
        OrdersClient withABadToken = viaProxy(() -> "not-a-token")) {
      for (Map.Entry<WatchOrderEventsRequest, Class<? extends OrdersException>> refusal : refusals.entrySet()) {
        assertRefusedOnce(asBuyer, refusal.getKey(), refusal.getValue());
      }
      assertRefusedOnce(withABadToken, fromTheStart(Scope.MY_ORDERS), UnauthenticatedException.class);
    }
  }

  @Test
  void aStreamEndedByItsTokensExpiry_isReopenedWithAFreshToken_orStopsWhenThereIsNone() throws Exception {
    String buyer = newBuyer();
    String shortLived = tokens.issue(buyer, Role.BUYER, List.of(), Duration.ofSeconds(2));
    String longLived = tokens.issue(buyer, Role.BUYER, List.of(), Duration.ofHours(1));
    java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
    Recorder refreshed = new Recorder();
    Recorder stuck = new Recorder();
    try (OrdersClient refreshing = viaProxy(() -> asked.getAndIncrement() == 0 ? shortLived : longLived);
        OrderEventSubscription watch = refreshing.watchOrderEvents(fromTheStart(Scope.MY_ORDERS), refreshed)) {
      List<String> orderIds = new ArrayList<>(placeOrders(buyer, 2));
      refreshed.awaitEvents(2);
      Await.until("the short token's stream ended and reopened", WAIT, () -> watch.streamsOpened() >= 2);
      orderIds.addAll(placeOrders(buyer, 2));
      refreshed.awaitEvents(4);
      assertThat(refreshed.reconnects()).extracting(OrdersException::reason).contains("TOKEN_EXPIRED");
      assertThat(refreshed.errors()).isEmpty();
      assertThat(refreshed.events()).extracting(OrderEvent::getPosition).containsExactlyElementsOf(historyPositions(buyer, orderIds));
    }

    // The same short token again and again: reopened once, refused at the door, stopped.
    String buyer2 = newBuyer();
    String expiring = tokens.issue(buyer2, Role.BUYER, List.of(), Duration.ofSeconds(2));
    try (OrdersClient fixed = viaProxy(() -> expiring);
        OrderEventSubscription watch = fixed.watchOrderEvents(fromTheStart(Scope.MY_ORDERS), stuck)) {
      Await.until("stopped", WAIT, () -> !watch.isActive());
      assertThat(stuck.errors()).singleElement().isInstanceOf(UnauthenticatedException.class);
      assertThat(watch.streamsOpened()).isEqualTo(2);
    }
  }

  @Test
  void theStreamLimit_isWaitedOut_andTheWatchStartsWhenASlotFrees() throws Exception {
    String buyer = newBuyer();
    Recorder first = new Recorder();
    Recorder second = new Recorder();
    try (OrdersClient watcher = viaProxy(token(buyer, Role.BUYER))) {
      OrderEventSubscription holding = watcher.watchOrderEvents(fromTheStart(Scope.MY_ORDERS), first);
      first.awaitHeartbeat();
      try (OrderEventSubscription waiting = watcher.watchOrderEvents(fromTheStart(Scope.MY_ORDERS), second)) {
        Await.until("the second watch to be refused STREAM_LIMIT_REACHED", WAIT, () -> !second.reconnects().isEmpty());
        OrdersException refused = second.reconnects().get(0);
        assertThat(refused).isInstanceOf(ResourceExhaustedException.class);
        assertThat(refused.reason()).isEqualTo("STREAM_LIMIT_REACHED");
        assertThat(second.delays().get(0)).isGreaterThanOrEqualTo(refused.retryDelay().orElseThrow());

        holding.close();
        String orderId = placeOrders(buyer, 1).get(0);

        second.awaitEvents(1);
        assertThat(second.events().get(0).getOrderId()).isEqualTo(orderId);
        assertThat(waiting.isActive()).isTrue();
        assertThat(second.errors()).isEmpty();
      }
    }
  }

  @Test
  void aStream_outlivesTheDefaultDeadline_andFilteredOutEventsStillMoveTheResumeToken() throws Exception {
    String buyer = newBuyer();
    Recorder seen = new Recorder();
    WatchOrderEventsRequest cancellationsOnly =
        fromTheStart(Scope.MY_ORDERS).toBuilder().addTypes(OrderEvent.Type.ORDER_CANCELLED).build();
    try (OrdersClient hurried =
            OrdersClient.builder().target("127.0.0.1:" + proxy.port()).plaintext().tokenSupplier(token(buyer, Role.BUYER))
                .defaultDeadline(Duration.ofMillis(300)).build();
        OrderEventSubscription watch = hurried.watchOrderEvents(cancellationsOnly, seen)) {
      String orderId = placeOrders(buyer, 1).get(0);
      long created = historyPositions(buyer, List.of(orderId)).get(0);

      Await.until("a heartbeat past the created order's position, a second after the default deadline", WAIT,
          () -> Long.parseLong(watch.lastResumeToken()) >= created && seen.heartbeatsSince(Duration.ofSeconds(1)) > 0);

      assertThat(seen.events()).isEmpty();
      assertThat(watch.streamsOpened()).isEqualTo(1);
      assertThat(seen.reconnects()).isEmpty();
    }
  }

  @Test
  void aFailingHandler_stopsTheWatch_beforeTheEventItFailedOn() throws Exception {
    String buyer = newBuyer();
    List<String> orderIds = placeOrders(buyer, 2);
    List<Long> positions = historyPositions(buyer, orderIds);
    Recorder failing = new Recorder(positions.get(1));
    try (OrdersClient watcher = viaProxy(token(buyer, Role.BUYER))) {
      OrderEventSubscription watch = watcher.watchOrderEvents(fromTheStart(Scope.MY_ORDERS), failing);

      assertThat(watch.awaitTermination(WAIT)).isTrue();
      assertThat(failing.errors()).singleElement().isInstanceOf(IllegalStateException.class);
      assertThat(watch.lastResumeToken()).isEqualTo(Long.toString(positions.get(0)));

      Recorder resumed = new Recorder();
      WatchOrderEventsRequest fromThere = fromTheStart(Scope.MY_ORDERS).toBuilder().setResumeToken(watch.lastResumeToken()).build();
      try (OrderEventSubscription again = watcher.watchOrderEvents(fromThere, resumed)) {
        resumed.awaitEvents(1);
        assertThat(resumed.events()).extracting(OrderEvent::getPosition).containsExactly(positions.get(1));
      }
    }
  }

  @Test
  void closingTheClient_stopsItsWatches() throws Exception {
    Recorder seen = new Recorder();
    OrdersClient watcher = viaProxy(token(newBuyer(), Role.BUYER));
    OrderEventSubscription watch = watcher.watchOrderEvents(fromTheStart(Scope.MY_ORDERS), seen);
    seen.awaitHeartbeat();

    watcher.close();

    assertThat(watch.awaitTermination(WAIT)).isTrue();
    assertThat(watch.isActive()).isFalse();
    assertThat(seen.errors()).isEmpty();
  }

  private static void assertRefusedOnce(OrdersClient client, WatchOrderEventsRequest request, Class<? extends OrdersException> expected)
      throws InterruptedException {
    Recorder seen = new Recorder();
    OrderEventSubscription watch = client.watchOrderEvents(request, seen);

    assertThat(watch.awaitTermination(WAIT)).as("%s stopped; retried after %s", request, seen.reconnects()).isTrue();
    assertThat(seen.errors()).as("%s", request).singleElement().isInstanceOf(expected);
    assertThat(watch.failure()).containsSame(seen.errors().get(0));
    assertThat(watch.streamsOpened()).isEqualTo(1);
    assertThat(watch.isActive()).isFalse();
    assertThat(seen.reconnects()).isEmpty();
  }

  /** What a handler was given, in order; it throws on the event at {@code failAt}, if set. */
  private static final class Recorder implements OrderEventHandler {
    private final long failAt;
    private final List<OrderEvent> events = new ArrayList<>();
    private final List<Instant> heartbeats = new ArrayList<>();
    private final List<OrdersException> reconnects = new ArrayList<>();
    private final List<Duration> delays = new ArrayList<>();
    private final List<Exception> errors = new ArrayList<>();
    private final Instant started = Instant.now();

    Recorder() {
      this(-1);
    }

    Recorder(long failAt) {
      this.failAt = failAt;
    }

    @Override
    public synchronized void onEvent(OrderEvent event) {
      if (event.getPosition() == failAt) {
        throw new IllegalStateException("the application could not handle " + event.getPosition());
      }
      events.add(event);
    }

    @Override
    public synchronized void onHeartbeat(Instant sendTime) {
      heartbeats.add(Instant.now());
    }

    @Override
    public synchronized void onReconnecting(OrdersException cause, Duration delay) {
      reconnects.add(cause);
      delays.add(delay);
    }

    @Override
    public synchronized void onError(Exception error) {
      errors.add(error);
    }

    synchronized List<OrderEvent> events() {
      return List.copyOf(events);
    }

    synchronized List<OrdersException> reconnects() {
      return List.copyOf(reconnects);
    }

    synchronized List<Duration> delays() {
      return List.copyOf(delays);
    }

    synchronized List<Exception> errors() {
      return List.copyOf(errors);
    }

    synchronized long heartbeatsSince(Duration afterStart) {
      return heartbeats.stream().filter(at -> at.isAfter(started.plus(afterStart))).count();
    }

    void awaitEvents(int count) {
      Await.until(count + " events", WAIT, this::events, seen -> seen.size() >= count);
    }

    void awaitHeartbeat() {
      Await.until("a heartbeat", WAIT, () -> heartbeatsSince(Duration.ZERO) > 0);
    }
  }

  /** The positions of these orders' history entries, as the server lists them, in feed order. */
  private static List<Long> historyPositions(String buyer, List<String> orderIds) {
    try (OrdersClient asBuyer = direct(token(buyer, Role.BUYER))) {
      return orderIds.stream()
          .flatMap(id -> asBuyer.listOrderEvents(ListOrderEventsRequest.newBuilder().setOrderId(id).setPageSize(100).build()).getEventsList().stream())
          .map(OrderEvent::getPosition)
          .sorted()
          .toList();
    }
  }

  private static List<String> placeOrders(String buyer, int count) {
    try (OrdersClient checkout = direct(token("checkout", Role.SERVICE, "orders.create"))) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ids.add(checkout.createOrder(CreateOrderRequest.newBuilder().setOrder(draft(buyer)).build()).getOrderId());
      }
      return ids;
    }
  }

  /** Starts the server again on its port and database, then places the orders. */
  private static List<String> placeOrdersWhenBack(String buyer, int count) throws IOException {
    app = start(port);
    return placeOrders(buyer, count);
  }

  private static OrdersApplication start(int port) throws IOException {
    ServerConfig config =
        ServerConfig.from(
            Map.of(
                "ORDERS_PORT", Integer.toString(port),
                "ORDERS_BIND_ADDRESS", "127.0.0.1",
                "ORDERS_DB_URL", databaseUrl,
                "ORDERS_DB_USER", TestDatabase.user(),
                "ORDERS_DB_PASSWORD", TestDatabase.password(),
                "ORDERS_AUTH_HS256_SECRET", SECRET,
                "ORDERS_AUTH_CLOCK_SKEW", "PT0S",
                "ORDERS_FEED_HEARTBEAT_INTERVAL", "PT0.2S",
                "ORDERS_FEED_MAX_STREAMS_PER_CALLER", "1"));
    return OrdersApplication.start(config, Clock.systemUTC());
  }

  private static WatchOrderEventsRequest fromTheStart(Scope scope) {
    return WatchOrderEventsRequest.newBuilder().setScope(scope).setResumeToken("0").build();
  }

  /** Through the proxy, with short reconnect waits so that the tests stay fast. */
  private static OrdersClient viaProxy(Supplier<String> token) {
    return OrdersClient.builder()
        .target("127.0.0.1:" + proxy.port())
        .plaintext()
        .tokenSupplier(token)
        .watchReconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
        .build();
  }

  private static OrdersClient direct(Supplier<String> token) {
    return OrdersClient.builder().target("127.0.0.1:" + port).plaintext().tokenSupplier(token).build();
  }

  private static Supplier<String> token(String subject, Role role, String... scopes) {
    String token = tokens.issue(subject, role, List.of(scopes), Duration.ofHours(1));
    return () -> token;
  }

  private static String newBuyer() {
    return "buyer-" + UUID.randomUUID();
  }

  private static Order draft(String buyerId) {
    return Order.newBuilder()
        .setBuyerId(buyerId)
        .setSellerId("shop-1")
        .addLineItems(
            LineItem.newBuilder()
                .setSku("SKU-MUG")
                .setTitle("Mug")
                .setQuantity(1)
                .setUnitPrice(Money.newBuilder().setCurrencyCode("USD").setAmountMinor(1250)))
        .setShippingAddress(
            ShippingAddress.newBuilder()
                .setRecipientName("Erika Mustermann")
                .addAddressLines("Hauptstr. 1")
                .setLocality("Berlin")
                .setRegionCode("DE"))
        .setPaymentMethod(Order.PaymentMethod.CARD)
        .build();
  }
}
