package dev.marketplace.orders.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.domain.testing.Await;
import dev.marketplace.orders.domain.testing.InvariantVerifier;
import dev.marketplace.orders.domain.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The server process dies under load - killed outright, or stopped the way an orchestrator stops it -
 * and comes back on the same port. Callers keep their request ids across the failure. Afterwards the
 * database is compared with what the callers were told, and verified on its own.
 */
class ProcessFailuresTest {

  private static final int WORKERS = 8;

  @Test
  void sigkillMidLoad_twice_everyAcknowledgedOperationIsStoredExactlyOnce() throws Exception {
    String url = TestDatabase.createDatabase();
    String run = "kill" + UUID.randomUUID().toString().substring(0, 6);
    try (ServerProcess server = ServerProcess.on("sigkill", url, TestDatabase.user(), TestDatabase.password(), Map.of()).start();
        Traffic traffic = new Traffic(run, WORKERS, List.of(server.target())).start();
        FeedFollower feed = new FeedFollower(server.target())) {
      int kills = 0;
      for (int round = 0; round < 2; round++) {
        awaitMoreAcknowledged(traffic, 120);
        server.kill();
        kills++;
        server.start();
      }
      awaitMoreAcknowledged(traffic, 120);
      traffic.stopAndAwait(Duration.ofSeconds(120));

      List<String> violations = verify(url, run, traffic, feed);
      Figures.record(
          "SIGKILL under load",
          traffic.ledger.acknowledgedTotal() + " operations acknowledged (" + traffic.ledger.acknowledged + "), " + kills + " kills, "
              + traffic.ledger.retries.get() + " retries, failures seen " + traffic.ledger.codesSeen() + "; a WatchOrderEvents follower received "
              + feed.received() + " events across " + feed.reconnects() + " reconnects; violations " + violations.size());
      assertThat(violations).isEmpty();
      assertThat(traffic.ledger.retries.get()).as("the kills interrupted calls that were then retried").isPositive();
    }
  }

  @Test
  void sigtermUnderLoad_drainsInFlightCalls_andCallersSeeOnlyRetryableCodes() throws Exception {
    String url = TestDatabase.createDatabase();
    String run = "term" + UUID.randomUUID().toString().substring(0, 6);
    try (ServerProcess server =
            ServerProcess.on("sigterm", url, TestDatabase.user(), TestDatabase.password(), Map.of("ORDERS_SHUTDOWN_GRACE", "PT20S")).start();
        Traffic traffic = new Traffic(run, WORKERS, List.of(server.target())).start();
        FeedFollower feed = new FeedFollower(server.target())) {
      awaitMoreAcknowledged(traffic, 120);
      long atSigterm = traffic.ledger.acknowledgedTotal();
      int exit = server.terminate(Duration.ofSeconds(30));
      long answeredWhileDraining = traffic.ledger.acknowledgedTotal() - atSigterm;
      String log = server.logText();
      server.start();
      awaitMoreAcknowledged(traffic, 120);
      traffic.stopAndAwait(Duration.ofSeconds(120));

      List<String> violations = verify(url, run, traffic, feed);
      Figures.record(
          "SIGTERM under load",
          traffic.ledger.acknowledgedTotal() + " operations acknowledged, 1 SIGTERM (exit " + exit + "), " + answeredWhileDraining
              + " answered between SIGTERM and exit, " + traffic.ledger.retries.get() + " retries, failures seen "
              + traffic.ledger.codesSeen() + "; a WatchOrderEvents follower received " + feed.received() + " events across "
              + feed.reconnects() + " reconnects; violations " + violations.size());
      assertThat(exit).as("exit code after SIGTERM (143 = terminated after shutdown hooks)").isIn(0, 143);
      assertThat(log).contains("orders server stopped").doesNotContain("did not finish within");
      assertThat(traffic.ledger.codesSeen().keySet()).as("only retryable codes").isSubsetOf(Traffic.RETRYABLE);
      assertThat(violations).isEmpty();
    }
  }

  static List<String> verify(String url, String run, Traffic traffic) throws Exception {
    return verify(url, run, traffic, null);
  }

  /** The ledger, the invariants and, when there is one, what a feed follower received against the history. */
  static List<String> verify(String url, String run, Traffic traffic, FeedFollower feed) throws Exception {
    try (HikariDataSource dataSource = TestDatabase.dataSource(url, 2)) {
      List<String> violations = new ArrayList<>(LedgerCheck.violations(dataSource, run, traffic.ledger));
      if (feed != null) {
        violations.addAll(feed.violations(dataSource, Duration.ofSeconds(60)));
      }
      InvariantVerifier.Report report = InvariantVerifier.verify(dataSource);
      System.out.println("invariants: " + report.summary());
      violations.addAll(report.violations());
      return violations;
    }
  }

  /** Waits until the callers have had {@code more} further operations acknowledged. */
  static void awaitMoreAcknowledged(Traffic traffic, long more) {
    long target = traffic.ledger.acknowledgedTotal() + more;
    Await.until(
        "the callers to have " + target + " operations acknowledged",
        Duration.ofSeconds(60),
        () -> new Progress(traffic.ledger.acknowledgedTotal(), List.copyOf(traffic.ledger.violations)),
        progress -> progress.acknowledged() >= target);
  }

  /** How far the callers got, as a timeout reports it. */
  private record Progress(long acknowledged, List<String> violations) {
    @Override
    public String toString() {
      return acknowledged + " acknowledged, violations " + violations;
    }
  }
}
