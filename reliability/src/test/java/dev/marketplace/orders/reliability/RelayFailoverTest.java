package dev.marketplace.orders.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.domain.testing.Await;
import dev.marketplace.orders.domain.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two server processes on one database, both configured to relay to RabbitMQ: one holds the lease and
 * publishes, the other stands by. The relaying process is killed outright (SIGKILL: no lease given
 * up, a batch possibly published and not yet stored as confirmed) while orders keep being written
 * through the other. The other takes over once the lease expires, resumes after the last confirmed
 * position, and in the end every position in the database has been published.
 */
class RelayFailoverTest {

  private static final Duration LEASE = Duration.ofSeconds(3);
  private static final int WORKERS = 4;
  /** The relay's batch: at most this many positions published and not yet confirmed when it died. */
  private static final int BATCH = 250;

  @BeforeAll
  static void broker() {
    BrokerConsumer.assumeBroker();
  }

  @Test
  void relayingReplicaSigkilledUnderLoad_theOtherTakesOverWithinTheLease_andNothingIsMissing() throws Exception {
    String url = TestDatabase.createDatabase();
    String run = "relay" + UUID.randomUUID().toString().substring(0, 6);
    String exchange = "orders.events.reliability." + run;
    Map<String, String> settings = Map.of("ORDERS_AMQP_URL", BrokerConsumer.URL, "ORDERS_AMQP_EXCHANGE", exchange, "ORDERS_RELAY_LEASE", LEASE.toString());
    try (BrokerConsumer consumer = new BrokerConsumer(exchange);
        HikariDataSource db = TestDatabase.dataSource(url, 2);
        ServerProcess one = ServerProcess.on("relay-one", url, TestDatabase.user(), TestDatabase.password(), settings);
        ServerProcess two = ServerProcess.on("relay-two", url, TestDatabase.user(), TestDatabase.password(), settings)) {
      // Both start at once (they share two cores with the test and the database); whichever takes the
      // lease relays, the other stands by and all the writing goes through it.
      CompletableFuture<Void> starting = CompletableFuture.runAsync(() -> startQuietly(two));
      one.start();
      starting.get(120, TimeUnit.SECONDS);
      String relaying = Await.until("one server to hold the relay lease", Duration.ofSeconds(20), () -> holder(db, exchange), Optional::isPresent).get();
      ServerProcess first = pidOf(one).asMatchPredicate().test(relaying) ? one : two;
      ServerProcess second = first == one ? two : one;
      try (Traffic traffic = new Traffic(run, WORKERS, List.of(second.target())).start()) {
        ProcessFailuresTest.awaitMoreAcknowledged(traffic, 40);
        Await.until("the relaying server to publish", Duration.ofSeconds(20), () -> consumer.positions().size() >= 50);

        first.kill();
        long killedAt = System.nanoTime();
        long confirmedAtKill = confirmed(db, exchange);
        int receivedAtKill = consumer.positions().size();
        Await.until("the second server to take the lease over", LEASE.multipliedBy(4), () -> holder(db, exchange), h -> h.filter(pidOf(second).asMatchPredicate()).isPresent());
        long takeoverMillis = (System.nanoTime() - killedAt) / 1_000_000;
        Await.until("the second server to publish", LEASE.multipliedBy(2), () -> consumer.positions().size() > receivedAtKill);
        long resumedMillis = (System.nanoTime() - killedAt) / 1_000_000;

        ProcessFailuresTest.awaitMoreAcknowledged(traffic, 40);
        traffic.stopAndAwait(Duration.ofSeconds(60));

        List<Long> all = positions(db);
        Await.until("every committed position to be published", Duration.ofSeconds(30), () -> consumer.receipts().keySet().containsAll(all));
        List<Long> received = consumer.positions();
        Map<Long, Integer> receipts = consumer.receipts();
        List<Long> duplicates = receipts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        List<Long> missing = new ArrayList<>(all);
        missing.removeAll(receipts.keySet());
        Figures.record(
            "relay replica SIGKILLed under load",
            "lease " + LEASE + ": the standby held the lease " + takeoverMillis + " ms after the kill and published again after " + resumedMillis
                + " ms; " + all.size() + " positions, " + received.size() + " messages, " + duplicates.size()
                + " published twice (the batch after confirmed position " + confirmedAtKill + "), missing " + missing.size());

        assertThat(missing).as("every committed position published").isEmpty();
        assertThat(receipts.keySet()).as("and nothing else").containsExactlyElementsOf(all);
        assertThat(firstReceiptsAscending(received)).as("first receipts in position order").isTrue();
        assertThat(duplicates).as("only what the killed relay published without storing the confirm").allMatch(p -> p > confirmedAtKill && p <= confirmedAtKill + BATCH);
        assertThat(Duration.ofMillis(takeoverMillis)).as("taken over within about the lease").isLessThan(LEASE.multipliedBy(2));
        assertThat(second.logText()).contains("event relay: lease gained");
      }
    }
  }

  private static void startQuietly(ServerProcess server) {
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException(server + " did not start", e);
    }
  }

  /** The holder of the unexpired lease, by the database's clock. */
  private static Optional<String> holder(HikariDataSource db, String exchange) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT lease_holder FROM event_relays WHERE name = ? AND lease_expires_at > NOW(6)")) {
      s.setString(1, exchange);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /** Holder names are host/pid/random. */
  private static java.util.regex.Pattern pidOf(ServerProcess server) {
    return java.util.regex.Pattern.compile(".*/" + server.handle().pid() + "/.*");
  }

  private static long confirmed(HikariDataSource db, String exchange) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT confirmed_position FROM event_relays WHERE name = ?")) {
      s.setString(1, exchange);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  private static List<Long> positions(HikariDataSource db) throws Exception {
    List<Long> positions = new ArrayList<>();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT position FROM order_events ORDER BY position")) {
      while (rs.next()) {
        positions.add(rs.getLong(1));
      }
    }
    return positions;
  }

  private static boolean firstReceiptsAscending(List<Long> received) {
    long highest = 0;
    Set<Long> seen = new HashSet<>();
    for (long p : received) {
      if (seen.add(p)) {
        if (p <= highest) {
          return false;
        }
        highest = p;
      }
    }
    return true;
  }
}
