package dev.marketplace.orders.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.bench.Workloads.Workload;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.cancellation.CancellationSettings;
import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.usecase.DeadlineExpiry;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The benchmark, in one invocation: a database with a realistic data set, a server process on it,
 * the five workloads through the client module and as a raw-JDBC replay of the server's own
 * statements at the same concurrency, a paced run at half of saturation, overload at twice
 * saturation, cost growth from ten thousand to a million orders, the sweeper with a small and a
 * large backlog, and the server's start-up time; during the unpaid-cancel runs a WatchOrderEvents
 * consumer times commit to delivery. Writes the report to {@code docs/benchmarks.md}.
 */
@Command(
    name = "orders-bench",
    mixinStandardHelpOptions = true,
    description = "End-to-end benchmark of the orders service against a raw-JDBC baseline.")
public final class Bench implements Callable<Integer> {

  @Option(names = "--db-url", description = "JDBC URL of a MariaDB server, ending in '/'; default: 127.0.0.1:3306 if it answers, else an embedded MariaDB")
  String dbUrl;

  @Option(names = "--embedded", description = "use an embedded MariaDB even if 127.0.0.1:3306 answers")
  boolean embedded;

  @Option(names = "--db-user", defaultValue = "root")
  String dbUser;

  @Option(names = "--db-password", defaultValue = "")
  String dbPassword;

  @Option(names = "--callers", split = ",", defaultValue = "16,64", description = "concurrent callers, one run each (default: ${DEFAULT-VALUE})")
  List<Integer> callers;

  @Option(names = "--warmup", defaultValue = "PT3S", description = "warm-up before each measured run (default: ${DEFAULT-VALUE})")
  Duration warmup;

  @Option(names = "--duration", defaultValue = "PT8S", description = "measured time of each run (default: ${DEFAULT-VALUE})")
  Duration duration;

  @Option(names = "--orders", defaultValue = "10000", description = "orders in the data set (default: ${DEFAULT-VALUE})")
  long orders;

  @Option(names = "--large-orders", defaultValue = "1000000", description = "orders for the cost-growth run (default: ${DEFAULT-VALUE})")
  long largeOrders;

  @Option(names = "--buyers", defaultValue = "400", description = "marketplace buyers (default: ${DEFAULT-VALUE})")
  int buyers;

  @Option(names = "--sellers", defaultValue = "50", description = "marketplace sellers (default: ${DEFAULT-VALUE})")
  int sellers;

  @Option(names = "--pool-per-caller", defaultValue = "1500", description = "prepared orders per caller and write workload (default: ${DEFAULT-VALUE})")
  int poolPerCaller;

  @Option(names = "--pending", split = ",", defaultValue = "1000,100000", description = "pending-request backlogs for the sweeper (default: ${DEFAULT-VALUE})")
  List<Integer> pending;

  @Option(names = "--sweep-due", defaultValue = "1000", description = "due requests swept at each backlog (default: ${DEFAULT-VALUE})")
  int sweepDue;

  @Option(names = "--output", defaultValue = "docs/benchmarks.md", description = "report file (default: ${DEFAULT-VALUE})")
  Path output;

  @Option(names = "--work-dir", defaultValue = "target/bench", description = "server logs and the statement log (default: ${DEFAULT-VALUE})")
  Path workDir;

  @Option(names = "--workloads", split = ",", description = "only these workloads (default: all): ${COMPLETION-CANDIDATES}")
  List<Workload> only;

  @Option(names = "--server-jvm-args", split = " ", description = "extra JVM options for the measured server, e.g. a JFR recording")
  List<String> serverJvmArgs = List.of();

  @Option(
      names = "--no-feed",
      description = "no WatchOrderEvents consumer during the unpaid-cancel runs (to compare throughput with commits before the feed)")
  boolean noFeed;

  @Option(names = "--smoke", description = "a few seconds on a tiny data set, to prove the benchmark works; report to the work dir")
  boolean smoke;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Bench()).execute(args));
  }

  /** For the smoke test: runs with these arguments and returns the report's text. */
  static String runForTest(String... args) throws Exception {
    Bench bench = new Bench();
    new CommandLine(bench).parseArgs(args);
    if (bench.call() != 0) {
      throw new IllegalStateException("the benchmark failed");
    }
    return Files.readString(bench.output);
  }

  @Override
  public Integer call() throws Exception {
    if (smoke) {
      callers = List.of(2);
      warmup = Duration.ofMillis(200);
      duration = Duration.ofMillis(800);
      orders = Math.min(orders, 600);
      largeOrders = Math.min(largeOrders, 1200);
      buyers = Math.min(buyers, 20);
      sellers = Math.min(sellers, 5);
      poolPerCaller = Math.min(poolPerCaller, 400);
      pending = List.of(50, 200);
      sweepDue = 50;
      if (output.equals(Path.of("docs/benchmarks.md"))) {
        output = workDir.resolve("benchmarks-smoke.md");
      }
    }
    Report report = new Report(smoke);
    long began = System.nanoTime();
    Files.createDirectories(workDir);
    try (BenchDatabase database = BenchDatabase.open(Optional.ofNullable(dbUrl), embedded, dbUser, dbPassword)) {
      report.database = database.description();
      progress("database: " + database.description() + ", schema " + database.jdbcUrl());
      database.migrate();
      int maxCallers = callers.stream().mapToInt(Integer::intValue).max().orElse(1);
      try (HikariDataSource pool = database.pool(10)) {
        DataSet data = new DataSet(pool, Instant.now());
        timed("seeded " + orders + " marketplace orders", () -> data.seedMarketplace(orders, buyers, sellers));
        data.seedPool(Workloads.SAMPLE_CANCEL, 1, 3, "AWAITING_PAYMENT");
        data.seedPool(Workloads.SAMPLE_APPROVE, 1, 3, "AWAITING_SHIPMENT");
        Workloads workloads = new Workloads();
        workloads.loadReadBuyers(pool, 64);

        // 1. What the server sends to the database for each workload, from its own statement log.
        Path statementLog = workDir.resolve("statements.jsonl");
        Files.deleteIfExists(statementLog);
        try (ServerUnderTest logging =
            ServerUnderTest.start(database, Map.of("ORDERS_STATEMENT_LOG", statementLog.toString()), workDir.resolve("server-capture.log"), List.of())) {
          ManagedChannel channel = channel(logging);
          workloads.capture(channel, statementLog, pool);
          channel.shutdownNow();
        }
        for (Workload w : Workload.values()) {
          StatementTemplates t = workloads.templates(w);
          report.statements.put(w, t.transactions().size() + " transactions, " + t.statementCount() + " statements");
        }
        progress("captured the statements of each workload: " + report.statements);

        try (ServerUnderTest server = ServerUnderTest.start(database, Map.of(), workDir.resolve("server.log"), serverJvmArgs)) {
          report.startup = server.startup();
          progress("server SERVING " + server.startup().toMillis() + " ms after its process started");
          ManagedChannel channel = channel(server);

          // The server's JIT compiles the hot paths before anything is measured.
          for (Workload w : List.of(Workload.GET_ORDER, Workload.LIST_ORDERS, Workload.CHECK_ELIGIBILITY)) {
            LoadRunner.run("jit-warmup", 16, Duration.ZERO, warmup.multipliedBy(5), c -> workloads.service(w, channel, c, List.of(), List.of()));
          }
          progress("server warmed up");

          // 2. Cost growth, small end.
          report.growthSmall = growth(channel, workloads, "at " + orders + " orders");

          // 3. The workloads, service and baseline, at each concurrency.
          timed("seeded the write pools", () -> {
            data.seedPool(Workloads.SERVICE_CANCEL, maxCallers, poolPerCaller, "AWAITING_PAYMENT");
            data.seedPool(Workloads.BASELINE_CANCEL, maxCallers, poolPerCaller, "AWAITING_PAYMENT");
            data.seedPool(Workloads.SERVICE_APPROVE, maxCallers, poolPerCaller, "AWAITING_SHIPMENT");
            data.seedPool(Workloads.BASELINE_APPROVE, maxCallers, poolPerCaller, "AWAITING_SHIPMENT");
            return null;
          });
          List<Queue<UUID>> svcCancel = Workloads.pools(pool, Workloads.SERVICE_CANCEL, maxCallers, "AWAITING_PAYMENT");
          List<Queue<UUID>> svcApprove = Workloads.pools(pool, Workloads.SERVICE_APPROVE, maxCallers, "AWAITING_SHIPMENT");
          List<Queue<UUID>> jdbcCancel = Workloads.pools(pool, Workloads.BASELINE_CANCEL, maxCallers, "AWAITING_PAYMENT");
          List<Queue<UUID>> jdbcApprove = Workloads.pools(pool, Workloads.BASELINE_APPROVE, maxCallers, "AWAITING_SHIPMENT");
          if (!noFeed && selected().contains(Workload.CANCEL_UNPAID)) {
            report.feedCatchUp =
                FeedLatency.awaitCaughtUp(
                    workloads.client(channel, "bench-feed", Role.SERVICE, "events.read"),
                    workloads.service(Workload.CANCEL_UNPAID, channel, 0, svcCancel, svcApprove),
                    Duration.ofMinutes(10));
            progress("the feed caught up with the seeded data in " + report.feedCatchUp.toMillis() + " ms");
          }
          try (HikariDataSource baselinePool = database.pool(10)) {
            for (int n : callers) {
              for (Workload w : selected()) {
                server.resetPeaks();
                CpuMeters.Reading before = CpuMeters.read(server);
                // The feed's consumer follows the unpaid cancels' events during the same run and window.
                Instant runStart = Instant.now();
                FeedLatency feed =
                    w == Workload.CANCEL_UNPAID && !noFeed
                        ? new FeedLatency(workloads.client(channel, "bench-feed", Role.SERVICE, "events.read"), runStart.plus(warmup), runStart.plus(warmup).plus(duration))
                        : null;
                LoadRunner.Result service =
                    LoadRunner.run(w.name().toLowerCase() + "-service", n, warmup, duration, c -> workloads.service(w, channel, c, svcCancel, svcApprove));
                CpuMeters.Reading serviceCpu = CpuMeters.read(server).minus(before);
                if (feed != null) {
                  FeedLatency.Result delivered = feed.finish(n, service.throughput());
                  if (delivered.events() == 0 && service.operations() > 0) {
                    throw new IllegalStateException("the feed's consumer received none of the events of " + service.operations() + " measured cancels");
                  }
                  report.feed.add(delivered);
                  progress(String.format("%-20s %3d callers: feed delivered %8.1f events/s, commit to delivery p50 %.1f ms p99 %.1f ms",
                      w, n, delivered.eventsPerSecond(), delivered.percentileMillis(50), delivered.percentileMillis(99)));
                }
                long heap = server.peakHeap();
                before = CpuMeters.read(server);
                LoadRunner.Result baseline =
                    LoadRunner.run(w.name().toLowerCase() + "-jdbc", n, warmup, duration, c -> workloads.baseline(w, baselinePool, c, jdbcCancel, jdbcApprove));
                CpuMeters.Reading baselineCpu = CpuMeters.read(server).minus(before);
                report.runs.computeIfAbsent(w, k -> new ArrayList<>()).add(new Report.Run(service, baseline, warmup.plus(duration), heap, serviceCpu, baselineCpu));
                progress(String.format("%-20s %3d callers: service %8.1f/s p99 %7.2f ms | jdbc %8.1f/s p99 %7.2f ms | ratio %.2f",
                    w, n, service.throughput(), service.percentileMillis(99), baseline.throughput(), baseline.percentileMillis(99),
                    service.throughput() / baseline.throughput()));
              }
            }
          }
          report.baselineEffects = baselineEffects(pool);
          if (report.runs.containsKey(Workload.CANCEL_UNPAID)) {
            requireEffect(report, Workload.CANCEL_UNPAID, "jdbc-cancel");
          }
          if (report.runs.containsKey(Workload.REQUEST_AND_APPROVE)) {
            requireEffect(report, Workload.REQUEST_AND_APPROVE, "jdbc-approve");
          }

          // 4. Half of saturation, paced: the latency a caller sees with headroom.
          int most = callers.stream().mapToInt(Integer::intValue).max().orElse(1);
          for (Workload w : selected()) {
            double saturation = report.runs.get(w).stream().mapToDouble(r -> r.service().throughput()).max().orElse(1);
            LoadRunner.Result half =
                LoadRunner.run(w.name().toLowerCase() + "-half", most, warmup, duration, saturation / 2,
                    c -> workloads.service(w, channel, c, svcCancel, svcApprove));
            report.half.put(w, half);
            progress(String.format("%-20s at half of saturation (%.0f/s): p99 %.2f ms", w, saturation / 2, half.percentileMillis(99)));
          }

          // 5. Overload: twice the saturation of GetOrder.
          double saturation =
              report.runs.getOrDefault(Workload.GET_ORDER, List.of()).stream().mapToDouble(r -> r.service().throughput()).max()
                  .orElse(report.growthSmall.get(Workload.GET_ORDER).throughput());
          report.overload = Overload.run(channel, server, workloads, 2 * saturation, duration.plus(warmup));
          progress(String.format("overload at %.0f/s: %.1f %% refused, admitted p99 %.1f ms",
              report.overload.offeredPerSecond(), 100 * report.overload.refusedShare(), report.overload.admittedLatency().getValueAtPercentile(99) / 1000.0));

          // 6. Cost growth, large end.
          if (largeOrders > orders) {
            timed("seeded up to " + largeOrders + " marketplace orders", () -> data.seedMarketplace(largeOrders - orders, buyers, sellers));
          }
          report.growthLarge = growth(channel, workloads, "at " + largeOrders + " orders");
          report.largeOrders = largeOrders;
          report.smallOrders = orders;
          channel.shutdownNow();
        }

        // 7. The sweeper, with a small and a large backlog of pending requests (server stopped).
        report.sweeps = sweeps(pool, data);
      }
    }
    report.totalSeconds = (System.nanoTime() - began) / 1e9;
    report.settings = String.format("callers %s, warm-up %s, measured %s per run, %d orders (%d buyers, %d sellers), cost growth to %d orders",
        callers, warmup, duration, orders, buyers, sellers, largeOrders);
    String text = report.render();
    Files.createDirectories(output.toAbsolutePath().getParent());
    if (Files.exists(output)) {
      String previous = Files.readString(output);
      int analysis = previous.indexOf(Report.ANALYSIS_MARKER);
      if (analysis >= 0) {
        text = text + previous.substring(analysis);
      }
    }
    Files.writeString(output, text);
    System.out.println();
    System.out.println(text);
    progress("report written to " + output + " in " + Math.round(report.totalSeconds) + " s");
    return 0;
  }

  private List<Workload> selected() {
    return only == null || only.isEmpty() ? List.of(Workload.values()) : only;
  }

  private Map<Workload, LoadRunner.Result> growth(ManagedChannel channel, Workloads workloads, String label) throws InterruptedException {
    Map<Workload, LoadRunner.Result> results = new EnumMap<>(Workload.class);
    for (Workload w : List.of(Workload.GET_ORDER, Workload.LIST_ORDERS)) {
      LoadRunner.Result r = LoadRunner.run(w.name().toLowerCase() + "-growth", 16, warmup, duration, c -> workloads.service(w, channel, c, List.of(), List.of()));
      results.put(w, r);
      progress(String.format("%-12s %s: %.1f/s p50 %.2f ms p99 %.2f ms", w, label, r.throughput(), r.percentileMillis(50), r.percentileMillis(99)));
    }
    return results;
  }

  /** Time per expired request when {@code sweepDue} requests fall due among each backlog. */
  private Map<Integer, Double> sweeps(HikariDataSource pool, DataSet data) throws Exception {
    Map<Integer, Double> perRequest = new LinkedHashMap<>();
    DeadlineExpiry expiry = new DeadlineExpiry(Transactor.over(pool, Clock.systemUTC()), Clock.systemUTC(), CancellationSettings.defaults());
    int seeded = 0;
    int round = 0;
    // Unmeasured: the JIT compiles the sweep first.
    data.seedPendingRequests("sweep-warmup", sweepDue, Instant.now().minusSeconds(1));
    while (expiry.sweep(50) > 0) {
      // until none is due
    }
    for (int backlog : pending) {
      int notDue = Math.max(0, backlog - sweepDue - seeded);
      if (notDue > 0) {
        data.seedPendingRequests("sweep-wait" + round, notDue, Instant.now().plus(Duration.ofDays(3)));
        seeded += notDue;
      }
      data.seedPendingRequests("sweep-due" + round, sweepDue, Instant.now().minusSeconds(1));
      long start = System.nanoTime();
      int swept = 0;
      int batch;
      do {
        batch = expiry.sweep(50);
        swept += batch;
      } while (batch > 0);
      double millis = (System.nanoTime() - start) / 1e6;
      if (swept != sweepDue) {
        throw new IllegalStateException("the sweep expired " + swept + " requests, " + sweepDue + " were due");
      }
      perRequest.put(backlog, millis / swept);
      progress(String.format("sweeper: %d due among %d pending: %.3f ms per expired request", sweepDue, backlog, millis / swept));
      round++;
    }
    return perRequest;
  }

  /** How many orders the baseline changed as the service would have: its writes must have taken effect. */
  private static Map<String, Long> baselineEffects(HikariDataSource pool) throws Exception {
    Map<String, Long> effects = new LinkedHashMap<>();
    try (var c = pool.getConnection();
        var s = c.prepareStatement("SELECT buyer_id LIKE 'jdbc-cancel-%', buyer_id LIKE 'jdbc-approve-%', buyer_id LIKE 'svc-cancel-%', COUNT(*)"
            + " FROM orders WHERE state = 'CANCELLED' AND (buyer_id LIKE 'jdbc-%' OR buyer_id LIKE 'svc-%') GROUP BY 1, 2, 3")) {
      try (var rows = s.executeQuery()) {
        while (rows.next()) {
          String who = rows.getBoolean(1) ? "jdbc-cancel" : rows.getBoolean(2) ? "jdbc-approve" : rows.getBoolean(3) ? "svc-cancel" : "svc-approve";
          effects.put(who, rows.getLong(4));
        }
      }
    }
    return effects;
  }

  /** Every baseline replay of a write must have cancelled one order, or the baseline measured something else. */
  private static void requireEffect(Report report, Workload workload, String pool) {
    long replays = report.runs.get(workload).stream().mapToLong(r -> r.baseline().completed()).sum();
    long cancelled = report.baselineEffects.getOrDefault(pool, 0L);
    if (replays != cancelled) {
      throw new IllegalStateException(
          "the baseline's " + replays + " replays of " + workload + " cancelled " + cancelled + " orders: the replay does not do what the service does");
    }
  }

  private static ManagedChannel channel(ServerUnderTest server) {
    return ManagedChannelBuilder.forTarget(server.target()).usePlaintext().build();
  }

  private static <T> T timed(String what, Callable<T> work) throws Exception {
    long start = System.nanoTime();
    T result = work.call();
    progress(what + " in " + Math.round((System.nanoTime() - start) / 1e8) / 10.0 + " s");
    return result;
  }

  static void progress(String line) {
    System.out.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + line);
  }
}
