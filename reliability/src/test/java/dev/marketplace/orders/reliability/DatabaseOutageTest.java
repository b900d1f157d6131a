package dev.marketplace.orders.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.testing.Await;
import dev.marketplace.orders.domain.testing.TcpProxy;
import dev.marketplace.orders.domain.testing.TestDatabase;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The database becomes unreachable under load for several seconds - its port is cut by a proxy
 * between the server process and MariaDB, dropping open connections and refusing new ones - and then
 * comes back. The same server process must fail calls fast and retryably meanwhile, report
 * NOT_SERVING, and serve again soon after, without a restart.
 */
class DatabaseOutageTest {

  private static final Duration OUTAGE = Duration.ofSeconds(6);

  @Test
  void databaseUnreachableUnderLoad_callsFailFastWithUnavailable_healthNotServing_thenTheSameProcessServesAgain() throws Exception {
    String url = TestDatabase.createDatabase();
    URI database = URI.create(url.substring("jdbc:".length()));
    String run = "outage" + UUID.randomUUID().toString().substring(0, 6);
    try (TcpProxy proxy = new TcpProxy(database.getHost(), database.getPort());
        ServerProcess server =
            ServerProcess.on(
                    "outage",
                    "jdbc:mysql://127.0.0.1:" + proxy.port() + database.getPath(),
                    TestDatabase.user(),
                    TestDatabase.password(),
                    Map.of("ORDERS_HEALTH_CHECK_INTERVAL", "PT0.5S"))
                .start();
        Traffic traffic = new Traffic(run, 6, List.of(server.target())).start();
        FeedFollower feed = new FeedFollower(server.target())) {
      ProcessFailuresTest.awaitMoreAcknowledged(traffic, 100);

      proxy.cut();
      long cutAt = System.nanoTime();
      long acknowledgedAtCut = traffic.ledger.acknowledgedTotal();
      Duration notServingAfter = awaitHealth(server, ServingStatus.NOT_SERVING, Duration.ofSeconds(5));
      // Not a condition to wait for: the outage lasts OUTAGE, under load, on purpose.
      Thread.sleep(Math.max(0, OUTAGE.toMillis() - (System.nanoTime() - cutAt) / 1_000_000));
      long failuresDuringOutage = traffic.ledger.failedAttemptMillis.size();
      long slowestFailure = traffic.ledger.slowestFailureMillis();
      Map<Status.Code, Long> codesDuringOutage = traffic.ledger.codesSeen();
      // A few calls that had their connection before the cut may still have committed; none after.
      long acknowledgedDuringOutage = traffic.ledger.acknowledgedTotal() - acknowledgedAtCut;

      proxy.restore();
      long restoredAt = System.nanoTime();
      Duration servingAfter = awaitHealth(server, ServingStatus.SERVING, Duration.ofSeconds(15));
      long acknowledgedAtRestore = traffic.ledger.acknowledgedTotal();
      ProcessFailuresTest.awaitMoreAcknowledged(traffic, 1);
      Duration firstSuccessAfter = Duration.ofNanos(System.nanoTime() - restoredAt);
      ProcessFailuresTest.awaitMoreAcknowledged(traffic, 100);
      assertThat(traffic.ledger.acknowledgedTotal()).isGreaterThan(acknowledgedAtRestore);
      traffic.stopAndAwait(Duration.ofSeconds(60));

      List<String> violations = ProcessFailuresTest.verify(url, run, traffic, feed);
      Figures.record(
          "Database unreachable for " + OUTAGE.toSeconds() + " s under load",
          failuresDuringOutage + " failed attempts during the outage " + codesDuringOutage + ", slowest failure " + slowestFailure
              + " ms, " + acknowledgedDuringOutage + " acknowledged during it; health NOT_SERVING after " + notServingAfter.toMillis()
              + " ms, SERVING again " + servingAfter.toMillis() + " ms after the database returned, first success after "
              + firstSuccessAfter.toMillis() + " ms; " + traffic.ledger.acknowledgedTotal() + " operations acknowledged in all, "
              + traffic.ledger.retries.get() + " retries; a WatchOrderEvents follower received " + feed.received() + " events across "
              + feed.reconnects() + " reconnects; violations " + violations.size());

      assertThat(server.isAlive()).as("the same process, never restarted").isTrue();
      assertThat(failuresDuringOutage).isPositive();
      assertThat(codesDuringOutage.keySet()).as("failures during the outage say: retry later").isEqualTo(Set.of(Status.Code.UNAVAILABLE));
      assertThat(slowestFailure).as("fails fast: within the pool's 1 s connection timeout, well inside the 5 s deadline").isLessThan(2_000);
      // HikariCP backs off between attempts to reconnect, up to 5 s; the pool refills on its next try.
      assertThat(servingAfter).isLessThan(Duration.ofSeconds(8));
      assertThat(firstSuccessAfter).isLessThan(Duration.ofSeconds(8));
      assertThat(violations).isEmpty();
    }
  }

  /** Waits until the server's health is {@code wanted}; returns how long that took. */
  private static Duration awaitHealth(ServerProcess server, ServingStatus wanted, Duration patience) {
    long start = System.nanoTime();
    Await.until("health " + wanted, patience, server::health, status -> status.equals(Optional.of(wanted)));
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
