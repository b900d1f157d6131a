package dev.marketplace.orders.domain.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.history.OrderEvent;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.testing.SampleOrders;
import dev.marketplace.orders.domain.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OrderEventLogTest {

  private static final Instant T0 = Instant.parse("2026-11-26T10:15:30.123456Z");

  private static HikariDataSource dataSource;
  private static Transactor transactor;

  @BeforeAll
  static void database() {
    dataSource = TestDatabase.migratedDataSource();
    transactor = new Transactor(DSL.using(dataSource, SQLDialect.MARIADB), Clock.fixed(T0, ZoneOffset.UTC));
  }

  @AfterAll
  static void closeDatabase() {
    dataSource.close();
  }

  @Test
  void appends_numberEachOrdersEventsOneToNWithoutGaps() {
    UUID first = storedOrder();
    UUID second = storedOrder();

    List<Long> firstSequences = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      firstSequences.add(append(first, OrderEventType.PAYMENT_PROCESSING, T0.plusSeconds(i)).sequence());
      if (i == 2) {
        assertThat(append(second, OrderEventType.ORDER_CREATED, T0).sequence())
            .as("another order's history starts at 1 on its own")
            .isEqualTo(1);
      }
    }

    assertThat(firstSequences).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(page(first, 0, 100)).extracting(OrderEvent::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(page(second, 0, 100)).extracting(OrderEvent::sequence).containsExactly(1L);
  }

  @Test
  void appendedEvent_readsBackWithEveryFieldIncludingUnicodeDetails() {
    UUID order = storedOrder();
    Instant at = T0.plusMillis(1234).plusNanos(567_000);

    OrderEvent appended =
        transactor.inTransaction(
            uow ->
                uow.events()
                    .append(
                        order,
                        OrderEventType.PAYMENT_FAILED,
                        "payments-svc",
                        Role.SERVICE,
                        at,
                        OrderState.AWAITING_PAYMENT,
                        Map.of("failureReason", "Carte refusée – 卡被拒绝 💳", "code", "51")));

    assertThat(page(order, 0, 10)).containsExactly(appended);
    assertThat(appended)
        .isEqualTo(
            new OrderEvent(
                order,
                1,
                OrderEventType.PAYMENT_FAILED,
                "payments-svc",
                Role.SERVICE,
                at,
                OrderState.AWAITING_PAYMENT,
                Map.of("failureReason", "Carte refusée – 卡被拒绝 💳", "code", "51")));
  }

  @Test
  void page_returnsEventsAfterTheGivenSequence_oldestFirst_atMostLimit() {
    UUID order = storedOrder();
    OrderEventType[] types = OrderEventType.values();
    for (int i = 0; i < 8; i++) {
      append(order, types[i % types.length], T0.plusSeconds(i));
    }

    assertThat(page(order, 0, 3)).extracting(OrderEvent::sequence).containsExactly(1L, 2L, 3L);
    assertThat(page(order, 3, 3)).extracting(OrderEvent::sequence).containsExactly(4L, 5L, 6L);
    assertThat(page(order, 6, 3)).extracting(OrderEvent::sequence).containsExactly(7L, 8L);
    assertThat(page(order, 8, 3)).isEmpty();
    assertThat(page(order, 3, 3))
        .extracting(OrderEvent::type, OrderEvent::occurredAt)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(types[3], T0.plusSeconds(3)),
            org.assertj.core.groups.Tuple.tuple(types[4], T0.plusSeconds(4)),
            org.assertj.core.groups.Tuple.tuple(types[5 % types.length], T0.plusSeconds(5)));
  }

  @Test
  void concurrentAppendersHoldingTheOrderLock_stillProduceOneToNWithoutGaps() throws Exception {
    UUID order = storedOrder();
    int appenders = 12;
    ExecutorService pool = Executors.newFixedThreadPool(appenders);
    try {
      List<Callable<Long>> tasks = new ArrayList<>();
      for (int i = 0; i < appenders; i++) {
        tasks.add(
            () ->
                transactor.inTransaction(
                    uow -> {
                      uow.orders().lockForUpdate(order).orElseThrow();
                      return append(uow, order, OrderEventType.PAYMENT_PROCESSING, T0).sequence();
                    }));
      }
      List<Long> sequences = new ArrayList<>();
      for (Future<Long> f : pool.invokeAll(tasks)) {
        sequences.add(f.get());
      }

      List<Long> oneToN = LongStream.rangeClosed(1, appenders).boxed().toList();
      assertThat(sequences).containsExactlyInAnyOrderElementsOf(oneToN);
      assertThat(page(order, 0, 100)).extracting(OrderEvent::sequence).containsExactlyElementsOf(oneToN);
    } finally {
      pool.shutdownNow();
    }
  }

  private static UUID storedOrder() {
    Order order = SampleOrders.inState(OrderState.AWAITING_PAYMENT, UUID.randomUUID(), "buyer-1", "seller-1", T0);
    transactor.inTransaction(uow -> { uow.orders().insert(order); return null; });
    return order.id();
  }

  private static OrderEvent append(UUID order, OrderEventType type, Instant at) {
    return transactor.inTransaction(uow -> append(uow, order, type, at));
  }

  private static OrderEvent append(UnitOfWork uow, UUID order, OrderEventType type, Instant at) {
    return uow.events().append(order, type, "buyer-1", Role.BUYER, at, OrderState.AWAITING_PAYMENT, Map.of());
  }

  private static List<OrderEvent> page(UUID order, long afterSequence, int limit) {
    return transactor.inTransaction(uow -> uow.events().page(order, afterSequence, limit));
  }
}
