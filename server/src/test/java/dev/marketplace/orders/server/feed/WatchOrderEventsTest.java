package dev.marketplace.orders.server.feed;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.domain.access.Role.SERVICE;
import static dev.marketplace.orders.domain.access.Role.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.server.config.FeedSettings;
import dev.marketplace.orders.server.testing.Checkout;
import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.FeedWatcher;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.CancelOrderRequest;
import dev.marketplace.orders.v1.CancellationReason;
import dev.marketplace.orders.v1.CancellationServiceGrpc;
import dev.marketplace.orders.v1.ListOrderEventsRequest;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.OrderEvent;
import dev.marketplace.orders.v1.WatchOrderEventsRequest;
import dev.marketplace.orders.v1.WatchOrderEventsRequest.Scope;
import dev.marketplace.orders.v1.WatchOrderEventsResponse;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WatchOrderEvents through a real channel over the real database: replay then live, resume without
 * loss or repeat, transactions that commit out of position order, who sees what, heartbeats, limits
 * and the slow consumer.
 */
class WatchOrderEventsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  /** Fast polls and heartbeats, a small buffer, a short stall timeout, tight stream limits. */
  private static final FeedSettings FEED =
      new FeedSettings(Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofMillis(300), 6, 3, 20, Duration.ofMillis(500), Optional.empty(), "orders.events", Duration.ofSeconds(10));

  private static GrpcTestServer server;
  private static Checkout checkout;

  @BeforeAll
  static void start() throws Exception {
    server = new GrpcTestServer(FEED);
    checkout = new Checkout(server);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void aBuyerFollowsHerOwnOrders_liveAndInOrder_andNeverAnotherBuyers() throws Exception {
    String buyer = unique("buyer");
    FeedWatcher watcher = FeedWatcher.watch(server.ordersAsyncAs(buyer, BUYER), WatchOrderEventsRequest.newBuilder().setScope(Scope.MY_ORDERS).build());
    awaitStarted(watcher);

    Order mine = checkout.paid(buyer, unique("seller"));
    Order someoneElses = checkout.paid(unique("buyer"), unique("seller"));
    cancel(buyer, mine.getOrderId());

    List<OrderEvent> expected = history(mine.getOrderId());
    List<OrderEvent> got = watcher.awaitEvents(events -> events.size() >= expected.size(), WAIT);
    assertThat(got).containsExactlyElementsOf(expected);
    assertThat(got).allMatch(e -> e.getBuyerId().equals(buyer));
    assertThat(got).extracting(OrderEvent::getPosition).isSorted().doesNotHaveDuplicates();
    assertThat(watcher.events()).noneMatch(e -> e.getOrderId().equals(someoneElses.getOrderId()));
    watcher.cancel();
  }

  @Test
  void aConsumerThatDisconnectsAndResumes_seesEveryEventExactlyOnceInOrder() throws Exception {
    String buyer = unique("buyer");
    String seller = unique("seller");
    List<String> orders = new ArrayList<>();
    orders.add(checkout.placed(buyer, seller).getOrderId());
    FeedWatcher first = FeedWatcher.watch(server.ordersAsyncAs(seller, SELLER), WatchOrderEventsRequest.newBuilder().setScope(Scope.MY_ORDERS).setResumeToken("0").build());
    first.awaitEvents(events -> events.size() >= 1, WAIT);
    first.cancel();
    // One snapshot for both the events and the token: a message may still land after the cancel.
    List<WatchOrderEventsResponse> before = first.messages();
    String token = before.get(before.size() - 1).getResumeToken();
    List<OrderEvent> firstEvents = before.stream().filter(WatchOrderEventsResponse::hasEvent).map(WatchOrderEventsResponse::getEvent).toList();

    // While nobody watches: more orders, payments, a cancellation.
    for (int i = 0; i < 5; i++) {
      orders.add(checkout.paid(buyer, seller).getOrderId());
    }
    cancel(buyer, orders.get(0));

    FeedWatcher resumed = FeedWatcher.watch(server.ordersAsyncAs(seller, SELLER), WatchOrderEventsRequest.newBuilder().setScope(Scope.MY_ORDERS).setResumeToken(token).build());
    orders.add(checkout.paid(buyer, seller).getOrderId()); // and live after the replay

    List<OrderEvent> all = new ArrayList<>();
    for (String id : orders) {
      all.addAll(history(id));
    }
    all.sort((a, b) -> Long.compare(a.getPosition(), b.getPosition()));
    List<OrderEvent> seen = new ArrayList<>(firstEvents);
    seen.addAll(resumed.awaitEvents(events -> events.size() >= all.size() - firstEvents.size(), WAIT));
    assertThat(seen).containsExactlyElementsOf(all);
    resumed.cancel();
  }

  @Test
  void aTransactionThatCommitsAfterALaterPosition_isWaitedFor_notSkipped() throws Exception {
    Order early = checkout.placed(unique("buyer"), unique("seller"));
    FeedWatcher watcher = FeedWatcher.watch(server.ordersAsyncAs("notifier", SERVICE, "events.read"), all().build());
    awaitStarted(watcher);

    // A writer takes a position and holds its transaction open; a later writer commits past it.
    HeldWrite held = HeldWrite.start(UUID.fromString(early.getOrderId()));
    Order later = checkout.placed(unique("buyer"), unique("seller"));
    FeedWatcher resumedMeanwhile = FeedWatcher.watch(server.ordersAsyncAs("notifier", SERVICE, "events.read"), all().setResumeToken(watcher.lastToken()).build());

    Thread.sleep(FEED.holeGrace().multipliedBy(3).toMillis());
    assertThat(watcher.eventsOf(List.of(later.getOrderId()))).as("not delivered past a position still being written").isEmpty();
    assertThat(resumedMeanwhile.eventsOf(List.of(later.getOrderId()))).isEmpty();

    held.commit();
    for (FeedWatcher w : List.of(watcher, resumedMeanwhile)) {
      List<OrderEvent> got = w.awaitEvents(events -> events.stream().anyMatch(e -> e.getOrderId().equals(later.getOrderId())), WAIT);
      List<OrderEvent> both =
          got.stream()
              .filter(e -> e.getOrderId().equals(later.getOrderId()) || e.getType() == OrderEvent.Type.SUPPORT_CASE_ASSIGNED && e.getOrderId().equals(early.getOrderId()))
              .toList();
      assertThat(both).extracting(OrderEvent::getOrderId).as("the held write first, as its position says").containsExactly(early.getOrderId(), later.getOrderId());
      assertThat(both.get(0).getPosition()).isLessThan(both.get(1).getPosition());
      assertThat(got).extracting(OrderEvent::getPosition).isSorted().doesNotHaveDuplicates();
      w.cancel();
    }
  }

  @Test
  void aTransactionThatRollsBack_leavesAHoleTheFeedMovesPast() throws Exception {
    Order early = checkout.placed(unique("buyer"), unique("seller"));
    FeedWatcher watcher = FeedWatcher.watch(server.ordersAsyncAs("notifier", SERVICE, "events.read"), all().build());
    awaitStarted(watcher);

    HeldWrite held = HeldWrite.start(UUID.fromString(early.getOrderId()));
    Order later = checkout.placed(unique("buyer"), unique("seller"));
    Thread.sleep(FEED.holeGrace().multipliedBy(2).toMillis());
    assertThat(watcher.eventsOf(List.of(later.getOrderId()))).isEmpty();
    held.rollBack();

    List<OrderEvent> got = watcher.awaitEvents(events -> events.stream().anyMatch(e -> e.getOrderId().equals(later.getOrderId())), WAIT);
    assertThat(got).noneMatch(e -> e.getOrderId().equals(early.getOrderId()) && e.getType() == OrderEvent.Type.SUPPORT_CASE_ASSIGNED);
    watcher.cancel();
  }

  @Test
  void manyConcurrentWriters_withRollbacks_neverMakeAResumingConsumerSkip() throws Exception {
    String seller = unique("seller");
    FeedWatcher steady = FeedWatcher.watch(server.ordersAsyncAs(seller, SELLER), WatchOrderEventsRequest.newBuilder().setScope(Scope.MY_ORDERS).build());
    awaitStarted(steady);
    ExecutorService writers = Executors.newFixedThreadPool(6);
    List<Future<String>> placed = new ArrayList<>();
    AtomicInteger rolledBack = new AtomicInteger();
    List<FeedWatcher> hops = new ArrayList<>();
    try {
      for (int i = 0; i < 60; i++) {
        placed.add(writers.submit(() -> checkout.paid(unique("buyer"), seller).getOrderId()));
        if (i % 10 == 0) {
          writers.submit(() -> {
            HeldWrite write = HeldWrite.start(UUID.fromString(checkout.placed(unique("buyer"), unique("other-seller")).getOrderId()));
            Thread.sleep(50);
            write.rollBack();
            return rolledBack.incrementAndGet();
          });
        }
      }
      // A consumer that keeps hopping: read a little, leave, come back with its token.
      String token = "0"; // from the beginning: this seller has no events before this test
      List<OrderEvent> hopped = new ArrayList<>();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < end) {
        WatchOrderEventsRequest.Builder request = WatchOrderEventsRequest.newBuilder().setScope(Scope.MY_ORDERS).setResumeToken(token);
        FeedWatcher hop = FeedWatcher.watch(server.ordersAsyncAs(seller, SELLER), request.build());
        hops.add(hop);
        Thread.sleep(40);
        hop.cancel();
        // One snapshot for both the events and the token: a message may still land after the cancel.
        List<WatchOrderEventsResponse> got = hop.messages();
        got.stream().filter(WatchOrderEventsResponse::hasEvent).forEach(m -> hopped.add(m.getEvent()));
        if (!got.isEmpty()) {
          token = got.get(got.size() - 1).getResumeToken();
        }
        if (placed.stream().allMatch(Future::isDone) && hopped.size() >= expectedFor(placed).size()) {
          break;
        }
      }
      List<OrderEvent> expected = expectedFor(placed);
      assertThat(hopped).as("the hopping consumer").containsExactlyElementsOf(expected);
      assertThat(steady.awaitEvents(events -> events.size() >= expected.size(), WAIT)).as("the steady consumer").containsExactlyElementsOf(expected);
    } finally {
      writers.shutdown();
      writers.awaitTermination(30, TimeUnit.SECONDS);
      steady.cancel();
    }
    assertThat(rolledBack.get()).isEqualTo(6);
  }

  @Test
  void oneOrder_isFollowedByWhoeverMayReadIt_andNotByOthers() throws Exception {
    String buyer = unique("buyer");
    Order order = checkout.paid(buyer, unique("seller"));
    FeedWatcher support =
        FeedWatcher.watch(server.ordersAsyncAs("agent-1", SUPPORT), WatchOrderEventsRequest.newBuilder().setOrderId(order.getOrderId()).setResumeToken("0").build());
    assertThat(support.awaitEvents(events -> events.size() >= 2, WAIT)).containsExactlyElementsOf(history(order.getOrderId()));
    support.cancel();

    FeedWatcher stranger =
        FeedWatcher.watch(server.ordersAsyncAs(unique("buyer"), BUYER), WatchOrderEventsRequest.newBuilder().setOrderId(order.getOrderId()).setResumeToken("0").build());
    assertThat(Errors.of(stranger.awaitEnd(WAIT)).code()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(stranger.events()).isEmpty();

    FeedWatcher buyerWantsAll = FeedWatcher.watch(server.ordersAsyncAs(buyer, BUYER), all().build());
    Errors denied = Errors.of(buyerWantsAll.awaitEnd(WAIT));
    assertThat(denied.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(denied.reason()).isEqualTo("EVENTS_READ_REQUIRED");

    FeedWatcher serviceWithoutScope = FeedWatcher.watch(server.ordersAsyncAs("checkout", SERVICE, "orders.read"), all().build());
    assertThat(Errors.of(serviceWithoutScope.awaitEnd(WAIT)).code()).isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  @Test
  void aTypeFilter_letsOnlyThoseTypesThrough() throws Exception {
    String buyer = unique("buyer");
    FeedWatcher cancellations =
        FeedWatcher.watch(
            server.ordersAsyncAs(buyer, BUYER),
            WatchOrderEventsRequest.newBuilder().setScope(Scope.MY_ORDERS).addTypes(OrderEvent.Type.ORDER_CANCELLED).build());
    awaitStarted(cancellations);
    Order order = checkout.placed(buyer, unique("seller"));
    cancel(buyer, order.getOrderId());

    List<OrderEvent> got = cancellations.awaitEvents(events -> !events.isEmpty(), WAIT);
    assertThat(got).extracting(OrderEvent::getType).containsExactly(OrderEvent.Type.ORDER_CANCELLED);
    cancellations.cancel();
  }

  @Test
  void anIdleStream_getsHeartbeatsCarryingHowFarItHasRead() throws Exception {
    FeedWatcher idle = FeedWatcher.watch(server.ordersAsyncAs(unique("buyer"), BUYER), WatchOrderEventsRequest.newBuilder().setScope(Scope.MY_ORDERS).build());
    WatchOrderEventsResponse first = idle.awaitMessage(m -> true, WAIT);
    assertThat(first.hasHeartbeat()).as("the first message says where the stream starts").isTrue();
    long start = Long.parseLong(first.getResumeToken());
    idle.awaitMessage(m -> m != first && m.hasHeartbeat(), WAIT);
    Thread.sleep(FEED.heartbeatInterval().multipliedBy(3).toMillis());
    List<WatchOrderEventsResponse> beats = idle.messages();
    assertThat(beats).hasSizeBetween(3, 6).allMatch(WatchOrderEventsResponse::hasHeartbeat);
    assertThat(beats).allSatisfy(b -> assertThat(Long.parseLong(b.getResumeToken())).isGreaterThanOrEqualTo(start));
    assertThat(idle.events()).isEmpty();
    idle.cancel();
  }

  @Test
  void aConsumerThatStopsReading_isEndedWithAStatus_notBufferedWithoutBound() throws Exception {
    String seller = unique("seller");
    FeedWatcher slow = FeedWatcher.reading(server.ordersAsyncAs(seller, SELLER), WatchOrderEventsRequest.newBuilder().setScope(Scope.MY_ORDERS).build(), 1);
    Thread.sleep(200);
    for (int i = 0; i < FEED.streamBuffer() + 5; i++) {
      checkout.placed(unique("buyer"), seller);
    }
    Errors ended = Errors.of(slow.awaitEnd(WAIT));
    assertThat(ended.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(ended.reason()).isEqualTo("CONSUMER_TOO_SLOW");
  }

  @Test
  void aStreamEnds_whenTheTokenItWasOpenedWithExpires() throws Exception {
    String buyer = unique("buyer");
    String shortLived = server.tokens.issue(buyer, BUYER, List.of(), Duration.ofMinutes(2));
    FeedWatcher watcher =
        FeedWatcher.watch(
            dev.marketplace.orders.v1.OrderServiceGrpc.newStub(server.channel()).withInterceptors(GrpcTestServer.bearer(shortLived)),
            WatchOrderEventsRequest.newBuilder().setScope(Scope.MY_ORDERS).build());
    awaitStarted(watcher);
    Thread.sleep(FEED.heartbeatInterval().multipliedBy(2).toMillis());
    assertThat(watcher.hasEnded()).as("still within the token's life").isFalse();

    server.clock.advance(Duration.ofMinutes(3));
    Errors ended = Errors.of(watcher.awaitEnd(WAIT));
    assertThat(ended.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(ended.reason()).isEqualTo("TOKEN_EXPIRED");
  }

  @Test
  void streamsArePerCallerAndInTotalLimited() throws Exception {
    String buyer = unique("buyer");
    List<FeedWatcher> open = new ArrayList<>();
    for (int i = 0; i < FEED.maxStreamsPerCaller(); i++) {
      open.add(FeedWatcher.watch(server.ordersAsyncAs(buyer, BUYER), WatchOrderEventsRequest.newBuilder().setScope(Scope.MY_ORDERS).build()));
    }
    open.forEach(WatchOrderEventsTest::awaitStartedQuietly);
    FeedWatcher oneTooMany = FeedWatcher.watch(server.ordersAsyncAs(buyer, BUYER), WatchOrderEventsRequest.newBuilder().setScope(Scope.MY_ORDERS).build());
    Errors refused = Errors.of(oneTooMany.awaitEnd(WAIT));
    assertThat(refused.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(refused.reason()).isEqualTo("STREAM_LIMIT_REACHED");
    assertThat(refused.errorInfo().getMetadataMap()).containsEntry("per", "caller");

    String other = unique("buyer");
    for (int i = open.size(); i < FEED.maxStreams(); i++) {
      open.add(FeedWatcher.watch(server.ordersAsyncAs(other + i, BUYER), WatchOrderEventsRequest.newBuilder().setScope(Scope.MY_ORDERS).build()));
    }
    open.forEach(WatchOrderEventsTest::awaitStartedQuietly);
    FeedWatcher overTheTotal = FeedWatcher.watch(server.ordersAsyncAs(unique("buyer"), BUYER), WatchOrderEventsRequest.newBuilder().setScope(Scope.MY_ORDERS).build());
    assertThat(Errors.of(overTheTotal.awaitEnd(WAIT)).errorInfo().getMetadataMap()).containsEntry("per", "server");

    open.get(0).cancel();
    awaitOpen(FEED.maxStreams() - 1);
    FeedWatcher afterOneLeft = FeedWatcher.watch(server.ordersAsyncAs(buyer, BUYER), WatchOrderEventsRequest.newBuilder().setScope(Scope.MY_ORDERS).build());
    awaitStarted(afterOneLeft);
    assertThat(afterOneLeft.hasEnded()).isFalse();
    afterOneLeft.cancel();
    open.forEach(FeedWatcher::cancel);
    awaitOpen(0);
  }

  @Test
  void badRequests_areRefusedWithTheFieldsNamed() throws Exception {
    String buyer = unique("buyer");
    for (WatchOrderEventsRequest request :
        List.of(
            WatchOrderEventsRequest.newBuilder().setScope(Scope.ORDER).build(),
            WatchOrderEventsRequest.newBuilder().setResumeToken("-1").build(),
            WatchOrderEventsRequest.newBuilder().setResumeToken("99999999999999999999").build(),
            WatchOrderEventsRequest.newBuilder().setResumeToken("9000000000000000000").build(),
            WatchOrderEventsRequest.newBuilder().setResumeToken("9999999999999999999").build(),
            WatchOrderEventsRequest.newBuilder().setResumeToken(" 1").build(),
            WatchOrderEventsRequest.newBuilder().setResumeToken("01").build(),
            WatchOrderEventsRequest.newBuilder().setScope(Scope.MY_ORDERS).setOrderId(UUID.randomUUID().toString()).build(),
            WatchOrderEventsRequest.newBuilder().addTypes(OrderEvent.Type.TYPE_UNSPECIFIED).build())) {
      Errors refused = Errors.of(FeedWatcher.watch(server.ordersAsyncAs(buyer, BUYER), request).awaitEnd(WAIT));
      assertThat(refused.code()).as(request.toString()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(refused.violatedFields()).as(request.toString()).isNotEmpty();
    }
    FeedWatcher support = FeedWatcher.watch(server.ordersAsyncAs("agent-1", SUPPORT), WatchOrderEventsRequest.newBuilder().setScope(Scope.MY_ORDERS).build());
    assertThat(Errors.of(support.awaitEnd(WAIT)).violatedFields()).containsExactly("scope");
    FeedWatcher unknownScope = FeedWatcher.watch(server.ordersAsyncAs(buyer, BUYER), WatchOrderEventsRequest.newBuilder().setScopeValue(7).build());
    assertThat(Errors.of(unknownScope.awaitEnd(WAIT)).violatedFields()).as("only the scope is wrong").containsExactly("scope");
  }

  // --- helpers

  private static WatchOrderEventsRequest.Builder all() {
    return WatchOrderEventsRequest.newBuilder().setScope(Scope.ALL_ORDERS);
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The order's history as ListOrderEvents shows it: the same messages the feed carries. */
  private static List<OrderEvent> history(String orderId) {
    return server.ordersAs("support-1", SUPPORT).listOrderEvents(ListOrderEventsRequest.newBuilder().setOrderId(orderId).setPageSize(100).build()).getEventsList();
  }

  private static void cancel(String buyer, String orderId) {
    server.cancellationsAs(buyer, BUYER)
        .cancelOrder(
            CancelOrderRequest.newBuilder().setRequestId(Requests.newId()).setOrderId(orderId).setReason(CancellationReason.Code.ORDERED_BY_ACCIDENT).build());
  }

  /** A stream counts as started once the server holds it open (its slot taken). */
  private static void awaitStarted(FeedWatcher watcher) throws InterruptedException {
    long end = System.nanoTime() + WAIT.toNanos();
    EventStreams streams = server.injector.getInstance(EventStreams.class);
    int before = -1;
    while (System.nanoTime() < end && !watcher.hasEnded()) {
      // A heartbeat or any message proves it; otherwise give the server a moment to register it.
      if (!watcher.messages().isEmpty() || streams.open() > 0 && before >= 0) {
        Thread.sleep(2 * FEED.pollInterval().toMillis());
        return;
      }
      before = streams.open();
      Thread.sleep(20);
    }
    if (watcher.hasEnded()) {
      throw new AssertionError("the stream ended at once");
    }
  }

  private static void awaitStartedQuietly(FeedWatcher watcher) {
    try {
      awaitStarted(watcher);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static void awaitOpen(int expected) throws InterruptedException {
    EventStreams streams = server.injector.getInstance(EventStreams.class);
    long end = System.nanoTime() + WAIT.toNanos();
    while (streams.open() != expected && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertThat(streams.open()).isEqualTo(expected);
  }


  private static List<OrderEvent> expectedFor(List<Future<String>> placed) throws Exception {
    List<OrderEvent> expected = new ArrayList<>();
    for (Future<String> id : placed) {
      expected.addAll(history(id.get()));
    }
    expected.sort((a, b) -> Long.compare(a.getPosition(), b.getPosition()));
    return expected;
  }

  /**
   * A write of the service's own kind (an entry appended to an order's history under its row lock)
   * whose transaction stays open until told to commit or roll back: its position is taken, its row
   * written, and nothing committed yet.
   */
  private static final class HeldWrite {
    private final CountDownLatch written = new CountDownLatch(1);
    private final CountDownLatch decided = new CountDownLatch(1);
    private volatile boolean commit;
    private Future<?> transaction;

    static HeldWrite start(UUID orderId) throws InterruptedException {
      HeldWrite write = new HeldWrite();
      Transactor transactor = server.injector.getInstance(Transactor.class);
      write.transaction =
          Executors.newSingleThreadExecutor()
              .submit(
                  () ->
                      transactor.inTransaction(
                          uow -> {
                            uow.orders().lockForUpdate(orderId).orElseThrow();
                            uow.events()
                                .append(orderId, OrderEventType.SUPPORT_CASE_ASSIGNED, "agent-9", Role.SUPPORT, server.clock.instant(), OrderState.AWAITING_PAYMENT, Map.of("note", "held"));
                            uow.events().page(orderId, 0, 1); // writes the entry now: its position is taken
                            write.written.countDown();
                            try {
                              write.decided.await();
                            } catch (InterruptedException e) {
                              throw new IllegalStateException(e);
                            }
                            if (!write.commit) {
                              throw new IllegalStateException("rolled back on purpose");
                            }
                            return null;
                          }));
      if (!write.written.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("the held write did not start");
      }
      return write;
    }

    void commit() throws Exception {
      commit = true;
      decided.countDown();
      transaction.get(10, TimeUnit.SECONDS);
    }

    void rollBack() throws Exception {
      decided.countDown();
      assertThatThrownBy(() -> transaction.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("rolled back on purpose");
    }
  }
}
