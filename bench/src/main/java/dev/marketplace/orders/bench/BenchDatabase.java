package dev.marketplace.orders.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.domain.persistence.DatabaseMigrations;
import dev.marketplace.orders.server.database.DataDirectoryLock;
import dev.marketplace.orders.server.database.DataSources;
import dev.marketplace.orders.server.database.EmbeddedDatabase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The database the benchmark runs on: a fresh, migrated database on the MariaDB at
 * {@code 127.0.0.1:3306} when one answers there (or on the server given), else on an embedded
 * MariaDB started for the run. Dropped (or stopped) at the end.
 */
final class BenchDatabase implements AutoCloseable {

  private final String serverUrl;
  private final String name;
  private final String user;
  private final String password;
  private final EmbeddedDatabase embedded;
  private final DataDirectoryLock embeddedDirectory;
  private final String description;

  private BenchDatabase(
      String serverUrl, String name, String user, String password, EmbeddedDatabase embedded, DataDirectoryLock embeddedDirectory, String description) {
    this.embeddedDirectory = embeddedDirectory;
    this.serverUrl = serverUrl;
    this.name = name;
    this.user = user;
    this.password = password;
    this.embedded = embedded;
    this.description = description;
  }

  /** {@code server}: a JDBC URL ending in '/', or empty to look for 127.0.0.1:3306 and fall back to the embedded MariaDB. */
  static BenchDatabase open(Optional<String> server, boolean embeddedOnly, String user, String password) throws IOException, SQLException {
    String name = "orders_bench_" + Long.toString(System.currentTimeMillis(), 36);
    if (server.isEmpty() && !embeddedOnly && answers("127.0.0.1", 3306)) {
      server = Optional.of("jdbc:mysql://127.0.0.1:3306/");
    }
    if (server.isPresent()) {
      String base = server.get().endsWith("/") ? server.get() : server.get() + "/";
      try (Connection c = DriverManager.getConnection(base, user, password);
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        String version = c.getMetaData().getDatabaseProductVersion();
        return new BenchDatabase(base, name, user, password, null, null, "MariaDB/MySQL " + version + " at " + base.substring("jdbc:mysql://".length()));
      }
    }
    Path dir = Files.createTempDirectory("orders-bench-db");
    DataDirectoryLock directory = DataDirectoryLock.acquire(dir);
    EmbeddedDatabase embedded = EmbeddedDatabase.start(directory);
    String url = embedded.jdbcUrl();
    String base = url.substring(0, url.lastIndexOf('/') + 1);
    try (Connection c = DriverManager.getConnection(base, embedded.user(), embedded.password());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
      String version = c.getMetaData().getDatabaseProductVersion();
      return new BenchDatabase(base, name, embedded.user(), embedded.password(), embedded, directory, "embedded MariaDB " + version);
    }
  }

  private static boolean answers(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  String jdbcUrl() {
    return serverUrl + name;
  }

  String user() {
    return user;
  }

  String password() {
    return password;
  }

  String description() {
    return description;
  }

  /** A pool on the benchmark database, configured as the server configures its own. */
  HikariDataSource pool(int size) {
    return DataSources.pool(jdbcUrl(), user, password, size);
  }

  void migrate() {
    try (HikariDataSource pool = pool(2)) {
      DatabaseMigrations.migrate(pool);
    }
  }

  @Override
  public void close() {
    try (Connection c = DriverManager.getConnection(serverUrl, user, password);
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name);
    } catch (SQLException e) {
      System.err.println("could not drop " + name + ": " + e.getMessage());
    }
    if (embedded != null) {
      embedded.close();
      embeddedDirectory.close();
    }
  }
}
