package dev.marketplace.orders.domain.persistence;

import dev.marketplace.orders.domain.error.DeadlineExceededException;
import dev.marketplace.orders.domain.error.DomainException;
import dev.marketplace.orders.domain.error.RequestIdReusedException;
import dev.marketplace.orders.domain.error.StorageUnavailableException;
import dev.marketplace.orders.domain.idempotency.IdempotencyKey;
import dev.marketplace.orders.domain.idempotency.ResponseFormat;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.jooq.impl.DefaultConnectionProvider;

/**
 * Runs a unit of work in one database transaction. Deadlocks and lock wait timeouts are retried a
 * few times (the work must therefore be free of side effects outside the database); a database that
 * cannot be reached becomes {@link StorageUnavailableException}. Domain exceptions roll back and
 * pass through unchanged and roll back - unless the work changed something that is not the caller's
 * to take back ({@link UnitOfWork#keepWhenRefused}), such as the platform settling an expired deadline
 * on the way: then that commits, and the refusal is thrown after the commit.
 *
 * <p>Time: with a {@link TimeBudget}, a transaction is not begun (nor retried) once the caller's time
 * is up, and each statement gets a timeout no longer than the time left; either way the caller gets
 * {@link DeadlineExceededException} and nothing is changed.
 */
public final class Transactor {

  private static final int MAX_ATTEMPTS = 4;
  private static final int ER_LOCK_WAIT_TIMEOUT = 1205;
  private static final int ER_LOCK_DEADLOCK = 1213;
  private static final int ER_STATEMENT_TIMEOUT = 1969; // MariaDB max_statement_time
  private static final int ER_QUERY_TIMEOUT = 3024; // MySQL max_execution_time

  private final DSLContext dsl;
  private final Clock clock;
  private final TimeBudget budget;
  private final Optional<StatementLog> statementLog;

  public Transactor(DSLContext dsl, Clock clock) {
    this(dsl, clock, TimeBudget.UNLIMITED, Optional.empty());
  }

  private Transactor(DSLContext dsl, Clock clock, TimeBudget budget, Optional<StatementLog> statementLog) {
    this.dsl = dsl;
    this.clock = clock;
    this.budget = budget;
    this.statementLog = statementLog;
  }

  /**
   * The transactor over a MySQL 8 or MariaDB 10.6+ pool. jOOQ's MYSQL dialect is used for both: it
   * renders only what both servers understand (no RETURNING, INSERT IGNORE, FOR UPDATE SKIP LOCKED).
   */
  public static Transactor over(DataSource dataSource, Clock clock) {
    return over(dataSource, clock, TimeBudget.UNLIMITED);
  }

  /** As {@link #over(DataSource, Clock)}, with statements bounded by the caller's remaining time. */
  public static Transactor over(DataSource dataSource, Clock clock, TimeBudget budget) {
    return over(dataSource, clock, budget, Optional.empty());
  }

  /** As {@link #over(DataSource, Clock, TimeBudget)}, writing every transaction and statement to {@code statementLog}. */
  public static Transactor over(DataSource dataSource, Clock clock, TimeBudget budget, Optional<StatementLog> statementLog) {
    // No warnings fetched: nothing reads them, it costs a call per statement, and Connector/J throws
    // a NullPointerException from getWarnings() on a connection the database has just dropped.
    Settings settings = new Settings().withExecuteLogging(false).withRenderSchema(false).withFetchWarnings(false);
    DefaultConfiguration configuration = new DefaultConfiguration();
    configuration.set(dataSource).set(SQLDialect.MYSQL).set(settings);
    configuration.set(
        statementLog.isPresent()
            ? new org.jooq.ExecuteListener[] {new StatementTimeouts(budget), statementLog.get().listener()}
            : new org.jooq.ExecuteListener[] {new StatementTimeouts(budget)});
    return new Transactor(DSL.using(configuration), clock, budget, statementLog);
  }

  public <T> T inTransaction(Function<UnitOfWork, T> work) {
    return inTransaction(work, false);
  }

  /**
   * As {@link #inTransaction(Function)}, at READ COMMITTED: a locking read then locks the rows it
   * finds and waits for the writers of rows in its range, but takes no gap locks, so it never blocks
   * an insert beside the range (the feed's horizon settles holes this way).
   */
  public <T> T inReadCommittedTransaction(Function<UnitOfWork, T> work) {
    return inTransaction(work, true);
  }

  private <T> T inTransaction(Function<UnitOfWork, T> work, boolean readCommitted) {
    for (int attempt = 1; ; attempt++) {
      if (budget.remaining().filter(left -> left.compareTo(Duration.ZERO) <= 0).isPresent()) {
        throw new DeadlineExceededException(null);
      }
      try {
        // One connection per attempt, held for begin, work and commit or rollback: jOOQ's own
        // transaction provider would otherwise go back to the pool to roll back a failed begin,
        // doubling the wait for a connection when the database is down.
        return dsl.connectionResult(
            connection -> {
              statementLog.ifPresent(StatementLog::begin);
              boolean committed = false;
              int isolation = connection.getTransactionIsolation();
              if (readCommitted) {
                connection.setTransactionIsolation(java.sql.Connection.TRANSACTION_READ_COMMITTED);
              }
              try {
                Outcome<T> outcome =
                    dsl.configuration()
                        .derive(new DefaultConnectionProvider(connection))
                        .dsl()
                        .transactionResult(
                            configuration -> {
                              UnitOfWork uow = new UnitOfWork(configuration.dsl());
                              try {
                                T done = work.apply(uow);
                                uow.flush();
                                return new Outcome<>(done, null);
                              } catch (DomainException refusal) {
                                if (!uow.keepsWhenRefused()) {
                                  throw refusal;
                                }
                                uow.flush();
                                return new Outcome<>(null, refusal);
                              }
                            });
                committed = true;
                if (outcome.refusal() != null) {
                  throw outcome.refusal();
                }
                return outcome.value();
              } catch (DomainException e) {
                throw e;
              } catch (RuntimeException e) {
                // When the connection died under it, whatever the driver threw (a closed statement, even
                // a NullPointerException) means the same: the database went away, nothing committed.
                if (!isConnectionFailure(e) && !isTimeout(e) && isLost(connection)) {
                  throw new StorageUnavailableException(e);
                }
                throw e;
              } finally {
                boolean done = committed;
                statementLog.ifPresent(log -> log.end(done));
                if (readCommitted && !connection.isClosed()) {
                  connection.setTransactionIsolation(isolation);
                }
              }
            });
      } catch (DataAccessException e) {
        if (isTimeout(e)) {
          throw new DeadlineExceededException(e);
        }
        if (isConnectionFailure(e)) {
          throw new StorageUnavailableException(e);
        }
        if (attempt >= MAX_ATTEMPTS || !isTransientConflict(e)) {
          throw e;
        }
        backOff(attempt);
      }
    }
  }

  /** A unit of work's result, or the refusal it ended with when what it did still commits. */
  private record Outcome<T>(T value, DomainException refusal) {}

  /**
   * Runs a mutating unit of work at most once per {@link IdempotencyKey}. The key is claimed with an
   * insert under its primary key in the same transaction as the change, so concurrent retries queue
   * behind the first; once it commits they answer with its stored response. A key reused for another
   * request is refused; a first attempt that failed left no record, so its retry runs afresh.
   */
  public <R, T> T inIdempotentTransaction(
      IdempotencyKey key, ResponseFormat<R, T> format, Function<UnitOfWork, R> work) {
    return inTransaction(
        uow -> {
          IdempotencyStore store = uow.idempotency();
          if (!store.claim(key, clock.instant())) {
            return replay(key, format, store.find(key));
          }
          R result;
          try {
            result = work.apply(uow);
          } catch (DomainException refusal) {
            if (uow.keepsWhenRefused()) {
              // The platform's own change commits; the refused call leaves no record, so a retry runs afresh.
              store.release(key);
            }
            throw refusal;
          }
          T response = format.render(result);
          store.complete(key, format.serialize(response));
          return response;
        });
  }

  private static <T> T replay(
      IdempotencyKey key, ResponseFormat<?, T> format, Optional<IdempotencyStore.Stored> stored) {
    IdempotencyStore.Stored record =
        stored.orElseThrow(() -> new IllegalStateException("claimed key vanished: " + key.callId()));
    if (!key.sameRequestAs(record.operation(), record.fingerprint())) {
      throw new RequestIdReusedException(key.callId().toString());
    }
    return format.deserialize(record.response());
  }

  private static boolean isTransientConflict(DataAccessException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql
          && (sql.getErrorCode() == ER_LOCK_DEADLOCK
              || sql.getErrorCode() == ER_LOCK_WAIT_TIMEOUT
              || "40001".equals(sql.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isLost(java.sql.Connection connection) {
    try {
      return connection.isClosed() || !connection.isValid(1);
    } catch (SQLException e) {
      return true;
    }
  }

  private static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTimeoutException
          || (t instanceof SQLException sql
              && (sql.getErrorCode() == ER_STATEMENT_TIMEOUT
                  || sql.getErrorCode() == ER_QUERY_TIMEOUT))) {
        return true;
      }
    }
    return false;
  }

  static boolean isConnectionFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException sql
          && sql.getSQLState() != null
          && sql.getSQLState().startsWith("08")) {
        return true;
      }
    }
    return false;
  }

  private static void backOff(int attempt) {
    try {
      Thread.sleep(5L * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while retrying a transaction", e);
    }
  }
}
