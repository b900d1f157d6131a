package dev.marketplace.orders.server.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;

/** The connection pool. Settings here are the ones every query of the service relies on. */
public final class DataSources {

  private DataSources() {}

  public static HikariDataSource pool(String jdbcUrl, String user, String password, int size) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("orders-db");
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(size);
    // Idempotent claims and state changes read the latest committed rows; see Transactor.
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    // A call waits at most this long for a connection. Handler threads match the pool, so in normal
    // operation nothing waits; when the database is down every call fails within this time with
    // UNAVAILABLE instead of hanging until the caller's deadline (see docs/reliability.md).
    config.setConnectionTimeout(Duration.ofSeconds(1).toMillis());
    config.setValidationTimeout(Duration.ofSeconds(1).toMillis());
    // Start even when the database is briefly unreachable; health reports NOT_SERVING meanwhile.
    config.setInitializationFailTimeout(-1);
    config.addDataSourceProperty("cachePrepStmts", "true");
    config.addDataSourceProperty("prepStmtCacheSize", "250");
    config.addDataSourceProperty("prepStmtCacheSqlLimit", "2048");
    config.addDataSourceProperty("rewriteBatchedStatements", "true");
    config.addDataSourceProperty("connectTimeout", "1000");
    config.addDataSourceProperty("socketTimeout", "30000");
    config.addDataSourceProperty("tcpKeepAlive", "true");
    return new HikariDataSource(config);
  }
}
