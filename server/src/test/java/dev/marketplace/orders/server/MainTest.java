package dev.marketplace.orders.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.marketplace.orders.domain.testing.TestDatabase;
import dev.marketplace.orders.server.database.DataDirectoryLock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's answers to startup problems: one line on stderr, a non-zero exit, nothing started. */
class MainTest {

  @TempDir Path dataDir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void serve_onADataDirectoryInUse_saysWhoHoldsItInOneLine() throws Exception {
    try (DataDirectoryLock held = DataDirectoryLock.acquire(dataDir)) {
      int exit = run("serve", "--data-dir", dataDir.toString(), "--port", "0", "--bind-address", "127.0.0.1");

      assertThat(exit).isEqualTo(1);
      assertThat(errLines()).singleElement().asString()
          .startsWith("orders-server: data directory " + dataDir.toRealPath() + " is in use by process " + ProcessHandle.current().pid());
      assertThat(dataDir.resolve("dev-hs256-secret")).as("the secret is not touched without the lock").doesNotExist();
    }
  }

  @Test
  void migrate_takesTheSameLock() throws Exception {
    try (DataDirectoryLock held = DataDirectoryLock.acquire(dataDir)) {
      int exit = run("migrate", "--data-dir", dataDir.toString());

      assertThat(exit).isEqualTo(1);
      assertThat(errLines()).singleElement().asString().contains("is in use by process " + ProcessHandle.current().pid());
      assertThat(dataDir.resolve("mariadb-data")).doesNotExist();
    }
  }

  @Test
  void migrate_onAnExternalDatabase_appliesTheMigrationsOnce_andTouchesNoDataDirectory() {
    String url = TestDatabase.createDatabase();
    String[] migrate = {
      "migrate", "--db-url", url, "--db-user", TestDatabase.user(), "--db-password", TestDatabase.password(), "--data-dir", dataDir.resolve("unused").toString()
    };

    assertThat(run(migrate)).as(err.toString()).isZero();
    assertThat(out.toString()).startsWith("migrations applied: ").doesNotContain("migrations applied: 0");
    out.getBuffer().setLength(0);
    assertThat(run(migrate)).isZero();
    assertThat(out.toString().trim()).isEqualTo("migrations applied: 0");
    assertThat(dataDir.resolve("unused")).doesNotExist();
  }

  @Test
  void serve_onAPortInUse_saysSoInOneLine_beforeTheDatabaseStarts() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = taken.getLocalPort();

      int exit = run("serve", "--data-dir", dataDir.toString(), "--port", Integer.toString(port), "--bind-address", "127.0.0.1");

      assertThat(exit).isEqualTo(1);
      assertThat(errLines()).singleElement().asString().startsWith("orders-server: port " + port + " on 127.0.0.1 is in use: ");
      assertThat(dataDir.resolve("mariadb-data")).as("the database was not started").doesNotExist();
      DataDirectoryLock.acquire(dataDir).close(); // released again
    }
  }

  @Test
  void token_onADataDirectoryWithoutSecret_refusesInOneLine() {
    Path neverServed = dataDir.resolve("never-served");

    int exit = run("token", "--data-dir", neverServed.toString(), "--subject", "buyer-1", "--role", "BUYER");

    assertThat(exit).isEqualTo(1);
    assertThat(out.toString()).as("no token printed").isEmpty();
    assertThat(errLines()).singleElement().asString()
        .contains("no token secret in the data directory " + neverServed.toAbsolutePath())
        .contains("start the server once");
    assertThat(neverServed).doesNotExist();
  }

  @Test
  void token_signsWithTheDataDirectorysSecret_whileTheServerHoldsTheDirectory_withTheFlagBeforeTheSubcommandToo() throws Exception {
    String secret = "secret-of-this-data-directory-0123456789";
    Files.writeString(dataDir.resolve("dev-hs256-secret"), secret + "\n");
    try (DataDirectoryLock serverRunning = DataDirectoryLock.acquire(dataDir)) {
      int exit = run("--data-dir", dataDir.toString(), "token", "--subject", "buyer-1", "--role", "BUYER");

      assertThat(exit).as(err.toString()).isZero();
      assertThat(JWT.require(Algorithm.HMAC256(secret)).build().verify(out.toString().trim()).getSubject()).isEqualTo("buyer-1");
    }
  }

  private int run(String... args) {
    return Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
  }

  private List<String> errLines() {
    return err.toString().lines().filter(line -> !line.isBlank()).toList();
  }
}
