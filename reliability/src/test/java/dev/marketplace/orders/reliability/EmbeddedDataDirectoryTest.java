package dev.marketplace.orders.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.client.OrdersClient;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.testing.Await;
import dev.marketplace.orders.server.auth.TokenIssuer;
import dev.marketplace.orders.v1.Order;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database as a developer runs it: no database URL, the data directory under the
 * system temporary directory (a clone in /tmp). Orders survive a restart, a second server on the
 * same directory is refused, and a server killed outright neither leaves its database running nor
 * stops the next start from serving every order it acknowledged.
 */
class EmbeddedDataDirectoryTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir Path dataDir;

  @BeforeEach
  void dataDirectoryIsUnderTheTemporaryDirectory() {
    assertThat(dataDir.toAbsolutePath().toString()).startsWith(System.getProperty("java.io.tmpdir"));
  }

  @AfterEach
  void noDatabaseOutlivesTheTest() {
    // A failed run must not leave a database behind; a passing one has none to stop.
    for (ProcessHandle leftover : databaseProcessesOn(dataDir)) {
      leftover.destroyForcibly();
      awaitExit(leftover, "a database left on " + dataDir + ", killed");
    }
  }

  @Test
  void restartAfterSigterm_withTheDataDirectoryUnderTmp_keepsTheOrders() throws Exception {
    try (ServerProcess server = ServerProcess.embedded("embedded-restart", dataDir, Map.of()).start()) {
      Order created = createOrder(server, "restart");

      assertThat(server.terminate(PATIENCE)).as("exit code after SIGTERM").isIn(0, 143);
      server.start();

      assertThat(readOrder(server, created.getOrderId())).isEqualTo(created);
      assertThat(server.terminate(PATIENCE)).isIn(0, 143);
    }
    assertThat(databaseProcessesOn(dataDir)).as("database processes left on " + dataDir).isEmpty();
  }

  @Test
  void secondServerOnTheSameDataDirectory_isRefusedInOneLine_andTheFirstKeepsServing() throws Exception {
    try (ServerProcess first = ServerProcess.embedded("embedded-first", dataDir, Map.of()).start();
        ServerProcess second = ServerProcess.embedded("embedded-second", dataDir, Map.of())) {
      List<Order> created = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        created.add(createOrder(first, "first-" + i));
      }

      int exit = second.startExpectingExit(PATIENCE);

      List<String> output = second.lastStartOutput().stream().filter(line -> !line.isBlank()).toList();
      assertThat(exit).as("exit code of the refused server").isNotZero();
      assertThat(output).as("everything the refused server printed").hasSize(1);
      assertThat(output.get(0))
          .contains("is in use by process " + first.handle().pid())
          .contains(dataDir.toRealPath().toString())
          .doesNotContain("Exception");
      for (Order order : created) {
        assertThat(readOrder(first, order.getOrderId())).isEqualTo(order);
      }
      Order afterwards = createOrder(first, "first-after");
      assertThat(readOrder(first, afterwards.getOrderId())).isEqualTo(afterwards);
    }
  }

  @Test
  void sigkill_theDatabaseDoesNotOutliveTheServer_andTheNextStartServesEveryAcknowledgedOrder() throws Exception {
    String run = "embkill" + UUID.randomUUID().toString().substring(0, 6);
    try (ServerProcess server = ServerProcess.embedded("embedded-sigkill", dataDir, Map.of()).start();
        Traffic traffic = new Traffic(run, 4, List.of(server.target())).start()) {
      ProcessFailuresTest.awaitMoreAcknowledged(traffic, 40);
      ProcessHandle database = onlyDatabaseProcess(dataDir);

      server.kill();
      awaitExit(database, "the database of the SIGKILLed server");
      server.start();
      ProcessFailuresTest.awaitMoreAcknowledged(traffic, 40);

      // Whatever stops the database when its server dies is killed too (as a kill of everything the
      // server started, or an OOM kill of it, would): the next start must find and stop it.
      ProcessHandle orphan = onlyDatabaseProcess(dataDir);
      List<ProcessHandle> others = server.handle().children().filter(child -> child.pid() != orphan.pid()).toList();
      for (ProcessHandle other : others) {
        other.destroyForcibly();
        awaitExit(other, "pid " + other.pid() + " started by the server");
      }
      server.kill();
      assertThat(orphan.isAlive()).as("the database left behind").isTrue();
      server.start();
      assertThat(orphan.isAlive()).as("the database left behind, after the next start").isFalse();
      assertThat(server.lastStartOutput()).anyMatch(line -> line.contains("pid " + orphan.pid()) && line.contains("left running"));

      ProcessFailuresTest.awaitMoreAcknowledged(traffic, 40);
      traffic.stopAndAwait(Duration.ofSeconds(120));
      assertThat(traffic.ledger.violations).isEmpty();
      OrdersClient support = client(server, "support-1", Role.SUPPORT);
      for (String orderId : traffic.ledger.created) {
        Order order = support.getOrder(orderId);
        if (traffic.ledger.cancelledUnpaid.contains(orderId) || traffic.ledger.approved.contains(orderId)) {
          assertThat(order.getState()).as(orderId).isEqualTo(Order.State.CANCELLED);
        }
      }
      support.close();
      Figures.record(
          "Embedded database, SIGKILL twice",
          traffic.ledger.created.size() + " acknowledged orders, all served after 2 SIGKILLs (the second also of the watchdog, "
              + "leaving mariadbd behind for the next start to stop), " + traffic.ledger.retries.get() + " retries, violations "
              + traffic.ledger.violations.size());
      assertThat(server.terminate(PATIENCE)).isIn(0, 143);
    }
    assertThat(databaseProcessesOn(dataDir)).as("database processes left on " + dataDir).isEmpty();
  }

  private static Order createOrder(ServerProcess server, String buyer) {
    try (OrdersClient checkout = client(server, "checkout", Role.SERVICE, "orders.create")) {
      return checkout.createOrder(Traffic.create(UUID.randomUUID().toString(), buyer, "seller-1"));
    }
  }

  private static Order readOrder(ServerProcess server, String orderId) {
    try (OrdersClient support = client(server, "support-1", Role.SUPPORT)) {
      return support.getOrder(orderId);
    }
  }

  private static OrdersClient client(ServerProcess server, String subject, Role role, String... scopes) {
    String token = new TokenIssuer(ServerProcess.SECRET, Clock.systemUTC()).issue(subject, role, List.of(scopes), Duration.ofHours(1));
    return OrdersClient.builder().target(server.target()).plaintext().tokenSupplier(() -> token).defaultDeadline(Duration.ofSeconds(5)).build();
  }

  private static ProcessHandle onlyDatabaseProcess(Path dataDir) throws IOException {
    List<ProcessHandle> found = databaseProcessesOn(dataDir);
    assertThat(found).as("database processes on " + dataDir).hasSize(1);
    return found.get(0);
  }

  private static void awaitExit(ProcessHandle process, String what) {
    Await.until(what + " (pid " + process.pid() + ") to exit", PATIENCE, () -> !process.isAlive());
  }

  /** mariadbd (or mysqld) processes whose command line names a directory inside {@code dataDir}. */
  static List<ProcessHandle> databaseProcessesOn(Path dataDir) {
    String dir = dataDir.toAbsolutePath().normalize().toString();
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(
            p -> {
              List<String> args = commandLine(p.pid());
              return !args.isEmpty()
                  && (args.get(0).endsWith("/mariadbd") || args.get(0).endsWith("/mysqld"))
                  && args.stream().anyMatch(arg -> arg.startsWith("--datadir=") && arg.contains(dir));
            })
        .toList();
  }

  private static List<String> commandLine(long pid) {
    try {
      String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
      return raw.isEmpty() ? List.of() : Arrays.asList(raw.split("\0"));
    } catch (IOException e) {
      return List.of();
    }
  }
}
