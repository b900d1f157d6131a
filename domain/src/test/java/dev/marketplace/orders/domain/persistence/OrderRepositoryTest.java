package dev.marketplace.orders.domain.persistence;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.domain.error.ConcurrentChangeException;
import dev.marketplace.orders.domain.order.LineItem;
import dev.marketplace.orders.domain.order.NewOrder;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderCursor;
import dev.marketplace.orders.domain.order.OrderQuery;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.order.ShippingAddress;
import dev.marketplace.orders.domain.order.TimeOrderedIds;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.payment.PaymentMethod;
import dev.marketplace.orders.domain.testing.Await;
import dev.marketplace.orders.domain.testing.Rows;
import dev.marketplace.orders.domain.testing.SampleOrders;
import dev.marketplace.orders.domain.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OrderRepositoryTest {

  private static final Instant T0 = Instant.parse("2026-11-26T10:15:30.123456Z");
  private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

  private static HikariDataSource dataSource;
  private static Transactor transactor;

  @BeforeAll
  static void database() {
    dataSource = TestDatabase.migratedDataSource();
    transactor = new Transactor(DSL.using(dataSource, SQLDialect.MARIADB), CLOCK);
  }

  @AfterAll
  static void closeDatabase() {
    dataSource.close();
  }

  @Test
  void insertedOrderReadsBackEqual() {
    Order order = Order.place(new TimeOrderedIds(CLOCK).next(), SampleOrders.newOrder("buyer-1", "seller-1"), T0);

    insert(order);

    assertThat(find(order.id())).contains(order);
  }

  @Test
  void orderWithSeveralLinesVariantsAndUnicodeText_readsBackEqualWithLinesInOrder() {
    NewOrder request =
        new NewOrder(
            "käufer-ß-1",
            "店铺-42",
            List.of(
                new LineItem(
                    "SKU-TEE",
                    "T-shirt « Café » – 漢字 😀",
                    Map.of("größe", "XL", "colour", "bleu ciel", "サイズ", "大", "quote", "say \"hi\" \\ / ok"),
                    3,
                    new Money("EUR", 1999)),
                new LineItem("SKU-MUG", "Mug", Map.of(), 1, new Money("EUR", 850)),
                new LineItem("SKU-CAP", "Casquette 🧢", Map.of("colour", "noir"), 2, new Money("EUR", 1200))),
            new ShippingAddress(
                "Zoë Ørsted-Łukasiewicz",
                List.of("Rue de l'Église 7", "Bâtiment B 🏢", "3ᵉ étage"),
                "Zürich",
                "",
                "8001",
                "CH",
                ""),
            PaymentMethod.ALIPAY);
    Order order = Order.place(UUID.randomUUID(), request, T0);

    insert(order);
    Order read = find(order.id()).orElseThrow();

    assertThat(read).isEqualTo(order);
    assertThat(read.lineItems()).extracting(LineItem::sku).containsExactly("SKU-TEE", "SKU-MUG", "SKU-CAP");
    assertThat(read.lineItems().get(0).title()).isEqualTo("T-shirt « Café » – 漢字 😀");
    assertThat(read.lineItems().get(0).variantAttributes())
        .containsEntry("サイズ", "大")
        .containsEntry("quote", "say \"hi\" \\ / ok");
    assertThat(read.shippingAddress().addressLines()).containsExactly("Rue de l'Église 7", "Bâtiment B 🏢", "3ᵉ étage");
    assertThat(read.total()).isEqualTo(new Money("EUR", 3 * 1999 + 850 + 2 * 1200));
  }

  @Test
  void addressWithoutLines_readsBackAsEmptyList() {
    NewOrder request =
        new NewOrder(
            "buyer-1",
            "seller-1",
            SampleOrders.newOrder("buyer-1", "seller-1").lineItems(),
            new ShippingAddress("Bo", List.of(), "Oslo", "", "0150", "NO", ""),
            PaymentMethod.WALLET);
    Order order = Order.place(UUID.randomUUID(), request, T0);

    insert(order);

    assertThat(find(order.id()).orElseThrow().shippingAddress().addressLines()).isEmpty();
  }

  @Test
  void unknownOrder_isNotFound() {
    assertThat(find(UUID.randomUUID())).isEmpty();
    assertThat(lock(UUID.randomUUID())).isEmpty();
  }

  @Test
  void updatedPaymentAndShipment_readBackEqual() {
    Order placed = Order.place(UUID.randomUUID(), SampleOrders.newOrder("buyer-1", "seller-1"), T0);
    insert(placed);
    Order paid = placed.capturePayment("pay-ref-1", T0.plusSeconds(60));
    Order shipped = paid.ship("DHL", "JD0146", T0.plusSeconds(120));
    Order delivered = shipped.confirmDelivery(T0.plusSeconds(180));

    for (Order next : List.of(paid, shipped, delivered)) {
      transactor.inTransaction(uow -> { uow.orders().update(next); return null; });
      assertThat(find(placed.id())).contains(next);
    }
  }

  @Test
  void updateFromAStaleVersion_throwsConcurrentChangeAndKeepsTheStoredOrder() {
    Order placed = Order.place(UUID.randomUUID(), SampleOrders.newOrder("buyer-1", "seller-1"), T0);
    insert(placed);
    Order processing = placed.startPaymentVerification(T0.plusSeconds(1));
    transactor.inTransaction(uow -> { uow.orders().update(processing); return null; });
    Order capturedFromStaleRead = placed.capturePayment("pay-stale", T0.plusSeconds(2));

    ConcurrentChangeException refused =
        thrown(
            ConcurrentChangeException.class,
            () -> transactor.inTransaction(uow -> { uow.orders().update(capturedFromStaleRead); return null; }));

    assertThat(refused.reason()).isEqualTo("ORDER_CHANGED_CONCURRENTLY");
    assertThat(refused.metadata()).containsEntry("orderId", placed.id().toString());
    assertThat(find(placed.id())).contains(processing);
  }

  @Test
  void updateOfAnOrderThatWasNeverInserted_throwsConcurrentChange() {
    Order ghost = Order.place(UUID.randomUUID(), SampleOrders.newOrder("buyer-1", "seller-1"), T0)
        .startPaymentVerification(T0.plusSeconds(1));

    assertThatThrownBy(() -> transactor.inTransaction(uow -> { uow.orders().update(ghost); return null; }))
        .isInstanceOf(ConcurrentChangeException.class);
  }

  @Test
  void lockForUpdate_makesASecondLockerWaitUntilTheFirstCommits_andThenSeeItsChange() throws Exception {
    Order placed = Order.place(UUID.randomUUID(), SampleOrders.newOrder("buyer-1", "seller-1"), T0);
    insert(placed);
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);

    CompletableFuture<Void> first =
        CompletableFuture.runAsync(
            () ->
                transactor.inTransaction(
                    uow -> {
                      Order read = uow.orders().lockForUpdate(placed.id()).orElseThrow();
                      locked.countDown();
                      await(release);
                      uow.orders().update(read.startPaymentVerification(T0.plusSeconds(5)));
                      return null;
                    }));
    assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Order> second =
        CompletableFuture.supplyAsync(
            () -> transactor.inTransaction(uow -> uow.orders().lockForUpdate(placed.id()).orElseThrow()));

    Await.until("the second locker to wait for the row lock", Duration.ofSeconds(10), () -> Rows.lockWaits(dataSource) == 1);
    assertThat(second).as("second lock must wait for the first transaction").isNotDone();
    release.countDown();
    first.get(10, TimeUnit.SECONDS);
    Order seenBySecond = second.get(10, TimeUnit.SECONDS);

    assertThat(seenBySecond.state()).isEqualTo(OrderState.PAYMENT_PROCESSING);
    assertThat(seenBySecond.version()).isEqualTo(2);
  }

  @Test
  void lockForUpdate_readsTheWholeOrderLikeFind() {
    Order order = SampleOrders.inState(OrderState.SHIPPED, UUID.randomUUID(), "buyer-1", "seller-1", T0);
    insert(order);

    assertThat(lock(order.id())).contains(order);
  }

  /** One buyer's 25 orders with distinct creation times, plus orders of other buyers and sellers. */
  @Test
  void pagesOfABuyer_areNewestFirstAndChainWithoutGapsOrRepeats() {
    Fixture f = Fixture.create("page-buyer", "page-other");

    List<Order> seen = pageAll(f.query(Optional.of(f.buyer), Optional.empty(), Set.of()), 10, List.of(10, 10, 5));

    assertThat(seen).containsExactlyElementsOf(f.expected(o -> o.buyerId().equals(f.buyer)));
  }

  @Test
  void stateFilter_returnsOnlyOrdersInThoseStates_newestFirstAcrossPages() {
    Fixture f = Fixture.create("state-buyer", "state-other");
    Set<OrderState> states = Set.of(OrderState.SHIPPED, OrderState.DELIVERED);
    List<Order> expected =
        f.expected(o -> o.buyerId().equals(f.buyer) && states.contains(o.state()));

    List<Order> seen = pageAll(f.query(Optional.of(f.buyer), Optional.empty(), states), 4, null);

    assertThat(expected).hasSize(10);
    assertThat(seen).containsExactlyElementsOf(expected);
  }

  @Test
  void sellerFilter_listsThatSellersOrdersOfEveryBuyer_newestFirst() {
    Fixture f = Fixture.create("seller-buyer", "seller-other");

    List<Order> seen = pageAll(f.query(Optional.empty(), Optional.of(f.sellerA), Set.of()), 7, null);

    List<Order> expected = f.expected(o -> o.sellerId().equals(f.sellerA));
    assertThat(expected).extracting(Order::buyerId).contains(f.buyer, f.otherBuyer);
    assertThat(seen).containsExactlyElementsOf(expected);
  }

  @Test
  void buyerAndSellerFilterTogether_returnOnlyOrdersMatchingBoth() {
    Fixture f = Fixture.create("both-buyer", "both-other");

    List<Order> seen = pageAll(f.query(Optional.of(f.buyer), Optional.of(f.sellerB), Set.of()), 100, null);

    List<Order> expected = f.expected(o -> o.buyerId().equals(f.buyer) && o.sellerId().equals(f.sellerB));
    assertThat(expected).isNotEmpty();
    assertThat(seen).containsExactlyElementsOf(expected);
  }

  @Test
  void ordersCreatedInTheSameMicrosecond_pageByIdWithoutLossOrRepeat() {
    String buyer = "tie-buyer-" + UUID.randomUUID();
    List<Order> orders = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      orders.add(SampleOrders.inState(OrderState.AWAITING_PAYMENT, UUID.randomUUID(), buyer, "seller-tie", T0));
    }
    orders.forEach(OrderRepositoryTest::insert);

    List<Order> seen =
        pageAll(new OrderQuery(Optional.of(buyer), Optional.empty(), Set.of(), Optional.empty(), 2), 2, null);

    assertThat(seen).containsExactlyElementsOf(newestFirst(orders));
  }

  @Test
  void pageWithoutBuyerOrSeller_isRefused() {
    OrderQuery unkeyed = new OrderQuery(Optional.empty(), Optional.empty(), Set.of(), Optional.empty(), 10);

    assertThatThrownBy(() -> transactor.inTransaction(uow -> uow.orders().page(unkeyed, 10)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Follows cursors from the first page to the last; checks page sizes when {@code expectedSizes} is given. */
  private static List<Order> pageAll(OrderQuery first, int limit, List<Integer> expectedSizes) {
    List<Order> all = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    Optional<OrderCursor> after = Optional.empty();
    while (true) {
      OrderQuery q = new OrderQuery(first.buyerId(), first.sellerId(), first.states(), after, first.pageSize());
      List<Order> page = transactor.inTransaction(uow -> uow.orders().page(q, limit));
      sizes.add(page.size());
      all.addAll(page);
      if (page.size() < limit) {
        break;
      }
      after = Optional.of(OrderCursor.after(page.get(page.size() - 1)));
      assertThat(sizes).as("runaway paging").hasSizeLessThan(100);
    }
    if (expectedSizes != null) {
      assertThat(sizes).isEqualTo(expectedSizes);
    }
    return all;
  }

  /** Newest first; equal creation times by id, descending in the unsigned byte order the database uses. */
  private static List<Order> newestFirst(List<Order> orders) {
    Comparator<UUID> byStoredBytes =
        Comparator.<UUID>comparingLong(id -> id.getMostSignificantBits() ^ Long.MIN_VALUE)
            .thenComparingLong(id -> id.getLeastSignificantBits() ^ Long.MIN_VALUE);
    return orders.stream()
        .sorted(Comparator.comparing(Order::createdAt).thenComparing(Order::id, byStoredBytes).reversed())
        .toList();
  }

  private record Fixture(String buyer, String otherBuyer, String sellerA, String sellerB, List<Order> all) {

    private static final OrderState[] CYCLE = {
      OrderState.AWAITING_PAYMENT, OrderState.AWAITING_SHIPMENT, OrderState.SHIPPED, OrderState.DELIVERED, OrderState.CANCELLED
    };

    /**
     * 25 orders of {@code buyer} a minute apart (random ids, so id order says nothing about age),
     * states cycling through five values, sellers A and B alternating unevenly; 6 orders of another
     * buyer from seller A interleaved in time; inserted in random order.
     */
    static Fixture create(String buyerPrefix, String otherPrefix) {
      String suffix = UUID.randomUUID().toString().substring(0, 8);
      String buyer = buyerPrefix + "-" + suffix;
      String other = otherPrefix + "-" + suffix;
      String sellerA = "seller-a-" + suffix;
      String sellerB = "seller-b-" + suffix;
      List<Order> all = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        all.add(
            SampleOrders.inState(
                CYCLE[i % CYCLE.length],
                UUID.randomUUID(),
                buyer,
                i % 3 == 0 ? sellerB : sellerA,
                T0.plus(Duration.ofMinutes(i)).plusNanos(1000L * i)));
      }
      for (int i = 0; i < 6; i++) {
        all.add(
            SampleOrders.inState(
                OrderState.AWAITING_SHIPMENT, UUID.randomUUID(), other, sellerA, T0.plus(Duration.ofMinutes(4 * i)).plusSeconds(30)));
      }
      List<Order> shuffled = new ArrayList<>(all);
      Collections.shuffle(shuffled, new Random(7));
      shuffled.forEach(OrderRepositoryTest::insert);
      return new Fixture(buyer, other, sellerA, sellerB, List.copyOf(all));
    }

    OrderQuery query(Optional<String> buyerId, Optional<String> sellerId, Set<OrderState> states) {
      return new OrderQuery(buyerId, sellerId, states, Optional.empty(), OrderQuery.MAX_PAGE_SIZE);
    }

    List<Order> expected(Predicate<Order> filter) {
      return newestFirst(all.stream().filter(filter).toList());
    }
  }

  private static void insert(Order order) {
    transactor.inTransaction(uow -> { uow.orders().insert(order); return null; });
  }

  private static Optional<Order> find(UUID id) {
    return transactor.inTransaction(uow -> uow.orders().find(id));
  }

  private static Optional<Order> lock(UUID id) {
    return transactor.inTransaction(uow -> uow.orders().lockForUpdate(id));
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("test latch timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
