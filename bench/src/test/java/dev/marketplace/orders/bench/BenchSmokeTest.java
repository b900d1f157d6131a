package dev.marketplace.orders.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.bench.Workloads.Workload;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The benchmark in its smoke mode - a tiny data set, one-second runs - so that it cannot rot: every
 * phase runs end to end (capture from the statement log, service and baseline, the event feed's
 * consumer during the unpaid cancels, half load, overload,
 * cost growth, sweeper, start-up) and the report has a section for each; the baseline's writes were
 * checked to take effect (the benchmark fails otherwise). The figures themselves are not judged.
 */
class BenchSmokeTest {

  @Test
  void smokeRun_measuresEveryWorkloadAgainstItsBaseline_andWritesTheReport() throws Exception {
    List<String> args = new ArrayList<>(List.of("--smoke", "--work-dir", "target/bench-smoke"));
    String external = System.getenv("ORDERS_TEST_DB_URL");
    if (external != null && !external.isBlank()) {
      args.addAll(List.of("--db-url", external));
    } else {
      args.add("--embedded");
    }

    String report = Bench.runForTest(args.toArray(String[]::new));

    assertThat(report).contains("Smoke run");
    for (Workload w : Workload.values()) {
      assertThat(report).contains("### " + w.title);
    }
    assertThat(report)
        .contains("## Event feed: commit to delivery", "## At half of saturation", "## Overload", "## Cost growth", "## Sweeper", "## Start-up")
        .contains("The baseline's writes took effect");
  }
}
