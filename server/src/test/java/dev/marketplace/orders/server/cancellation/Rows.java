package dev.marketplace.orders.server.cancellation;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * What the database holds, read with plain JDBC beside the service: the ground truth for "exactly
 * one refund" and "it was the sweep", without going through (and so without triggering) the service.
 */
final class Rows {

  /** A cancellation request's row as stored. */
  record RequestRow(String state, String resolvedBySubject, String resolvedByRole, Instant resolvedAt) {}

  private interface Connector {
    Connection connect() throws SQLException;
  }

  private static final DateTimeFormatter DATETIME =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd HH:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .optionalEnd()
          .toFormatter();

  private final Connector connector;

  private Rows(Connector connector) {
    this.connector = connector;
  }

  static Rows of(DataSource dataSource) {
    return new Rows(dataSource::getConnection);
  }

  static Rows jdbc(String url, String user, String password) {
    return new Rows(() -> DriverManager.getConnection(url, user, password));
  }

  long refunds(String orderId) {
    return count("SELECT COUNT(*) FROM refunds WHERE order_id = UNHEX(?)", hex(orderId));
  }

  long requests(String orderId) {
    return count("SELECT COUNT(*) FROM cancellation_requests WHERE order_id = UNHEX(?)", hex(orderId));
  }

  long events(String orderId, String type) {
    return count("SELECT COUNT(*) FROM order_events WHERE order_id = UNHEX(?) AND event_type = ?", hex(orderId), type);
  }

  long count(String sql, Object... params) {
    try (Connection c = connector.connect();
        PreparedStatement s = prepare(c, sql, params);
        ResultSet r = s.executeQuery()) {
      r.next();
      return r.getLong(1);
    } catch (SQLException e) {
      throw new AssertionError("query failed: " + sql, e);
    }
  }

  Optional<RequestRow> request(String cancellationRequestId) {
    String sql =
        "SELECT state, resolved_by_subject, resolved_by_role, CAST(resolved_at AS CHAR) FROM cancellation_requests WHERE id = UNHEX(?)";
    try (Connection c = connector.connect();
        PreparedStatement s = prepare(c, sql, hex(cancellationRequestId));
        ResultSet r = s.executeQuery()) {
      if (!r.next()) {
        return Optional.empty();
      }
      String resolvedAt = r.getString(4);
      return Optional.of(
          new RequestRow(
              r.getString(1),
              r.getString(2),
              r.getString(3),
              resolvedAt == null ? null : LocalDateTime.parse(resolvedAt, DATETIME).toInstant(ZoneOffset.UTC)));
    } catch (SQLException e) {
      throw new AssertionError("query failed: " + sql, e);
    }
  }

  /** Runs a query whose rows are described by {@code row}; for per-order summaries. */
  <T> List<T> list(String sql, RowMapper<T> row) {
    try (Connection c = connector.connect();
        PreparedStatement s = c.prepareStatement(sql);
        ResultSet r = s.executeQuery()) {
      List<T> rows = new ArrayList<>();
      while (r.next()) {
        rows.add(row.map(r));
      }
      return rows;
    } catch (SQLException e) {
      throw new AssertionError("query failed: " + sql, e);
    }
  }

  interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  static String hex(String uuid) {
    return uuid.replace("-", "");
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
    PreparedStatement s = c.prepareStatement(sql);
    for (int i = 0; i < params.length; i++) {
      s.setObject(i + 1, params[i]);
    }
    return s;
  }
}
