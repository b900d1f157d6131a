package dev.marketplace.orders.bench;

import dev.marketplace.orders.bench.Workloads.Workload;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The benchmark's findings as Markdown: one table per workload, the event feed, then overload, cost growth, sweeper, start-up. */
final class Report {

  static final double WRITE_TARGET = 0.85;
  static final double HALF_LOAD_P99_TARGET_MS = 20;
  static final double GROWTH_TARGET = 1.5;
  static final double FEED_P99_TARGET_MS = 1000;
  /** Everything after this line in an existing report is kept when the report is written again: the analysis. */
  static final String ANALYSIS_MARKER = "<!-- analysis: kept when the benchmark rewrites this file -->";

  /** One concurrency of one workload: the service, the baseline, and what the server spent meanwhile. */
  record Run(
      LoadRunner.Result service,
      LoadRunner.Result baseline,
      Duration wallTime,
      long serverPeakHeap,
      CpuMeters.Reading serviceCpu,
      CpuMeters.Reading baselineCpu) {
    double ratio() {
      return service.throughput() / baseline.throughput();
    }

    /** Cores the server used on average during the service run, warm-up included. */
    double serverCores() {
      return (double) serviceCpu.server().toNanos() / wallTime.toNanos();
    }

    /** CPU microseconds per operation (warm-up included) of each party: callers, server, database. */
    String cpuPerOperation(boolean ofService) {
      CpuMeters.Reading cpu = ofService ? serviceCpu : baselineCpu;
      long ops = Math.max(1, (ofService ? service : baseline).completed());
      return ofService
          ? String.format("%d + %d + %d = %d", micros(cpu.callers(), ops), micros(cpu.server(), ops), micros(cpu.database(), ops),
              micros(cpu.callers().plus(cpu.server()).plus(cpu.database()), ops))
          : String.format("%d + %d = %d", micros(cpu.callers(), ops), micros(cpu.database(), ops), micros(cpu.callers().plus(cpu.database()), ops));
    }

    private static long micros(Duration d, long ops) {
      return d.toNanos() / 1000 / ops;
    }
  }

  final boolean smoke;
  String database;
  String settings;
  Duration startup;
  double totalSeconds;
  long smallOrders;
  long largeOrders;
  final Map<Workload, String> statements = new EnumMap<>(Workload.class);
  final Map<Workload, List<Run>> runs = new EnumMap<>(Workload.class);
  final Map<Workload, LoadRunner.Result> half = new EnumMap<>(Workload.class);
  Map<Workload, LoadRunner.Result> growthSmall;
  Map<Workload, LoadRunner.Result> growthLarge;
  Overload.Result overload;
  Map<Integer, Double> sweeps = new LinkedHashMap<>();
  Map<String, Long> baselineEffects = new LinkedHashMap<>();
  final List<FeedLatency.Result> feed = new ArrayList<>();
  Duration feedCatchUp;

  Report(boolean smoke) {
    this.smoke = smoke;
  }

  String render() {
    StringBuilder md = new StringBuilder();
    md.append("# Benchmarks\n\n");
    if (smoke) {
      md.append("**Smoke run**: a tiny data set and one-second runs, to prove the benchmark works. The figures mean nothing.\n\n");
    }
    md.append("The last run of `bench/` (see [How to run it](#how-to-run-it)). Everything below was measured in one invocation,\n")
        .append("on one machine, against one database; the raw-JDBC baseline replays, over plain JDBC with the same pool settings\n")
        .append("(10 connections), the very statements the server sent for one sample call of each workload, taken from its\n")
        .append("statement log (`ORDERS_STATEMENT_LOG`), in the same transactions, at the same concurrency.\n\n");
    md.append("- Date: ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append('\n');
    md.append("- Machine: ").append(machine()).append('\n');
    md.append("- Database: ").append(database).append('\n');
    md.append("- Settings: ").append(settings).append('\n');
    md.append("- Server: default configuration (10 handler threads and connections, queue 256), `-Xms256m -Xmx512m`, plaintext\n");
    md.append("- Whole run: ").append(Math.round(totalSeconds)).append(" s\n\n");

    md.append("## Targets\n\n| target | measured | met |\n| --- | --- | --- |\n");
    for (Workload w : Workload.values()) {
      if (w.write && runs.containsKey(w)) {
        double worst = runs.get(w).stream().mapToDouble(Run::ratio).min().orElse(Double.NaN);
        md.append(String.format("| %s: service throughput >= %.0f %% of the baseline | %.0f %% (lowest ratio) | %s |%n",
            w.title, 100 * WRITE_TARGET, 100 * worst, mark(worst >= WRITE_TARGET)));
      }
    }
    for (Map.Entry<Workload, LoadRunner.Result> h : half.entrySet()) {
      double p99 = h.getValue().percentileMillis(99);
      md.append(String.format("| %s: p99 at half of saturation < %.0f ms | %.2f ms | %s |%n", h.getKey().title, HALF_LOAD_P99_TARGET_MS, p99, mark(p99 < HALF_LOAD_P99_TARGET_MS)));
    }
    if (growthSmall != null && growthLarge != null) {
      for (Workload w : growthSmall.keySet()) {
        double ratio = growthLarge.get(w).percentileMillis(50) / growthSmall.get(w).percentileMillis(50);
        md.append(String.format("| %s: p50 at %,d orders / at %,d orders < %.1f | %.2f | %s |%n", w.title, largeOrders, smallOrders, GROWTH_TARGET, ratio, mark(ratio < GROWTH_TARGET)));
      }
    }
    for (FeedLatency.Result f : feed) {
      double p99 = f.percentileMillis(99);
      md.append(String.format("| event feed: commit to delivery p99 at %d cancelling callers < %.0f ms | %.1f ms | %s |%n",
          f.callers(), FEED_P99_TARGET_MS, p99, mark(p99 < FEED_P99_TARGET_MS)));
    }
    if (sweeps.size() >= 2) {
      List<Map.Entry<Integer, Double>> s = new ArrayList<>(sweeps.entrySet());
      double ratio = s.get(s.size() - 1).getValue() / s.get(0).getValue();
      md.append(String.format("| sweeper: time per expired request with %,d / with %,d pending < %.1f | %.2f | %s |%n",
          s.get(s.size() - 1).getKey(), s.get(0).getKey(), GROWTH_TARGET, ratio, mark(ratio < GROWTH_TARGET)));
    }
    md.append('\n');

    md.append("## Workloads: service against raw JDBC\n\n");
    md.append("Throughput in operations per second; latency in milliseconds (HdrHistogram, per operation, as the caller saw it);\n")
        .append("server CPU in cores used on average during the run (warm-up included), peak heap as the JVM's heap pools reported it.\n\n");
    for (Workload w : Workload.values()) {
      if (!runs.containsKey(w)) {
        continue;
      }
      md.append("### ").append(w.title).append("\n\n");
      md.append("Per operation the server sends ").append(statements.getOrDefault(w, "?")).append(".\n\n");
      md.append("| callers | service ops/s | baseline ops/s | service / baseline | service p50 / p99 / p99.9 | baseline p50 / p99 / p99.9 | server CPU | server peak heap | errors (service / baseline) |\n");
      md.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
      for (Run r : runs.get(w)) {
        md.append(String.format("| %d | %.0f | %.0f | %.2f | %s | %s | %.2f cores | %d MiB | %s / %s |%n",
            r.service().callers(), r.service().throughput(), r.baseline().throughput(), r.ratio(),
            percentiles(r.service()), percentiles(r.baseline()), r.serverCores(), r.serverPeakHeap() >> 20,
            errors(r.service()), errors(r.baseline())));
      }
      md.append('\n');
      md.append("CPU per operation, in microseconds, warm-up included: service = callers (client module) + server + database; baseline = callers (JDBC) + database.\n\n");
      md.append("| callers | service | baseline |\n| ---: | ---: | ---: |\n");
      for (Run r : runs.get(w)) {
        md.append(String.format("| %d | %s | %s |%n", r.service().callers(), r.cpuPerOperation(true), r.cpuPerOperation(false)));
      }
      md.append('\n');
    }
    if (!baselineEffects.isEmpty()) {
      long baselineCancels = completed(Workload.CANCEL_UNPAID, false);
      long baselineApprovals = completed(Workload.REQUEST_AND_APPROVE, false);
      md.append(String.format("The baseline's writes took effect: %d replays of the unpaid cancel left %d orders cancelled, %d replays of request-and-approve left %d.%n%n",
          baselineCancels, baselineEffects.getOrDefault("jdbc-cancel", 0L), baselineApprovals, baselineEffects.getOrDefault("jdbc-approve", 0L)));
    }

    if (!feed.isEmpty()) {
      md.append("## Event feed: commit to delivery\n\n")
          .append("During each service run of the unpaid cancel above (same callers, same measured window), one WatchOrderEvents\n")
          .append("consumer through the client module (a service token with `events.read`, ALL_ORDERS, from now) timed every event\n")
          .append("from its `occur_time` to its arrival, on the same machine's clock. `occur_time` is taken inside the writing\n")
          .append("transaction, before it commits, so these figures slightly over-estimate commit-to-delivery. The server polls the\n")
          .append("feed every 0.1 s (`ORDERS_FEED_POLL_INTERVAL`), which sets the floor.\n\n");
      if (feedCatchUp != null) {
        md.append("Before the first run, the feed needed ").append(String.format("%.1f", feedCatchUp.toMillis() / 1000.0))
            .append(" s to deliver a fresh event: the data set's bulk inserts (`INSERT ... SELECT`) leave unused positions behind,\n")
            .append("which the server's feed horizon settles together, one grace (`ORDERS_FEED_HOLE_GRACE`) after it first sees a position above them. The runs\n")
            .append("below start after that.\n\n");
      }
      md.append("| cancelling callers | cancels/s | events/s delivered | commit to delivery p50 / p99 / p99.9 ms | max ms | over 1 s | reconnects |\n");
      md.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
      for (FeedLatency.Result f : feed) {
        md.append(String.format("| %d | %.0f | %.0f | %s | %.1f | %d | %d |%n",
            f.callers(), f.writeOpsPerSecond(), f.eventsPerSecond(), percentiles(f.latency()),
            f.latency().getTotalCount() == 0 ? Double.NaN : f.latency().getMaxValue() / 1000.0, f.late(), f.reconnects()));
      }
      md.append('\n');
    }

    if (!half.isEmpty()) {
      md.append("## At half of saturation\n\nThe service paced at half the best throughput it reached above (open schedule, latency from each operation's scheduled start).\n\n");
      md.append("| workload | callers | paced at ops/s | achieved ops/s | p50 / p99 / p99.9 ms |\n| --- | ---: | ---: | ---: | ---: |\n");
      for (Map.Entry<Workload, LoadRunner.Result> h : half.entrySet()) {
        double saturation = runs.get(h.getKey()).stream().mapToDouble(r -> r.service().throughput()).max().orElse(0);
        md.append(String.format("| %s | %d | %.0f | %.0f | %s |%n", h.getKey().title, h.getValue().callers(), saturation / 2, h.getValue().throughput(), percentiles(h.getValue())));
      }
      md.append('\n');
    }

    if (overload != null) {
      Overload.Result o = overload;
      md.append("## Overload\n\nGetOrder offered on an open schedule at twice the highest GetOrder throughput above, for ")
          .append(Math.round(o.seconds())).append(" s.\n\n");
      md.append("| offered ops/s | admitted ops/s | refused with RESOURCE_EXHAUSTED | admitted p50 / p99 / p99.9 ms | refusals answered in p50 / p99 ms | other failures | server threads before / max | server heap before / max |\n");
      md.append("| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |\n");
      md.append(String.format("| %.0f | %.0f | %.1f %% | %s | %.2f / %.2f | %s | %d / %d | %d / %d MiB |%n%n",
          o.offeredPerSecond(), o.admittedPerSecond(), 100 * o.refusedShare(), percentiles(o.admittedLatency()),
          o.refusedLatency().getTotalCount() == 0 ? 0.0 : o.refusedLatency().getValueAtPercentile(50) / 1000.0,
          o.refusedLatency().getTotalCount() == 0 ? 0.0 : o.refusedLatency().getValueAtPercentile(99) / 1000.0,
          o.otherFailures().isEmpty() ? "none" : o.otherFailures().toString(), o.threadsBefore(), o.threadsMax(), o.heapBefore() >> 20, o.heapMax() >> 20));
    }

    if (growthSmall != null && growthLarge != null) {
      md.append("## Cost growth\n\nThe same read workloads, 16 callers, with ").append(String.format("%,d", smallOrders)).append(" and with ")
          .append(String.format("%,d", largeOrders)).append(" orders in the database.\n\n");
      md.append("| workload | orders | ops/s | p50 / p99 / p99.9 ms |\n| --- | ---: | ---: | ---: |\n");
      for (Workload w : growthSmall.keySet()) {
        md.append(String.format("| %s | %,d | %.0f | %s |%n", w.title, smallOrders, growthSmall.get(w).throughput(), percentiles(growthSmall.get(w))));
        md.append(String.format("| %s | %,d | %.0f | %s |%n", w.title, largeOrders, growthLarge.get(w).throughput(), percentiles(growthLarge.get(w))));
      }
      md.append('\n');
    }
    if (!sweeps.isEmpty()) {
      md.append("## Sweeper\n\nThe deadline sweep (batches of 50, `FOR UPDATE SKIP LOCKED`) expiring the same number of due requests with a small and a large backlog of pending ones.\n\n");
      md.append("| pending requests | ms per expired request (cancel + refund + history) |\n| ---: | ---: |\n");
      sweeps.forEach((backlog, ms) -> md.append(String.format("| %,d | %.3f |%n", backlog, ms)));
      md.append('\n');
    }
    if (startup != null) {
      md.append("## Start-up\n\nFrom the server process's start to health `SERVING`, on the external database (schema already migrated): **")
          .append(startup.toMillis()).append(" ms**.\n\n");
    }
    md.append("## How to run it\n\n");
    md.append("From the repository's root, with only a JDK 17 (the MariaDB at 127.0.0.1:3306 is used when one answers, else an\n")
        .append("embedded one is started; under ten minutes with the defaults):\n\n")
        .append("    ./mvnw -B -q package -DskipTests && java -jar bench/target/orders-bench.jar\n\n")
        .append("`--help` lists the options (concurrency, durations, data-set sizes, `--db-url`, `--embedded`, `--output`).\n")
        .append("`--smoke` runs every phase in a few seconds on a tiny data set; `BenchSmokeTest` does that in every build.\n")
        .append("`--no-feed` leaves out the event feed's consumer (to compare the cancel throughput with commits before the feed).\n")
        .append("Server logs and the statement log are left in `target/bench/`.\n\n");
    return md.toString();
  }

  private long completed(Workload w, boolean service) {
    return runs.getOrDefault(w, List.of()).stream().mapToLong(r -> (service ? r.service() : r.baseline()).completed()).sum();
  }

  private static String percentiles(LoadRunner.Result r) {
    return percentiles(r.latency());
  }

  private static String percentiles(org.HdrHistogram.Histogram h) {
    if (h.getTotalCount() == 0) {
      return "-";
    }
    return String.format("%.2f / %.2f / %.2f", h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0);
  }

  private static String errors(LoadRunner.Result r) {
    String e = r.errors() == 0 ? "0" : r.errors() + " " + r.errorsBy();
    return r.exhausted() ? e + " (pool used up)" : e;
  }

  private static String mark(boolean met) {
    return met ? "yes" : "**no**";
  }

  private static String machine() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    long memory = 0;
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      memory = sun.getTotalMemorySize() >> 30;
    }
    return os.getAvailableProcessors() + " cores (" + cpuModel() + "), " + memory + " GiB, " + os.getName() + " " + os.getVersion()
        + ", Java " + System.getProperty("java.version") + "; client, server and database share it";
  }

  private static String cpuModel() {
    try {
      return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown CPU");
    } catch (java.io.IOException e) {
      return "unknown CPU";
    }
  }
}
