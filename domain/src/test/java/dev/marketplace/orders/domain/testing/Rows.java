package dev.marketplace.orders.domain.testing;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  /**
   * Connections to this data source's database whose transaction now waits for a row lock (LOCK WAIT
   * in SHOW ENGINE INNODB STATUS). Not information_schema.INNODB_TRX: InnoDB refreshes that only
   * after 100 ms in which nobody read it, so a poll would go on seeing the first answer.
   */
  public static long lockWaits(DataSource dataSource) {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      String status;
      try (ResultSet r = s.executeQuery("SHOW ENGINE INNODB STATUS")) {
        r.next();
        status = r.getString("Status");
      }
      List<String> waiting = new ArrayList<>();
      for (String transaction : status.split("---TRANSACTION ")) {
        Matcher thread = THREAD_ID.matcher(transaction);
        if (transaction.contains("\nLOCK WAIT ") && thread.find()) {
          waiting.add(thread.group(1));
        }
      }
      if (waiting.isEmpty()) {
        return 0;
      }
      try (ResultSet r =
          s.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID IN (" + String.join(",", waiting) + ")")) {
        r.next();
        return r.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final Pattern THREAD_ID = Pattern.compile("(?:MariaDB|MySQL) thread id (\\d+)");
}
