package dev.marketplace.orders.domain.usecase;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.idempotency.IdempotencyKey;
import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.testing.IdempotencyKeys;
import dev.marketplace.orders.domain.testing.KeptResponses;
import dev.marketplace.orders.domain.testing.MutableClock;
import dev.marketplace.orders.domain.testing.Rows;
import dev.marketplace.orders.domain.testing.TestDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Idempotency records older than the retention are removed in short batches; younger ones keep
 * replaying. Removal touches every record of its database, so each test has a fresh one.
 */
class IdempotencyRetentionTest {

  private static final Instant T0 = Instant.parse("2026-11-26T10:15:30.123456Z");
  private static final Duration RETENTION = Duration.ofDays(7);
  private static final DateTimeFormatter DB_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  private final Principal caller = new Principal("checkout", Role.SERVICE, Set.of("orders.create"));
  private final KeptResponses<String> responses = new KeptResponses<>();

  private HikariDataSource dataSource;
  private MutableClock clock;
  private Transactor transactor;
  private IdempotencyRetention retention;

  @BeforeEach
  void freshDatabase() {
    dataSource = TestDatabase.migratedDataSource();
    clock = new MutableClock(T0);
    transactor = Transactor.over(dataSource, clock);
    retention = new IdempotencyRetention(transactor, clock, RETENTION);
  }

  @AfterEach
  void closeDatabase() {
    dataSource.close();
  }

  @Test
  void recordsOlderThanTheRetention_areRemoved_andTheirRequestIdRunsAsANewRequest_whileYoungerOnesReplay() {
    IdempotencyKey old = IdempotencyKeys.fresh(caller, "CreateOrder", "order A");
    String firstOld = call(old);
    clock.advance(Duration.ofDays(1));
    IdempotencyKey boundary = IdempotencyKeys.fresh(caller, "CreateOrder", "order B");
    String firstBoundary = call(boundary);
    clock.advance(Duration.ofDays(2));
    IdempotencyKey recent = IdempotencyKeys.fresh(caller, "CreateOrder", "order C");
    String firstRecent = call(recent);

    clock.set(T0.plus(Duration.ofDays(1)).plus(RETENTION)); // the boundary record is exactly as old as the retention
    IdempotencyRetention.Removal removal = retention.removeExpired(500);

    assertThat(removal.removed()).isEqualTo(1);
    assertThat(removal.createdBefore()).isEqualTo(T0.plus(Duration.ofDays(1)));
    assertThat(records()).isEqualTo(2);
    assertThat(call(old)).as("expired: runs again").isNotEqualTo(firstOld);
    assertThat(call(boundary)).as("exactly the retention old: replays").isEqualTo(firstBoundary);
    assertThat(call(recent)).as("within the retention: replays").isEqualTo(firstRecent);
  }

  @Test
  void removal_goesInBatchesOfItsOwnTransaction_untilABatchIsShort() throws Exception {
    insertRecords(1200, T0.minus(RETENTION).minusSeconds(60));
    insertRecords(30, T0.minus(RETENTION).plusSeconds(60));
    AtomicInteger commits = new AtomicInteger();
    IdempotencyRetention counted =
        new IdempotencyRetention(Transactor.over(countingCommits(dataSource, commits), clock), clock, RETENTION);

    IdempotencyRetention.Removal removal = counted.removeExpired(500);

    assertThat(removal.removed()).isEqualTo(1200);
    assertThat(removal.batches()).isEqualTo(3); // 500, 500, 200
    assertThat(commits).hasValue(3);
    assertThat(records()).isEqualTo(30);
    assertThat(Rows.count(dataSource, "SELECT COUNT(*) FROM idempotency_records WHERE created_at < ?", dbTime(T0.minus(RETENTION))))
        .isZero();
  }

  @Test
  void anExactMultipleOfTheBatch_endsWithOneEmptyBatch() throws Exception {
    insertRecords(1000, T0.minus(RETENTION).minusSeconds(1));

    IdempotencyRetention.Removal removal = retention.removeExpired(500);

    assertThat(removal.removed()).isEqualTo(1000);
    assertThat(removal.batches()).isEqualTo(3); // 500, 500, 0
    assertThat(records()).isZero();
  }

  @Test
  void removal_doesNotWaitForALiveCallClaimingAFreshRequestId() throws Exception {
    insertRecords(700, T0.minus(RETENTION).minus(Duration.ofHours(1)));
    IdempotencyKey live = IdempotencyKeys.fresh(caller, "CreateOrder", "order in flight");
    CountDownLatch claimed = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      // The live call's claim is the next row of the created_at index after the expired ones, uncommitted.
      Future<String> inFlight =
          threads.submit(
              () ->
                  transactor.inIdempotentTransaction(
                      live,
                      responses,
                      uow -> {
                        claimed.countDown();
                        await(finish);
                        return "created while the cleanup ran";
                      }));
      assertThat(claimed.await(10, TimeUnit.SECONDS)).isTrue();

      IdempotencyRetention.Removal removal = threads.submit(() -> retention.removeExpired(500)).get(10, TimeUnit.SECONDS);

      assertThat(removal.removed()).isEqualTo(700);
      finish.countDown();
      assertThat(inFlight.get(10, TimeUnit.SECONDS)).isEqualTo("created while the cleanup ran");
      assertThat(records()).isEqualTo(1);
      assertThat(call(live)).isEqualTo("created while the cleanup ran");
    } finally {
      finish.countDown();
      threads.shutdownNow();
    }
  }

  @Test
  void aRetentionUnder24Hours_isRefused() {
    IllegalArgumentException refused =
        thrown(IllegalArgumentException.class, () -> new IdempotencyRetention(transactor, clock, Duration.ofHours(24).minusSeconds(1)));

    assertThat(refused).hasMessageContaining("at least PT24H").hasMessageContaining("PT23H59M59S");
    assertThat(new IdempotencyRetention(transactor, clock, Duration.ofHours(24)).retention()).isEqualTo(Duration.ofHours(24));
  }

  /** One idempotent call whose result is a new random text each time it actually runs. */
  private String call(IdempotencyKey key) {
    return transactor.inIdempotentTransaction(key, responses, uow -> UUID.randomUUID().toString());
  }

  private long records() {
    return Rows.count(dataSource, "SELECT COUNT(*) FROM idempotency_records");
  }

  private void insertRecords(int count, Instant createdAt) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO idempotency_records (caller, request_id, operation, request_fingerprint, response, created_at)"
                    + " VALUES ('bulk', ?, 'CreateOrder', ?, ?, ?)")) {
      c.setAutoCommit(false);
      for (int i = 0; i < count; i++) {
        UUID id = UUID.randomUUID();
        insert.setBytes(1, ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array());
        insert.setBytes(2, IdempotencyKeys.sha256(id.toString()));
        insert.setBytes(3, new byte[] {1, 2, 3});
        insert.setString(4, dbTime(createdAt));
        insert.addBatch();
      }
      insert.executeBatch();
      c.commit();
    }
  }

  private static String dbTime(Instant instant) {
    return DB_TIME.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
  }

  /** The data source, counting every commit made on its connections: one per transaction. */
  private static DataSource countingCommits(DataSource target, AtomicInteger commits) {
    return (DataSource)
        Proxy.newProxyInstance(
            DataSource.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
              Object result = invoke(target, method, args);
              if (result instanceof Connection connection) {
                return Proxy.newProxyInstance(
                    Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class},
                    (p, m, a) -> {
                      if (m.getName().equals("commit")) {
                        commits.incrementAndGet();
                      }
                      return invoke(connection, m, a);
                    });
              }
              return result;
            });
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new AssertionError("the test did not release the latch within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
