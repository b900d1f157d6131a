package dev.marketplace.orders.domain.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.history.FeedEvent;
import dev.marketplace.orders.domain.feed.FeedFilter;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.testing.InvariantVerifier;
import dev.marketplace.orders.domain.testing.SampleOrders;
import dev.marketplace.orders.domain.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The feed's horizon against the real database: positions are taken by writers in one order and
 * committed in another, and some writers roll back; a reader that only ever reads up to the horizon
 * sees every committed entry once, in position order, and never one below a position it has passed.
 */
class FeedHorizonTest {

  private static final Instant T0 = Instant.parse("2026-11-26T10:15:30Z");
  private static final Duration GRACE = Duration.ofMillis(100);

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
  void aPositionStillBeingWritten_holdsTheHorizon_untilItCommits() throws Exception {
    FeedHorizon horizon = new FeedHorizon(transactor, GRACE);
    UUID held = storedOrder();
    long before = horizon.advance();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      CountDownLatch written = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Future<?> slow =
          pool.submit(
              () ->
                  transactor.inTransaction(
                      uow -> {
                        append(uow, held);
                        uow.events().page(held, 0, 1); // written now: its position is taken
                        written.countDown();
                        await(release);
                        return null;
                      }));
      written.await(10, TimeUnit.SECONDS);
      UUID later = storedOrder();
      long laterPosition = positionsOf(later).get(0);

      long first = horizon.advance(); // sees the hole for the first time: waits out its grace
      assertThat(first).as("not past the position still being written").isLessThan(laterPosition);
      Thread.sleep(GRACE.multipliedBy(2).toMillis());
      Future<Long> waiting = Executors.newSingleThreadExecutor().submit(horizon::advance);
      Thread.sleep(300);
      assertThat(waiting).as("past its grace, the hole is settled by a locking read, which waits for the writer").isNotDone();
      long writing = System.nanoTime();
      storedOrder(); // a writer after the range meanwhile
      assertThat(Duration.ofNanos(System.nanoTime() - writing)).as("an insert does not wait for the horizon's locking read").isLessThan(Duration.ofSeconds(2));
      assertThat(waiting).isNotDone();
      release.countDown();
      slow.get(10, TimeUnit.SECONDS);
      assertThat(waiting.get(10, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(laterPosition);

      List<FeedEvent> read = new EventFeed(transactor, horizon).read(FeedFilter.everything(), before, horizon.settled(), 100);
      assertThat(read).extracting(e -> e.event().orderId()).containsSubsequence(held, later);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentWritersCommittingOutOfOrder_withRollbacks_neverMakeAReaderSkip() throws Exception {
    FeedHorizon horizon = new FeedHorizon(transactor, GRACE);
    EventFeed feed = new EventFeed(transactor, horizon);
    long start = horizon.advance();
    ExecutorService writers = Executors.newFixedThreadPool(8);
    List<Future<Optional<UUID>>> writes = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      boolean rollBack = i % 7 == 0;
      writes.add(writers.submit(() -> write(rollBack)));
    }
    // The reader reads in small steps while the writers run, always up to the horizon only.
    List<FeedEvent> seen = new ArrayList<>();
    long cursor = start;
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < end) {
      boolean done = writes.stream().allMatch(Future::isDone);
      long upTo = horizon.advance();
      List<FeedEvent> page = feed.read(FeedFilter.everything(), cursor, upTo, 7);
      seen.addAll(page);
      cursor = page.size() == 7 ? page.get(page.size() - 1).position() : upTo;
      if (done && cursor >= latestPosition() && page.isEmpty()) {
        break;
      }
    }
    writers.shutdown();
    List<UUID> committed = new ArrayList<>();
    for (Future<Optional<UUID>> w : writes) {
      w.get().ifPresent(committed::add);
    }
    assertThat(seen).extracting(FeedEvent::position).isSorted().doesNotHaveDuplicates();
    assertThat(seen.stream().map(e -> e.event().orderId()).filter(committed::contains).toList())
        .as("every committed entry, once")
        .containsExactlyInAnyOrderElementsOf(committed);
    assertThat(committed).hasSize(200 - 29);
  }

  @Test
  void manyHoles_ageTogether_andAreSettledInOneGrace_notOneAfterAnother() throws Exception {
    FeedHorizon horizon = new FeedHorizon(transactor, Duration.ofMillis(300));
    horizon.advance();
    long committed = 0;
    for (int i = 0; i < 40; i++) {
      // A rolled-back write between two committed ones: 40 separate holes.
      assertThat(write(true)).isEmpty();
      committed = positionsOf(write(false).orElseThrow()).get(0);
    }
    long started = System.nanoTime();
    while (horizon.advance() < committed) {
      Thread.sleep(20);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(took).as("40 holes settled within a couple of graces, not 40 of them").isLessThan(Duration.ofMillis(300 * 4));
  }

  @Test
  void aFreshHorizon_startsAtTheLatestPosition_notAWindowBehindIt() throws Exception {
    for (int i = 0; i < 5; i++) {
      write(true); // holes below the latest position, as a bulk insert or rollbacks leave them
      write(false);
    }
    long latest = latestPosition();

    long now = new FeedHorizon(transactor, GRACE).settled();

    assertThat(now).as("where a stream 'from now' starts").isEqualTo(latest);
  }

  @Test
  void theVerifierNoticesPositionsOutOfAnOrdersSequence() throws Exception {
    UUID order = storedOrder();
    transactor.inTransaction(uow -> {
      append(uow, order);
      return null;
    });
    List<Long> positions = positionsOf(order);
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      // Swap the two entries' positions (through a free value): the first entry now comes after the second.
      s.executeUpdate("UPDATE order_events SET position = 9000000000 WHERE position = " + positions.get(0));
      s.executeUpdate("UPDATE order_events SET position = " + positions.get(0) + " WHERE position = " + positions.get(1));
      s.executeUpdate("UPDATE order_events SET position = " + positions.get(1) + " WHERE position = 9000000000");
    }
    assertThat(InvariantVerifier.verify(dataSource).violations()).anyMatch(v -> v.contains(order.toString()) && v.contains("feed position"));
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate("DELETE FROM order_events WHERE order_id = UNHEX('" + order.toString().replace("-", "") + "')");
      s.executeUpdate("DELETE FROM order_lines WHERE order_id = UNHEX('" + order.toString().replace("-", "") + "')");
      s.executeUpdate("DELETE FROM orders WHERE id = UNHEX('" + order.toString().replace("-", "") + "')");
    }
  }

  /** An order with its ORDER_CREATED entry; rolled back instead of committed when asked. */
  private static Optional<UUID> write(boolean rollBack) {
    Order order = SampleOrders.inState(OrderState.AWAITING_PAYMENT, UUID.randomUUID(), "buyer-1", "seller-1", T0);
    try {
      transactor.inTransaction(uow -> {
        uow.orders().insert(order);
        uow.events().append(order.id(), OrderEventType.ORDER_CREATED, "checkout", Role.SERVICE, T0, OrderState.AWAITING_PAYMENT, Map.of());
        uow.events().page(order.id(), 0, 1);
        sleepUpTo(30);
        if (rollBack) {
          throw new IllegalStateException("rolled back on purpose");
        }
        return null;
      });
      return Optional.of(order.id());
    } catch (IllegalStateException e) {
      return Optional.empty();
    }
  }

  private static UUID storedOrder() {
    Order order = SampleOrders.inState(OrderState.AWAITING_PAYMENT, UUID.randomUUID(), "buyer-1", "seller-1", T0);
    transactor.inTransaction(uow -> {
      uow.orders().insert(order);
      uow.events().append(order.id(), OrderEventType.ORDER_CREATED, "checkout", Role.SERVICE, T0, OrderState.AWAITING_PAYMENT, Map.of());
      return null;
    });
    return order.id();
  }

  private static void append(dev.marketplace.orders.domain.persistence.UnitOfWork uow, UUID order) {
    uow.orders().lockForUpdate(order).orElseThrow();
    uow.events().append(order, OrderEventType.PAYMENT_PROCESSING, "payments", Role.SERVICE, T0, OrderState.AWAITING_PAYMENT, Map.of());
  }

  private static List<Long> positionsOf(UUID order) {
    return transactor.inTransaction(uow -> uow.feed().ofOrder(order, 0, 100)).stream().map(FeedEvent::position).toList();
  }

  private static long latestPosition() {
    return transactor.inTransaction(uow -> uow.feed().latestPosition());
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleepUpTo(int millis) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextInt(millis));
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
