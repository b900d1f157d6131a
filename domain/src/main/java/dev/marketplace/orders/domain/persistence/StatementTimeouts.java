package dev.marketplace.orders.domain.persistence;

import com.mysql.cj.jdbc.JdbcStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;

/**
 * Gives every statement a timeout no longer than the time its caller has left, so a statement that
 * waits for a lock or a slow disk past the caller's deadline is stopped by the database (the driver
 * sends KILL QUERY) instead of holding a connection for nobody. Millisecond precision where the
 * driver has it (MySQL Connector/J), whole seconds rounded down (at least one) elsewhere.
 */
final class StatementTimeouts implements ExecuteListener {

  private final TimeBudget budget;

  StatementTimeouts(TimeBudget budget) {
    this.budget = budget;
  }

  @Override
  public void executeStart(ExecuteContext ctx) {
    Statement statement = ctx.statement();
    if (statement == null) {
      return;
    }
    Optional<Duration> remaining = budget.remaining();
    // Set on every statement, zero included: pooled statements keep what an earlier call set.
    long millis = remaining.map(r -> Math.max(1, r.toMillis())).orElse(0L);
    try {
      if (statement.isWrapperFor(JdbcStatement.class)) {
        statement.unwrap(JdbcStatement.class).setTimeoutInMillis(millis);
      } else {
        statement.setQueryTimeout((int) Math.max(millis == 0 ? 0 : 1, millis / 1000));
      }
    } catch (SQLException e) {
      throw new org.jooq.exception.DataAccessException("cannot set the statement timeout", e);
    }
  }
}
