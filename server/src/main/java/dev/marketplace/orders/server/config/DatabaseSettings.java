package dev.marketplace.orders.server.config;

import dev.marketplace.orders.server.config.ServerConfig.Setting;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The database: an external MySQL 8 / MariaDB 10.6+ at {@code url}, or - without a URL - the embedded
 * MariaDB, its files in {@code dataDir}. {@link #embedded()} is the one place that tells the two apart.
 */
public record DatabaseSettings(
    Optional<String> url, String user, String password, int poolSize, Path dataDir, Optional<Path> statementLog) {

  // Empty: a developer's laptop needs nothing installed.
  static final Setting URL = new Setting("ORDERS_DB_URL", "", "JDBC URL of a MySQL 8 / MariaDB 10.6+ database; empty starts the embedded MariaDB");
  // The user a fresh MySQL or MariaDB has.
  static final Setting USER = new Setting("ORDERS_DB_USER", "root", "database user");
  static final Setting PASSWORD = new Setting("ORDERS_DB_PASSWORD", "", "database password");
  // About 2 x cores + a few: the handler threads are sized to the pool, so a call never waits for a connection.
  static final Setting POOL_SIZE = new Setting("ORDERS_DB_POOL_SIZE", "10", "database connections, and handler threads");
  // Beside the checkout, kept across restarts; the server never deletes it.
  static final Setting DATA_DIR = new Setting("ORDERS_DATA_DIR", ".orders-data", "directory of the embedded database's files (and the dev token secret)");
  // For the benchmark's raw-JDBC baseline and for investigations; it serialises database work on one file.
  static final Setting STATEMENT_LOG = new Setting("ORDERS_STATEMENT_LOG", "", "file to append every SQL statement, its bound values and transaction boundaries to (JSON lines); empty: off");

  static final List<Setting> SETTINGS = List.of(URL, USER, PASSWORD, POOL_SIZE, DATA_DIR, STATEMENT_LOG);

  static DatabaseSettings read(SettingsReader settings) {
    return new DatabaseSettings(
        settings.optional(URL),
        settings.text(USER),
        settings.text(PASSWORD),
        settings.integer(POOL_SIZE, 1, 500),
        Path.of(settings.text(DATA_DIR)),
        settings.optional(STATEMENT_LOG).map(Path::of));
  }

  /** No URL: the embedded MariaDB in the data directory, which this process locks first. */
  public boolean embedded() {
    return url.isEmpty();
  }
}
