package dev.marketplace.orders.domain.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.domain.error.StorageUnavailableException;
import dev.marketplace.orders.domain.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * When the database drops a transaction's connection, drivers fail in odd ways (a statement already
 * closed, even a NullPointerException). Whatever they throw, the caller must hear "the database is
 * unavailable, retry" - never an internal error - and only then.
 */
class TransactorConnectionLossTest {

  private static HikariDataSource dataSource;
  private static Transactor transactor;

  @BeforeAll
  static void database() {
    dataSource = TestDatabase.migratedDataSource();
    transactor = Transactor.over(dataSource, Clock.systemUTC());
  }

  @AfterAll
  static void close() {
    dataSource.close();
  }

  @Test
  void anyFailureAfterTheConnectionWasLost_isStorageUnavailable() {
    Throwable thrown =
        catchThrowable(
            () ->
                transactor.inTransaction(
                    uow -> {
                      killConnection(((Number) uow.dsl().fetchValue("SELECT CONNECTION_ID()")).longValue());
                      throw new IllegalStateException("what a driver may throw on a dropped connection");
                    }));

    assertThat(thrown).isInstanceOf(StorageUnavailableException.class).hasCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void theSameFailureOnAHealthyConnection_isNotDisguised() {
    Throwable thrown =
        catchThrowable(
            () ->
                transactor.inTransaction(
                    uow -> {
                      uow.dsl().fetchValue("SELECT 1");
                      throw new IllegalStateException("a bug of ours");
                    }));

    assertThat(thrown).isExactlyInstanceOf(IllegalStateException.class).hasMessage("a bug of ours");
  }

  private static void killConnection(long id) {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("KILL CONNECTION " + id);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
