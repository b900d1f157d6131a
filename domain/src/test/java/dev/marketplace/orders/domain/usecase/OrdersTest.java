package dev.marketplace.orders.domain.usecase;

import dev.marketplace.orders.domain.order.NewOrder;
import dev.marketplace.orders.domain.order.OrderPage;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.order.PaymentCapture;
import dev.marketplace.orders.domain.order.Shipment;

import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderCursor;
import dev.marketplace.orders.domain.order.OrderQuery;
import dev.marketplace.orders.domain.order.PaymentReport;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.error.AccessDeniedException;
import dev.marketplace.orders.domain.error.ConcurrentChangeException;
import dev.marketplace.orders.domain.error.FieldViolation;
import dev.marketplace.orders.domain.error.InvalidRequestException;
import dev.marketplace.orders.domain.error.NotFoundException;
import dev.marketplace.orders.domain.error.RequestIdReusedException;
import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.history.OrderEvent;
import dev.marketplace.orders.domain.history.OrderEventPage;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.idempotency.IdempotencyKey;
import dev.marketplace.orders.domain.idempotency.ResponseFormat;
import dev.marketplace.orders.domain.order.PaymentReport.Outcome;
import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.testing.MutableClock;
import dev.marketplace.orders.domain.testing.SampleOrders;
import dev.marketplace.orders.domain.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The order use cases against MariaDB; every test uses its own buyer and seller so tests share one database. */
class OrdersTest {

  /** Nanoseconds on purpose: the database keeps microseconds, and what a call returns must equal what it stored. */
  private static final Instant T0 = Instant.parse("2026-11-26T10:15:30.123456789Z");

  /** What the edge would return: enough of the order to tell one response from another. */
  private static final ResponseFormat<Order, String> FORMAT =
      new ResponseFormat<>() {
        @Override
        public String render(Order order) {
          return order.id() + "/" + order.version() + "/" + order.state() + "/" + order.updatedAt();
        }

        @Override
        public byte[] serialize(String response) {
          return response.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String deserialize(byte[] stored) {
          return new String(stored, StandardCharsets.UTF_8);
        }
      };

  private static HikariDataSource dataSource;

  private MutableClock clock;
  private Orders orders;
  private Principal buyer;
  private Principal seller;
  private Principal payments;

  @BeforeAll
  static void database() {
    dataSource = TestDatabase.migratedDataSource();
  }

  @AfterAll
  static void closeDatabase() {
    dataSource.close();
  }

  @BeforeEach
  void useCases() {
    clock = new MutableClock(T0);
    orders = new Orders(new Transactor(DSL.using(dataSource, SQLDialect.MARIADB), clock), clock);
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    buyer = Principal.of("buyer-" + suffix, Role.BUYER);
    seller = Principal.of("seller-" + suffix, Role.SELLER);
    payments = new Principal("payments", Role.SERVICE, Set.of("orders.payments"));
  }

  // --- create and idempotency -------------------------------------------------------------------

  @Test
  void creatingAnOrder_storesItAwaitingPaymentAndRecordsOrderCreated() {
    String response = create(buyer, seller);
    UUID id = idOf(response);

    Order stored = orders.get(buyer, id);
    assertThat(FORMAT.render(stored)).as("the response describes what was stored").isEqualTo(response);
    assertThat(stored.state()).isEqualTo(OrderState.AWAITING_PAYMENT);
    assertThat(stored.version()).isEqualTo(1);
    assertThat(stored.createdAt()).isEqualTo(T0.truncatedTo(ChronoUnit.MICROS));
    assertThat(stored.buyerId()).isEqualTo(buyer.subject());
    assertThat(stored.sellerId()).isEqualTo(seller.subject());
    assertThat(stored.total()).isEqualTo(SampleOrders.TOTAL);
    assertThat(id.version()).isEqualTo(7);

    List<OrderEvent> history = orders.history(buyer, id, 0, 10).events();
    assertThat(history).hasSize(1);
    OrderEvent created = history.get(0);
    assertThat(created.sequence()).isEqualTo(1);
    assertThat(created.type()).isEqualTo(OrderEventType.ORDER_CREATED);
    assertThat(created.actorSubject()).isEqualTo(buyer.subject());
    assertThat(created.actorRole()).isEqualTo(Role.BUYER);
    assertThat(created.occurredAt()).isEqualTo(stored.createdAt());
    assertThat(created.orderState()).isEqualTo(OrderState.AWAITING_PAYMENT);
    assertThat(created.details())
        .containsExactlyInAnyOrderEntriesOf(Map.of("total", "2498", "currencyCode", "USD", "lineCount", "2"));
  }

  @Test
  void retryWithTheSameRequestId_returnsTheFirstResponseAndCreatesNothingNew() {
    NewOrder request = SampleOrders.newOrder(buyer.subject(), seller.subject());
    IdempotencyKey key = key(buyer, "CreateOrder", request);
    String first = orders.create(buyer, key, request, FORMAT);

    clock.advance(Duration.ofMinutes(3));
    String retry = orders.create(buyer, key, request, FORMAT);

    assertThat(retry).isEqualTo(first);
    assertThat(countOrdersOf(buyer.subject())).isEqualTo(1);
    assertThat(countEvents(idOf(first))).isEqualTo(1);
    assertThat(countIdempotencyRecords(key)).isEqualTo(1);
  }

  @Test
  void sameCallerAndRequestIdWithADifferentRequest_isRefusedAsReused() {
    NewOrder request = SampleOrders.newOrder(buyer.subject(), seller.subject());
    IdempotencyKey key = key(buyer, "CreateOrder", request);
    orders.create(buyer, key, request, FORMAT);
    NewOrder otherRequest = SampleOrders.newOrder(buyer.subject(), "another-seller");
    IdempotencyKey reused = new IdempotencyKey(key.caller(), key.callId(), "CreateOrder", fingerprint(otherRequest));

    RequestIdReusedException refused =
        thrown(RequestIdReusedException.class, () -> orders.create(buyer, reused, otherRequest, FORMAT));

    assertThat(refused.reason()).isEqualTo("REQUEST_ID_REUSED");
    assertThat(refused.metadata()).containsEntry("requestId", key.callId().toString());
    assertThat(countOrdersOf(buyer.subject())).isEqualTo(1);
  }

  @Test
  void requestIdOfACreateReusedForAnotherOperation_isRefusedAsReused() {
    NewOrder request = SampleOrders.newOrder(buyer.subject(), seller.subject());
    IdempotencyKey createKey = key(buyer, "CreateOrder", request);
    UUID id = idOf(orders.create(buyer, createKey, request, FORMAT));
    IdempotencyKey sameIdForAShip =
        new IdempotencyKey(createKey.caller(), createKey.callId(), "ShipOrder", createKey.fingerprint());

    RequestIdReusedException refused =
        thrown(
            RequestIdReusedException.class,
            () -> orders.ship(buyer, sameIdForAShip, id, "DHL", "1", OptionalInt.empty(), FORMAT));

    assertThat(refused.metadata()).containsEntry("requestId", createKey.callId().toString());
    assertThat(countEvents(id)).isEqualTo(1);
  }

  @Test
  void differentCallersUsingTheSameRequestId_getIndependentOrders() {
    Principal otherBuyer = Principal.of(buyer.subject() + "-other", Role.BUYER);
    UUID sharedCallId = UUID.randomUUID();
    byte[] sameFingerprint = sha256("identical payload");
    IdempotencyKey mine = new IdempotencyKey(buyer.idempotencyNamespace(), sharedCallId, "CreateOrder", sameFingerprint);
    IdempotencyKey theirs =
        new IdempotencyKey(otherBuyer.idempotencyNamespace(), sharedCallId, "CreateOrder", sameFingerprint);

    String myResponse = orders.create(buyer, mine, SampleOrders.newOrder(buyer.subject(), seller.subject()), FORMAT);
    String theirResponse =
        orders.create(otherBuyer, theirs, SampleOrders.newOrder(otherBuyer.subject(), seller.subject()), FORMAT);

    assertThat(idOf(theirResponse)).isNotEqualTo(idOf(myResponse));
    assertThat(countOrdersOf(buyer.subject())).isEqualTo(1);
    assertThat(countOrdersOf(otherBuyer.subject())).isEqualTo(1);
    assertThat(orders.get(otherBuyer, idOf(theirResponse)).buyerId()).isEqualTo(otherBuyer.subject());
  }

  @Test
  void sixteenConcurrentCreatesWithOneRequestId_createExactlyOneOrderAndAllAnswerTheSame() throws Exception {
    NewOrder request = SampleOrders.newOrder(buyer.subject(), seller.subject());
    IdempotencyKey key = key(buyer, "CreateOrder", request);
    int callers = 16;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      List<Callable<String>> calls = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        calls.add(
            () -> {
              start.await();
              return orders.create(buyer, key, request, FORMAT);
            });
      }
      List<Future<String>> futures = new ArrayList<>();
      for (Callable<String> call : calls) {
        futures.add(pool.submit(call));
      }
      start.countDown();
      List<String> responses = new ArrayList<>();
      for (Future<String> f : futures) {
        responses.add(f.get(30, TimeUnit.SECONDS));
      }

      assertThat(responses).hasSize(callers).containsOnly(responses.get(0));
      assertThat(countOrdersOf(buyer.subject())).isEqualTo(1);
      assertThat(countEvents(idOf(responses.get(0)))).isEqualTo(1);
      assertThat(orders.get(buyer, idOf(responses.get(0))).version()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRefusedCallLeavesNoIdempotencyRecord_soItsRetrySucceedsOnceTheStateAllows() {
    UUID id = idOf(create(buyer, seller));
    IdempotencyKey shipKey = key(seller, "ShipOrder", id + "/DHL/JD1");

    StateConflictException refused =
        thrown(
            StateConflictException.class,
            () -> orders.ship(seller, shipKey, id, "DHL", "JD1", OptionalInt.empty(), FORMAT));
    assertThat(refused.reason()).isEqualTo("INVALID_STATE_TRANSITION");
    assertThat(refused.metadata()).containsEntry("orderState", "AWAITING_PAYMENT").containsEntry("targetState", "SHIPPED");
    assertThat(countIdempotencyRecords(shipKey)).isZero();
    assertThat(countEvents(id)).isEqualTo(1);

    capture(id, SampleOrders.TOTAL);
    String shipped = orders.ship(seller, shipKey, id, "DHL", "JD1", OptionalInt.empty(), FORMAT);

    assertThat(shipped).isEqualTo(FORMAT.render(orders.get(seller, id)));
    assertThat(orders.get(seller, id).state()).isEqualTo(OrderState.SHIPPED);
    assertThat(countIdempotencyRecords(shipKey)).isEqualTo(1);
  }

  @Test
  void retryOfAShipAfterTheOrderMovedOn_stillAnswersTheFirstResponse() {
    UUID id = paidOrder();
    IdempotencyKey shipKey = key(seller, "ShipOrder", id + "/UPS/1Z");
    String first = orders.ship(seller, shipKey, id, "UPS", "1Z", OptionalInt.empty(), FORMAT);
    clock.advance(Duration.ofDays(2));
    orders.confirmDelivery(payments, key(payments, "ConfirmDelivery", id), id, OptionalInt.empty(), FORMAT);

    String retry = orders.ship(seller, shipKey, id, "UPS", "1Z", OptionalInt.empty(), FORMAT);

    assertThat(retry).isEqualTo(first).contains("/SHIPPED/");
    assertThat(orders.get(seller, id).state()).isEqualTo(OrderState.DELIVERED);
    assertThat(countEvents(id)).isEqualTo(4);
  }

  // --- payments ---------------------------------------------------------------------------------

  @Test
  void paymentProcessing_movesTheOrderToPaymentProcessing() {
    UUID id = idOf(create(buyer, seller));
    clock.advance(Duration.ofSeconds(10));

    String response = report(new PaymentReport(id, Outcome.PROCESSING, "", null, ""));

    Order order = orders.get(buyer, id);
    assertThat(response).isEqualTo(FORMAT.render(order));
    assertThat(order.state()).isEqualTo(OrderState.PAYMENT_PROCESSING);
    assertThat(order.version()).isEqualTo(2);
    assertThat(order.updatedAt()).isEqualTo(clock.instant().truncatedTo(ChronoUnit.MICROS));
    assertThat(lastEvent(id))
        .extracting(OrderEvent::type, OrderEvent::actorSubject, OrderEvent::actorRole, OrderEvent::orderState)
        .containsExactly(OrderEventType.PAYMENT_PROCESSING, "payments", Role.SERVICE, OrderState.PAYMENT_PROCESSING);
  }

  @Test
  void paymentCapturedForTheExactTotal_movesTheOrderToAwaitingShipmentWithTheCapture() {
    UUID id = idOf(create(buyer, seller));
    report(new PaymentReport(id, Outcome.PROCESSING, "", null, ""));
    Instant capturedAt = clock.advance(Duration.ofSeconds(30)).truncatedTo(ChronoUnit.MICROS);

    report(new PaymentReport(id, Outcome.CAPTURED, "psp-ref-77", SampleOrders.TOTAL, ""));

    Order order = orders.get(buyer, id);
    assertThat(order.state()).isEqualTo(OrderState.AWAITING_SHIPMENT);
    assertThat(order.version()).isEqualTo(3);
    assertThat(order.payment()).isEqualTo(new PaymentCapture("psp-ref-77", capturedAt));
    OrderEvent captured = lastEvent(id);
    assertThat(captured.type()).isEqualTo(OrderEventType.PAYMENT_CAPTURED);
    assertThat(captured.sequence()).isEqualTo(3);
    assertThat(captured.details())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("paymentReference", "psp-ref-77", "amount", "2498", "currencyCode", "USD"));
  }

  @Test
  void paymentCapturedForAnotherAmountOrCurrency_isRefusedOnFieldAmountAndChangesNothing() {
    UUID id = idOf(create(buyer, seller));

    for (Money wrong : List.of(new Money("USD", 2497), new Money("USD", 2499), new Money("EUR", 2498))) {
      InvalidRequestException refused =
          thrown(
              InvalidRequestException.class,
              () -> report(new PaymentReport(id, Outcome.CAPTURED, "psp-ref", wrong, "")));

      assertThat(refused.violations()).extracting(FieldViolation::field).as("for %s", wrong).containsExactly("amount");
    }
    Order order = orders.get(buyer, id);
    assertThat(order.state()).isEqualTo(OrderState.AWAITING_PAYMENT);
    assertThat(order.version()).isEqualTo(1);
    assertThat(order.payment()).isNull();
    assertThat(countEvents(id)).isEqualTo(1);
  }

  @Test
  void paymentFailedWhileProcessing_returnsTheOrderToAwaitingPaymentAndRecordsWhy() {
    UUID id = idOf(create(buyer, seller));
    report(new PaymentReport(id, Outcome.PROCESSING, "", null, ""));

    report(new PaymentReport(id, Outcome.FAILED, "", null, "card declined – carte refusée"));

    Order order = orders.get(buyer, id);
    assertThat(order.state()).isEqualTo(OrderState.AWAITING_PAYMENT);
    assertThat(order.version()).isEqualTo(3);
    assertThat(lastEvent(id).type()).isEqualTo(OrderEventType.PAYMENT_FAILED);
    assertThat(lastEvent(id).details()).containsExactlyEntriesOf(Map.of("failureReason", "card declined – carte refusée"));
  }

  @Test
  void paymentFailedWithoutAReason_recordsNoDetails() {
    UUID id = idOf(create(buyer, seller));
    report(new PaymentReport(id, Outcome.PROCESSING, "", null, ""));

    report(new PaymentReport(id, Outcome.FAILED, "", null, ""));

    assertThat(lastEvent(id).details()).isEmpty();
  }

  @Test
  void paymentFailedForAnOrderNotBeingVerified_isRefusedWithCurrentState() {
    UUID id = idOf(create(buyer, seller));

    StateConflictException refused =
        thrown(
            StateConflictException.class, () -> report(new PaymentReport(id, Outcome.FAILED, "", null, "x")));

    assertThat(refused.metadata()).containsEntry("orderState", "AWAITING_PAYMENT").containsEntry("targetState", "AWAITING_PAYMENT");
    assertThat(countEvents(id)).isEqualTo(1);
  }

  // --- ship and deliver with etags --------------------------------------------------------------

  @Test
  void shipWithTheCurrentVersion_shipsAndRecordsCarrierAndTracking() {
    UUID id = paidOrder();
    Instant shippedAt = clock.advance(Duration.ofHours(5)).truncatedTo(ChronoUnit.MICROS);

    String response =
        orders.ship(seller, key(seller, "ShipOrder", id), id, "DHL", "JD014600006281", OptionalInt.of(2), FORMAT);

    Order order = orders.get(seller, id);
    assertThat(response).isEqualTo(FORMAT.render(order));
    assertThat(order.state()).isEqualTo(OrderState.SHIPPED);
    assertThat(order.version()).isEqualTo(3);
    assertThat(order.shipment()).isEqualTo(new Shipment("DHL", "JD014600006281", shippedAt, null));
    assertThat(lastEvent(id))
        .extracting(OrderEvent::type, OrderEvent::actorRole, OrderEvent::details)
        .containsExactly(OrderEventType.ORDER_SHIPPED, Role.SELLER, Map.of("carrier", "DHL", "trackingNumber", "JD014600006281"));
  }

  @Test
  void shipWithAStaleVersion_isRefusedAsEtagMismatchAndChangesNothing() {
    UUID id = paidOrder();

    ConcurrentChangeException refused =
        thrown(
            ConcurrentChangeException.class,
            () -> orders.ship(seller, key(seller, "ShipOrder", id), id, "DHL", "JD1", OptionalInt.of(1), FORMAT));

    assertThat(refused.reason()).isEqualTo("ETAG_MISMATCH");
    assertThat(refused.metadata())
        .containsExactlyInAnyOrderEntriesOf(Map.of("orderId", id.toString(), "orderState", "AWAITING_SHIPMENT"));
    Order order = orders.get(seller, id);
    assertThat(order.state()).isEqualTo(OrderState.AWAITING_SHIPMENT);
    assertThat(order.version()).isEqualTo(2);
    assertThat(countEvents(id)).isEqualTo(2);
  }

  @Test
  void confirmDeliveryWithAStaleVersion_isRefusedAsEtagMismatch_andWithTheCurrentOneDelivers() {
    UUID id = paidOrder();
    orders.ship(seller, key(seller, "ShipOrder", id), id, "DHL", "JD1", OptionalInt.empty(), FORMAT);

    ConcurrentChangeException refused =
        thrown(
            ConcurrentChangeException.class,
            () -> orders.confirmDelivery(payments, key(payments, "ConfirmDelivery", id + "/2"), id, OptionalInt.of(2), FORMAT));
    assertThat(refused.reason()).isEqualTo("ETAG_MISMATCH");
    assertThat(refused.metadata()).containsEntry("orderState", "SHIPPED");
    assertThat(orders.get(buyer, id).state()).isEqualTo(OrderState.SHIPPED);

    Instant deliveredAt = clock.advance(Duration.ofDays(4)).truncatedTo(ChronoUnit.MICROS);
    orders.confirmDelivery(payments, key(payments, "ConfirmDelivery", id + "/3"), id, OptionalInt.of(3), FORMAT);

    Order order = orders.get(buyer, id);
    assertThat(order.state()).isEqualTo(OrderState.DELIVERED);
    assertThat(order.version()).isEqualTo(4);
    assertThat(order.shipment().deliveredAt()).isEqualTo(deliveredAt);
    assertThat(lastEvent(id).type()).isEqualTo(OrderEventType.ORDER_DELIVERED);
  }

  // --- visibility -------------------------------------------------------------------------------

  @Test
  void anotherBuyer_cannotSeeTheOrderOrItsHistory_itIsNotFound() {
    UUID id = idOf(create(buyer, seller));
    Principal stranger = Principal.of(buyer.subject() + "-stranger", Role.BUYER);

    assertNotFound(id, () -> orders.get(stranger, id));
    assertNotFound(id, () -> orders.history(stranger, id, 0, 10));
  }

  @Test
  void anotherSeller_cannotSeeOrShipTheOrder_itIsNotFoundAndStaysUnshipped() {
    UUID id = paidOrder();
    Principal otherShop = Principal.of(seller.subject() + "-other-shop", Role.SELLER);

    assertNotFound(id, () -> orders.get(otherShop, id));
    assertNotFound(id, () -> orders.history(otherShop, id, 0, 10));
    assertNotFound(
        id, () -> orders.ship(otherShop, key(otherShop, "ShipOrder", id), id, "DHL", "JD1", OptionalInt.empty(), FORMAT));

    assertThat(orders.get(seller, id).state()).isEqualTo(OrderState.AWAITING_SHIPMENT);
  }

  @Test
  void theOrdersPartiesAndSupport_seeIt_andAnUnknownIdIsNotFound() {
    UUID id = idOf(create(buyer, seller));
    Principal support = Principal.of("agent-7", Role.SUPPORT);

    assertThat(orders.get(buyer, id).id()).isEqualTo(id);
    assertThat(orders.get(seller, id).id()).isEqualTo(id);
    assertThat(orders.get(support, id).id()).isEqualTo(id);
    assertThat(orders.history(support, id, 0, 10).events()).hasSize(1);
    UUID unknown = UUID.randomUUID();
    assertNotFound(unknown, () -> orders.get(support, unknown));
  }

  // --- listing ----------------------------------------------------------------------------------

  @Test
  void buyerListingWithoutFilters_getsOnlyTheirOwnOrders_newestFirst() {
    List<UUID> mine = createSeveral(buyer, seller, 3);
    Principal otherBuyer = Principal.of(buyer.subject() + "-x", Role.BUYER);
    createSeveral(otherBuyer, seller, 2);

    OrderPage page = orders.list(buyer, query(Optional.empty(), Optional.empty(), 20));

    assertThat(page.orders()).extracting(Order::id).containsExactly(mine.get(2), mine.get(1), mine.get(0));
    assertThat(page.next()).isEmpty();
  }

  @Test
  void sellerListingWithoutFilters_getsTheirShopsOrdersOfEveryBuyer() {
    List<UUID> first = createSeveral(buyer, seller, 2);
    Principal otherBuyer = Principal.of(buyer.subject() + "-y", Role.BUYER);
    List<UUID> second = createSeveral(otherBuyer, seller, 2);
    createSeveral(buyer, Principal.of(seller.subject() + "-elsewhere", Role.SELLER), 1);

    OrderPage page = orders.list(seller, query(Optional.empty(), Optional.empty(), 20));

    assertThat(page.orders())
        .extracting(Order::id)
        .containsExactly(second.get(1), second.get(0), first.get(1), first.get(0));
  }

  @Test
  void listingPagesNewestFirst_withANextCursorUntilTheLastPage() {
    List<UUID> mine = createSeveral(buyer, seller, 5);

    OrderPage first = orders.list(buyer, query(Optional.empty(), Optional.empty(), 2));
    OrderPage second = orders.list(buyer, query(first.next(), 2));
    OrderPage third = orders.list(buyer, query(second.next(), 2));

    assertThat(first.orders()).extracting(Order::id).containsExactly(mine.get(4), mine.get(3));
    assertThat(second.orders()).extracting(Order::id).containsExactly(mine.get(2), mine.get(1));
    assertThat(third.orders()).extracting(Order::id).containsExactly(mine.get(0));
    assertThat(first.next()).isPresent();
    assertThat(second.next()).isPresent();
    assertThat(third.next()).isEmpty();
  }

  @Test
  void listingExactlyOnePageOfOrders_hasNoNextCursor() {
    createSeveral(buyer, seller, 3);

    OrderPage page = orders.list(buyer, query(Optional.empty(), Optional.empty(), 3));

    assertThat(page.orders()).hasSize(3);
    assertThat(page.next()).isEmpty();
  }

  @Test
  void buyerNamingAnotherBuyer_isDenied() {
    AccessDeniedException denied =
        thrown(
            AccessDeniedException.class,
            () -> orders.list(buyer, query(Optional.of("somebody-else"), Optional.empty(), 20)));

    assertThat(denied.reason()).isEqualTo("NOT_YOUR_ORDERS");
    assertThat(denied.metadata()).containsEntry("field", "buyer_id");
  }

  @Test
  void sellerNamingAnotherSeller_isDenied() {
    AccessDeniedException denied =
        thrown(
            AccessDeniedException.class,
            () -> orders.list(seller, query(Optional.empty(), Optional.of("rival-shop"), 20)));

    assertThat(denied.metadata()).containsEntry("field", "seller_id");
  }

  @Test
  void buyerNamingThemselvesAndASeller_getsTheirOrdersFromThatSeller() {
    List<UUID> fromSeller = createSeveral(buyer, seller, 2);
    createSeveral(buyer, Principal.of(seller.subject() + "-2", Role.SELLER), 2);

    OrderPage page =
        orders.list(buyer, query(Optional.of(buyer.subject()), Optional.of(seller.subject()), 20));

    assertThat(page.orders()).extracting(Order::id).containsExactly(fromSeller.get(1), fromSeller.get(0));
  }

  @Test
  void supportListingWithoutBuyerOrSeller_isAnInvalidRequest() {
    Principal support = Principal.of("agent-7", Role.SUPPORT);

    InvalidRequestException refused =
        thrown(
            InvalidRequestException.class, () -> orders.list(support, query(Optional.empty(), Optional.empty(), 20)));

    assertThat(refused.violations()).extracting(FieldViolation::field).containsExactly("buyer_id");
  }

  @Test
  void supportNamingABuyer_getsThatBuyersOrders() {
    List<UUID> mine = createSeveral(buyer, seller, 2);

    OrderPage page =
        orders.list(Principal.of("agent-7", Role.SUPPORT), query(Optional.of(buyer.subject()), Optional.empty(), 20));

    assertThat(page.orders()).extracting(Order::id).containsExactly(mine.get(1), mine.get(0));
  }

  @Test
  void stateFilter_listsOnlyOrdersInThoseStates() {
    List<UUID> mine = createSeveral(buyer, seller, 3);
    capture(mine.get(1), SampleOrders.TOTAL);

    OrderPage paid =
        orders.list(
            buyer,
            new OrderQuery(Optional.empty(), Optional.empty(), Set.of(OrderState.AWAITING_SHIPMENT), Optional.empty(), 20));

    assertThat(paid.orders()).extracting(Order::id).containsExactly(mine.get(1));
  }

  // --- history ----------------------------------------------------------------------------------

  @Test
  void historyPagesOldestFirst_withANextCursorUntilTheLastPage() {
    UUID id = idOf(create(buyer, seller));
    clock.advance(Duration.ofMinutes(1));
    report(new PaymentReport(id, Outcome.PROCESSING, "", null, ""));
    clock.advance(Duration.ofMinutes(1));
    report(new PaymentReport(id, Outcome.CAPTURED, "psp-1", SampleOrders.TOTAL, ""));
    clock.advance(Duration.ofHours(1));
    orders.ship(seller, key(seller, "ShipOrder", id), id, "UPS", "1Z", OptionalInt.empty(), FORMAT);
    clock.advance(Duration.ofDays(3));
    orders.confirmDelivery(payments, key(payments, "ConfirmDelivery", id), id, OptionalInt.empty(), FORMAT);

    OrderEventPage first = orders.history(buyer, id, 0, 2);
    OrderEventPage second = orders.history(buyer, id, first.nextAfterSequence().orElseThrow(), 2);
    OrderEventPage third = orders.history(buyer, id, second.nextAfterSequence().orElseThrow(), 2);

    assertThat(first.events())
        .extracting(OrderEvent::sequence, OrderEvent::type, OrderEvent::orderState)
        .containsExactly(
            tuple(1L, OrderEventType.ORDER_CREATED, OrderState.AWAITING_PAYMENT),
            tuple(2L, OrderEventType.PAYMENT_PROCESSING, OrderState.PAYMENT_PROCESSING));
    assertThat(first.nextAfterSequence()).isEqualTo(OptionalLong.of(2));
    assertThat(second.events())
        .extracting(OrderEvent::sequence, OrderEvent::type, OrderEvent::orderState)
        .containsExactly(
            tuple(3L, OrderEventType.PAYMENT_CAPTURED, OrderState.AWAITING_SHIPMENT),
            tuple(4L, OrderEventType.ORDER_SHIPPED, OrderState.SHIPPED));
    assertThat(second.nextAfterSequence()).isEqualTo(OptionalLong.of(4));
    assertThat(third.events())
        .extracting(OrderEvent::sequence, OrderEvent::type, OrderEvent::orderState)
        .containsExactly(tuple(5L, OrderEventType.ORDER_DELIVERED, OrderState.DELIVERED));
    assertThat(third.nextAfterSequence()).isEmpty();
    List<Instant> times = new ArrayList<>();
    for (OrderEventPage p : List.of(first, second, third)) {
      p.events().forEach(e -> times.add(e.occurredAt()));
    }
    assertThat(times).isSorted().doesNotHaveDuplicates();
    assertThat(times.get(4)).isEqualTo(clock.instant().truncatedTo(ChronoUnit.MICROS));
  }

  // --- helpers ----------------------------------------------------------------------------------

  private String create(Principal buyer, Principal seller) {
    NewOrder request = SampleOrders.newOrder(buyer.subject(), seller.subject());
    return orders.create(buyer, key(buyer, "CreateOrder", request), request, FORMAT);
  }

  /** Creates {@code n} orders a second apart; returns their ids oldest first. */
  private List<UUID> createSeveral(Principal buyer, Principal seller, int n) {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      clock.advance(Duration.ofSeconds(1));
      ids.add(idOf(create(buyer, seller)));
    }
    return ids;
  }

  /** A new order of this test's buyer and seller whose payment was captured: AWAITING_SHIPMENT at version 2. */
  private UUID paidOrder() {
    UUID id = idOf(create(buyer, seller));
    clock.advance(Duration.ofMinutes(1));
    capture(id, SampleOrders.TOTAL);
    return id;
  }

  private void capture(UUID id, Money amount) {
    report(new PaymentReport(id, Outcome.CAPTURED, "psp-" + id, amount, ""));
  }

  private String report(PaymentReport report) {
    return orders.recordPayment(payments, key(payments, "RecordPayment", report), report, FORMAT);
  }

  private OrderEvent lastEvent(UUID id) {
    List<OrderEvent> events = orders.history(Principal.system(), id, 0, 100).events();
    return events.get(events.size() - 1);
  }

  private static OrderQuery query(Optional<String> buyerId, Optional<String> sellerId, int pageSize) {
    return new OrderQuery(buyerId, sellerId, Set.of(), Optional.empty(), pageSize);
  }

  private static OrderQuery query(Optional<OrderCursor> after, int pageSize) {
    return new OrderQuery(Optional.empty(), Optional.empty(), Set.of(), after, pageSize);
  }

  private static void assertNotFound(UUID id, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    NotFoundException notFound = thrown(NotFoundException.class, call);
    assertThat(notFound.reason()).isEqualTo("ORDER_NOT_FOUND");
    assertThat(notFound.metadata()).containsEntry("orderId", id.toString());
  }

  private static UUID idOf(String response) {
    return UUID.fromString(response.substring(0, response.indexOf('/')));
  }

  /** A fresh request id for this call; the fingerprint is a SHA-256 of the request, as the edge computes it. */
  private static IdempotencyKey key(Principal caller, String operation, Object request) {
    return new IdempotencyKey(caller.idempotencyNamespace(), UUID.randomUUID(), operation, fingerprint(request));
  }

  private static byte[] fingerprint(Object request) {
    return sha256(request.toString());
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long countOrdersOf(String buyerId) {
    return count("SELECT COUNT(*) FROM orders WHERE buyer_id = ?", buyerId);
  }

  private static long countEvents(UUID orderId) {
    return count("SELECT COUNT(*) FROM order_events WHERE order_id = UNHEX(REPLACE(?, '-', ''))", orderId.toString());
  }

  private static long countIdempotencyRecords(IdempotencyKey key) {
    return count(
        "SELECT COUNT(*) FROM idempotency_records WHERE caller = ? AND request_id = UNHEX(REPLACE(?, '-', ''))",
        key.caller(),
        key.callId().toString());
  }

  private static long count(String sql, String... parameters) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        s.setString(i + 1, parameters[i]);
      }
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
