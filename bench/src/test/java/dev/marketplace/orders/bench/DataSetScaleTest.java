package dev.marketplace.orders.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.domain.testing.InvariantVerifier;
import dev.marketplace.orders.domain.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * How fast {@link DataSet} seeds at benchmark size. Off unless {@code DATASET_SCALE_ORDERS} is set
 * (e.g. 1000000); {@code DATASET_SCALE_PENDING} (default 100000) pending requests follow, and
 * {@code DATASET_SCALE_VERIFY=true} runs the invariant verifier over the whole result (slow). With
 * {@code ORDERS_TEST_DB_URL} it runs on that server instead of the embedded MariaDB.
 */
@EnabledIfEnvironmentVariable(named = "DATASET_SCALE_ORDERS", matches = "[0-9]+")
class DataSetScaleTest {

  @Test
  void seedsAtBenchmarkSize() {
    long orders = Long.parseLong(System.getenv("DATASET_SCALE_ORDERS"));
    int pending = Integer.parseInt(System.getenv().getOrDefault("DATASET_SCALE_PENDING", "100000"));
    try (HikariDataSource dataSource = TestDatabase.migratedDataSource()) {
      DataSet data = new DataSet(dataSource, Instant.now());

      long started = System.nanoTime();
      assertThat(data.seedMarketplace(orders, Math.max(1, (int) Math.min(100_000, orders / 10)), 1000)).isEqualTo(orders);
      report(orders + " marketplace orders", orders, started);

      started = System.nanoTime();
      data.seedPendingRequests("scale", pending, Instant.now().plus(Duration.ofHours(1)));
      report(pending + " pending cancellation requests", pending, started);

      if ("true".equals(System.getenv("DATASET_SCALE_VERIFY"))) {
        started = System.nanoTime();
        InvariantVerifier.Report report = InvariantVerifier.verify(dataSource).assertHolds();
        System.out.printf("verified %s in %.1f s%n", report.summary(), (System.nanoTime() - started) / 1e9);
      }
    }
  }

  private static void report(String what, long rows, long started) {
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("SCALE %s in %.1f s (%.0f per second)%n", what, seconds, rows / seconds);
  }
}
