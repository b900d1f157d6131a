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
}
