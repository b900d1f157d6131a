package dev.marketplace.orders.domain.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.domain.error.DeadlineExceededException;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.TimeOrderedIds;
import dev.marketplace.orders.domain.testing.SampleOrders;
import dev.marketplace.orders.domain.testing.TestDatabase;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The caller's remaining time bounds the database work: not begun when it is up, stopped when it runs out. */
class TransactorTimeBudgetTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:15:30Z"), ZoneOffset.UTC);
  private static HikariDataSource dataSource;

  @BeforeAll
  static void database() {
    dataSource = TestDatabase.migratedDataSource();
  }

  @AfterAll
  static void close() {
    dataSource.close();
  }

  /** A budget that ends {@code left} from when it is made, as a call's deadline does. */
  private static TimeBudget endingIn(Duration left) {
    long end = System.nanoTime() + left.toNanos();
    return () -> Optional.of(Duration.ofNanos(end - System.nanoTime()));
  }

  @Test
  void aStatementWaitingForALock_isStoppedAtTheDeadline_andTheTransactionRolledBack() throws Exception {
    Order order = Order.place(new TimeOrderedIds(CLOCK).next(), SampleOrders.newOrder("buyer-1", "seller-1"), CLOCK.instant());
    Order other = Order.place(new TimeOrderedIds(CLOCK).next(), SampleOrders.newOrder("buyer-2", "seller-1"), CLOCK.instant());
    Transactor.over(dataSource, CLOCK).inTransaction(uow -> {
      uow.orders().insert(order);
      uow.orders().insert(other);
      return null;
    });

    try (Connection holder = dataSource.getConnection()) {
      holder.setAutoCommit(false);
      try (PreparedStatement lock = holder.prepareStatement("SELECT id FROM orders WHERE id = ? FOR UPDATE")) {
        lock.setBytes(1, ByteBuffer.allocate(16).putLong(order.id().getMostSignificantBits()).putLong(order.id().getLeastSignificantBits()).array());
        lock.executeQuery().close();
      }
      Transactor bounded = Transactor.over(dataSource, CLOCK, endingIn(Duration.ofMillis(400)));
      AtomicBoolean wroteBeforeTheLock = new AtomicBoolean();

      long started = System.nanoTime();
      Throwable thrown =
          catchThrowable(
              () ->
                  bounded.inTransaction(
                      uow -> {
                        uow.events().append(other.id(), dev.marketplace.orders.domain.history.OrderEventType.ORDER_CREATED,
                            "tester", dev.marketplace.orders.domain.access.Role.SUPPORT, CLOCK.instant(), order.state(), java.util.Map.of());
                        wroteBeforeTheLock.set(true);
                        return uow.orders().lockForUpdate(order.id()); // waits behind the holder
                      }));
      long tookMillis = (System.nanoTime() - started) / 1_000_000;
      holder.rollback();

      assertThat(thrown).isInstanceOf(DeadlineExceededException.class);
      assertThat(((DeadlineExceededException) thrown).reason()).isEqualTo("DEADLINE_EXCEEDED");
      // InnoDB would have let it wait 50 s; the budget stopped it at 0.4 s (plus the driver's kill).
      assertThat(tookMillis).isBetween(350L, 5_000L);
      assertThat(wroteBeforeTheLock.get()).isTrue();
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM order_events WHERE actor_subject = 'tester'")) {
      var rows = count.executeQuery();
      rows.next();
      assertThat(rows.getInt(1)).as("the write before the stopped statement was rolled back").isZero();
    }
  }

  @Test
  void whenTheTimeIsAlreadyUp_noTransactionBegins() {
    AtomicReference<String> ran = new AtomicReference<>();
    Transactor late = Transactor.over(dataSource, CLOCK, () -> Optional.of(Duration.ofMillis(-1)));

    Throwable thrown = catchThrowable(() -> late.inTransaction(uow -> ran.getAndSet("ran")));

    assertThat(thrown).isInstanceOf(DeadlineExceededException.class);
    assertThat(ran.get()).isNull();
  }

  @Test
  void withTimeLeft_workRunsAsUsual() {
    Transactor bounded = Transactor.over(dataSource, CLOCK, endingIn(Duration.ofSeconds(10)));

    Optional<Order> found = bounded.inTransaction(uow -> uow.orders().find(new TimeOrderedIds(CLOCK).next()));

    assertThat(found).isEmpty();
  }
}
