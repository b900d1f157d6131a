package dev.marketplace.orders.reliability;

import dev.marketplace.orders.domain.testing.Await;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The orders server as an operating-system process, started from this test's own classpath with the
 * production entry point ({@code Main serve}) and configured by environment variables, as a
 * deployment would. It can be killed (SIGKILL), terminated (SIGTERM) and started again on the same
 * port. Its output goes to a log file under {@code target/} for post-mortems.
 */
final class ServerProcess implements AutoCloseable {

  /** The HS256 secret every process of a test shares, so one token works against all of them. */
  static final String SECRET = "reliability-secret-0123456789-0123456789";

  private final String name;
  private final int port;
  private final Map<String, String> settings;
  private final Path log;
  private Process process;
  private int starts;

  private ServerProcess(String name, int port, Map<String, String> settings) {
    this.name = name;
    this.port = port;
    this.settings = settings;
    this.log = Path.of("target", "server-logs", name + ".log");
  }

  /** A server on a free port over the database at {@code jdbcUrl}, with these extra settings (env names). */
  static ServerProcess on(String name, String jdbcUrl, String user, String password, Map<String, String> extra) throws IOException {
    Map<String, String> settings = new HashMap<>();
    settings.put("ORDERS_PORT", Integer.toString(freePort()));
    settings.put("ORDERS_BIND_ADDRESS", "127.0.0.1");
    settings.put("ORDERS_DB_URL", jdbcUrl);
    settings.put("ORDERS_DB_USER", user);
    settings.put("ORDERS_DB_PASSWORD", password);
    settings.put("ORDERS_AUTH_HS256_SECRET", SECRET);
    settings.put("ORDERS_HEALTH_CHECK_INTERVAL", "PT0.5S");
    settings.putAll(extra);
    return new ServerProcess(name, Integer.parseInt(settings.get("ORDERS_PORT")), settings);
  }

  /**
   * A server on a free port with the embedded database in {@code dataDir}, as a developer runs it:
   * no database URL. Tokens are signed with {@link #SECRET}, so {@link Traffic} works against it.
   */
  static ServerProcess embedded(String name, Path dataDir, Map<String, String> extra) throws IOException {
    Map<String, String> settings = new HashMap<>();
    settings.put("ORDERS_PORT", Integer.toString(freePort()));
    settings.put("ORDERS_BIND_ADDRESS", "127.0.0.1");
    settings.put("ORDERS_DATA_DIR", dataDir.toString());
    settings.put("ORDERS_AUTH_HS256_SECRET", SECRET);
    settings.put("ORDERS_HEALTH_CHECK_INTERVAL", "PT0.5S");
    settings.putAll(extra);
    return new ServerProcess(name, Integer.parseInt(settings.get("ORDERS_PORT")), settings);
  }

  int port() {
    return port;
  }

  String target() {
    return "127.0.0.1:" + port;
  }

  /** Starts the process and waits until its health check answers SERVING. */
  ServerProcess start() throws IOException, InterruptedException {
    launch();
    awaitServing(Duration.ofSeconds(90));
    return this;
  }

  /**
   * Starts a process that is expected to refuse to run, and returns its exit code. It fails if the
   * process is still running after {@code patience}; the process is then killed.
   */
  int startExpectingExit(Duration patience) throws IOException, InterruptedException {
    launch();
    if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      throw new AssertionError(name + " was expected to exit but still ran after " + patience + ":\n" + tail());
    }
    return process.exitValue();
  }

  private void launch() throws IOException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " is already running");
    }
    Files.createDirectories(log.getParent());
    if (starts == 0) {
      Files.deleteIfExists(log); // one log per test run; restarts of this process append to it
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Small and quick to start: several of these share two cores with the test and the database.
    command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k"));
    command.addAll(List.of("-cp", classpath(), "dev.marketplace.orders.server.Main", "serve"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().keySet().removeIf(key -> key.startsWith("ORDERS_"));
    builder.environment().putAll(settings);
    Files.writeString(log, "---- start " + (++starts) + " ----\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    process = builder.start();
  }

  /** SIGKILL: no shutdown hook runs, nothing is drained; as a crash or an OOM kill would. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError(name + " still ran 30 s after SIGKILL");
    }
  }

  /** SIGTERM, as an orchestrator stops a pod; returns the exit code once the process has drained and exited. */
  int terminate(Duration patience) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " did not exit within " + patience + " of SIGTERM; see " + log.toAbsolutePath());
    }
    return process.exitValue();
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** The running (or last) process, to find its pid and the processes it started. */
  ProcessHandle handle() {
    return process.toHandle();
  }

  String logText() throws IOException {
    return Files.readString(log);
  }

  /** What the last start printed (stdout and stderr), without the markers this class adds. */
  List<String> lastStartOutput() throws IOException {
    List<String> lines = Files.readAllLines(log);
    int marker = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("---- start ")) {
        marker = i;
      }
    }
    return lines.subList(marker + 1, lines.size());
  }

  /** The health status of the whole server, or empty when it does not answer. */
  Optional<ServingStatus> health() {
    ManagedChannel channel = ManagedChannelBuilder.forTarget(target()).usePlaintext().build();
    try {
      return Optional.of(
          HealthGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()).getStatus());
    } catch (RuntimeException e) {
      return Optional.empty();
    } finally {
      channel.shutdownNow();
    }
  }

  /** Waits for SERVING; fails at once if the process exits, and either way shows the end of its log. */
  private void awaitServing(Duration patience) throws IOException {
    try {
      Await.until(name + " to be SERVING", patience, this::healthWhileRunning, status -> status.equals(Optional.of(ServingStatus.SERVING)));
    } catch (AssertionError notServing) {
      throw new AssertionError(notServing.getMessage() + "\n" + tail(), notServing);
    }
  }

  private Optional<ServingStatus> healthWhileRunning() {
    if (!process.isAlive()) {
      throw new AssertionError(name + " exited with " + process.exitValue() + " while starting");
    }
    return health();
  }

  private String tail() throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /**
   * This test's classpath, which holds the server and all it needs. Surefire may start the test JVM
   * through a manifest-only jar; then the real classpath is in {@code surefire.test.class.path}.
   */
  private static String classpath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  @Override
  public String toString() {
    return name + "@" + target() + " (log " + log + ")";
  }
}
