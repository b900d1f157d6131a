package dev.marketplace.orders.domain.usecase;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.error.RequestIdReusedException;
import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.history.OrderEvent;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.idempotency.IdempotencyKey;
import dev.marketplace.orders.domain.order.NewOrder;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.testing.SampleOrders;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Creating an order, and what a request id promises: one order per request id, the first answer on every retry. */
class CreateAndRetryTest extends OrdersFixture {

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

    List<OrderEvent> history = orders.history(buyer, id, 0, 10).orderEvents();
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
}
