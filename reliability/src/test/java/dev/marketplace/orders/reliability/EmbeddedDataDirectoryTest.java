package dev.marketplace.orders.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.client.OrdersClient;
import dev.marketplace.orders.domain.access.Role;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database as a developer runs it: no database URL, the data directory under the
 * system temporary directory (a clone in /tmp). Orders survive a restart, and a second server on
 * the same directory is refused.
 */
class EmbeddedDataDirectoryTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir Path dataDir;

  @BeforeEach
  void dataDirectoryIsUnderTheTemporaryDirectory() {
    assertThat(dataDir.toAbsolutePath().toString()).startsWith(System.getProperty("java.io.tmpdir"));
  }

  @AfterEach
  void noDatabaseOutlivesTheTest() throws InterruptedException {
    // A failed run must not leave a database behind; a passing one has none to stop.
    for (ProcessHandle leftover : databaseProcessesOn(dataDir)) {
      leftover.destroyForcibly();
      leftover.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> leftover).join();
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
