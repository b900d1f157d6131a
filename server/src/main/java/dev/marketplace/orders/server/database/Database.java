package dev.marketplace.orders.server.database;

import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.server.config.DatabaseSettings;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database a process runs on, decided here and nowhere else ({@link DatabaseSettings#embedded()}):
 * the external one at {@code ORDERS_DB_URL}, or without a URL the embedded MariaDB in the data
 * directory. {@link #claim} comes first, before anything reads or writes the data directory (the
 * token secret, the database files): for the embedded database it takes the directory's lock, so a
 * second process on it stops there. {@link #open} starts the embedded database and opens the pool;
 * {@link #close()} closes the pool, stops the embedded database and releases the lock, in that order.
 * Serving and {@code migrate} both go through it.
 */
public final class Database implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private final DatabaseSettings settings;
  private final Optional<DataDirectoryLock> dataDirectory;
  private final Deque<AutoCloseable> opened = new ArrayDeque<>();

  private Database(DatabaseSettings settings, Optional<DataDirectoryLock> dataDirectory) {
    this.settings = settings;
    this.dataDirectory = dataDirectory;
    dataDirectory.ifPresent(opened::push);
  }

  /** Takes what the database needs before anything else happens: the data directory's lock, for the embedded one. */
  public static Database claim(DatabaseSettings settings) {
    return new Database(settings, settings.embedded() ? Optional.of(DataDirectoryLock.acquire(settings.dataDir())) : Optional.empty());
  }

  public boolean embedded() {
    return dataDirectory.isPresent();
  }

  /** Starts the embedded database when it is the one, and opens a pool of {@code connections} to the database. */
  public HikariDataSource open(int connections) {
    HikariDataSource pool;
    if (dataDirectory.isPresent()) {
      EmbeddedDatabase embedded = EmbeddedDatabase.start(dataDirectory.get());
      opened.push(embedded);
      pool = DataSources.pool(embedded.jdbcUrl(), embedded.user(), embedded.password(), connections);
    } else {
      pool = DataSources.pool(settings.url().orElseThrow(), settings.user(), settings.password(), connections);
    }
    opened.push(pool);
    return pool;
  }

  @Override
  public void close() {
    while (!opened.isEmpty()) {
      try {
        opened.pop().close();
      } catch (Exception e) {
        log.warn("error while closing the database: {}", e.getMessage());
      }
    }
  }
}
