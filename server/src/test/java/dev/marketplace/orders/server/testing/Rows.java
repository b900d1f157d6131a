package dev.marketplace.orders.server.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Counts rows behind a test server's back, to prove what a call did (or did not) store. */
public final class Rows {

  private final DataSource dataSource;

  public Rows(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The single number {@code sql} selects. */
  public long count(String sql, Object... params) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** How many history entries of {@code type} the order has. */
  public long events(String orderId, String type) {
    return count("SELECT COUNT(*) FROM order_events WHERE order_id = UNHEX(?) AND event_type = ?", hex(orderId), type);
  }

  /** How many messages the platform posted in the order's conversation. */
  public long platformMessages(String orderId) {
    return count(
        "SELECT COUNT(*) FROM conversation_messages WHERE order_id = UNHEX(?) AND sender_role = 'SYSTEM' AND sender_subject = 'platform'",
        hex(orderId));
  }

  public static String hex(String uuid) {
    return uuid.replace("-", "");
  }
}
