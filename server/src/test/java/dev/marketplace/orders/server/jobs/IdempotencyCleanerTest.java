package dev.marketplace.orders.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.persistence.DatabaseMigrations;
import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.testing.Await;
import dev.marketplace.orders.domain.testing.IdempotencyKeys;
import dev.marketplace.orders.domain.testing.KeptResponses;
import dev.marketplace.orders.domain.testing.MutableClock;
import dev.marketplace.orders.domain.testing.Rows;
import dev.marketplace.orders.domain.testing.TcpProxy;
import dev.marketplace.orders.domain.testing.TestDatabase;
import dev.marketplace.orders.domain.usecase.IdempotencyRetention;
import dev.marketplace.orders.server.database.DataSources;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.CreateOrderRequest;
import dev.marketplace.orders.v1.ListOrdersRequest;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.OrderServiceGrpc.OrderServiceBlockingStub;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Expired idempotency records leave; a request id within the retention keeps replaying. */
class IdempotencyCleanerTest {

  private static final Duration RETENTION = Duration.ofDays(7);
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @Test
  void afterCleanup_anExpiredRequestIdCreatesANewOrder_whileOneWithinTheRetentionStillReplays() throws Exception {
    try (GrpcTestServer server = new GrpcTestServer()) {
      IdempotencyCleaner cleaner =
          new IdempotencyCleaner(new IdempotencyRetention(server.injector.getInstance(Transactor.class), server.clock, RETENTION));
      CreateOrderRequest old = Requests.create("buyer-retention", "seller-1");
      Order oldOrder = checkout(server).createOrder(old);
      server.clock.advance(RETENTION.minusHours(1));
      CreateOrderRequest recent = Requests.create("buyer-retention", "seller-1");
      Order recentOrder = checkout(server).createOrder(recent);
      server.clock.advance(Duration.ofHours(2)); // old: 7 days and 1 hour ago; recent: 2 hours ago

      assertThat(checkout(server).createOrder(old)).as("before cleanup, even an old request id replays").isEqualTo(oldOrder);
      IdempotencyRetention.Removal removal = cleaner.cleanUp();

      assertThat(removal.removed()).isEqualTo(1);
      Order retried = checkout(server).createOrder(old);
      assertThat(retried.getOrderId()).as("the expired request id ran as a new request").isNotEqualTo(oldOrder.getOrderId());
      assertThat(checkout(server).createOrder(recent)).as("within the retention: the first response").isEqualTo(recentOrder);
      assertThat(server.ordersAs("buyer-retention", Role.BUYER).listOrders(ListOrdersRequest.getDefaultInstance()).getOrdersList())
          .extracting(Order::getOrderId)
          .containsExactlyInAnyOrder(oldOrder.getOrderId(), recentOrder.getOrderId(), retried.getOrderId());
    }
  }

  @Test
  void scheduledCleanup_survivesADatabaseOutage_andLogsWhatItRemoved() throws Exception {
    String url = TestDatabase.createDatabase();
    URI address = URI.create(url.substring("jdbc:".length()));
    MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger(IdempotencyCleaner.class);
    logs.start();
    logger.addAppender(logs);
    try (TcpProxy proxy = new TcpProxy(address.getHost(), address.getPort());
        HikariDataSource dataSource =
            DataSources.pool("jdbc:mysql://127.0.0.1:" + proxy.port() + address.getPath(), TestDatabase.user(), TestDatabase.password(), 2)) {
      DatabaseMigrations.migrate(dataSource);
      Transactor transactor = Transactor.over(dataSource, clock);
      KeptResponses<String> responses = new KeptResponses<>();
      Principal caller = new Principal("checkout", Role.SERVICE, Set.of("orders.create"));
      for (int i = 0; i < 3; i++) {
        transactor.inIdempotentTransaction(IdempotencyKeys.fresh(caller, "CreateOrder", "order " + i), responses, uow -> "created");
      }
      clock.advance(RETENTION.plusMinutes(1));

      try (IdempotencyCleaner cleaner = new IdempotencyCleaner(new IdempotencyRetention(transactor, clock, RETENTION))) {
        proxy.cut();
        cleaner.start(Duration.ofMillis(200));
        Await.until("a failed cleanup to be logged", PATIENCE, () -> logged(logs, Level.WARN, "idempotency cleanup failed, will retry"));

        proxy.restore();
        Await.until("a cleanup of 3 records to be logged", PATIENCE, () -> logged(logs, Level.INFO, "idempotency cleanup: 3 records older than PT168H"));
        assertThat(Rows.count(dataSource, "SELECT COUNT(*) FROM idempotency_records")).isZero();
      }
    } finally {
      logger.detachAppender(logs);
    }
  }

  private static OrderServiceBlockingStub checkout(GrpcTestServer server) {
    return server.ordersAs("checkout", Role.SERVICE, "orders.create"); // a token valid at the server's current time
  }

  private static boolean logged(ListAppender<ILoggingEvent> logs, Level level, String start) {
    synchronized (logs) { // the appender adds under this lock, from the cleaner's thread
      return logs.list.stream().anyMatch(e -> e.getLevel() == level && e.getFormattedMessage().startsWith(start));
    }
  }
}
