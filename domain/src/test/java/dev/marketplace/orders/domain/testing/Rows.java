package dev.marketplace.orders.domain.testing;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Counts rows with plain JDBC, past the code under test: what the database holds, not what a
 * repository says it holds. UUID parameters are bound as BINARY(16), big-endian, as they are stored.
 */
public final class Rows {

  private Rows() {}

  public static long count(DataSource dataSource, String sql, Object... parameters) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        Object p = parameters[i];
        if (p instanceof UUID id) {
          s.setBytes(i + 1, ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array());
        } else {
          s.setObject(i + 1, p);
        }
      }
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Transactions on this data source's database that now wait for a row lock (InnoDB's LOCK WAIT). */
  public static long lockWaits(DataSource dataSource) {
    return count(
        dataSource,
        "SELECT COUNT(*) FROM information_schema.INNODB_TRX t JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id"
            + " WHERE t.trx_state = 'LOCK WAIT' AND p.DB = DATABASE()");
  }
}
