package dev.marketplace.orders.domain.persistence;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.tools.jdbc.DefaultPreparedStatement;

/**
 * Writes every SQL statement the service sends, with the values bound to it exactly as they went to
 * the driver, and every transaction boundary, as JSON lines: one object per line, in the order they
 * happened. Off unless configured ({@code ORDERS_STATEMENT_LOG}): it serialises all database work on
 * one file. The benchmark's raw-JDBC baseline replays the statements it finds here, and the log
 * answers "what does this RPC send to the database?" when investigating.
 *
 * <pre>
 * {"event":"begin","tx":7,"thread":"orders-handler-2"}
 * {"event":"statement","tx":7,"thread":"orders-handler-2","sql":"select ... where `id` = ?","params":[["b","0193..."]]}
 * {"event":"commit","tx":7,"thread":"orders-handler-2"}
 * </pre>
 *
 * Parameter types: {@code b} bytes (hex), {@code s} string, {@code l} long, {@code i} int,
 * {@code z} boolean, {@code d} decimal (text), {@code n} null. A batch is one line with {@code rows}.
 */
public final class StatementLog implements AutoCloseable {

  private final BufferedWriter out;
  private final AtomicLong transactions = new AtomicLong();
  private final ThreadLocal<Long> current = new ThreadLocal<>();

  private StatementLog(BufferedWriter out) {
    this.out = out;
  }

  /** A log appending to {@code file}, created if missing. */
  public static StatementLog to(Path file) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      return new StatementLog(
          Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the statement log " + file, e);
    }
  }

  void begin() {
    long tx = transactions.incrementAndGet();
    current.set(tx);
    write("{\"event\":\"begin\",\"tx\":" + tx + ",\"thread\":" + quote(Thread.currentThread().getName()) + "}");
  }

  void end(boolean committed) {
    Long tx = current.get();
    current.remove();
    write("{\"event\":\"" + (committed ? "commit" : "rollback") + "\",\"tx\":" + tx + ",\"thread\":" + quote(Thread.currentThread().getName()) + "}");
  }

  /** The jOOQ listener that records each statement of this log's transactions. */
  ExecuteListener listener() {
    return new ExecuteListener() {
      @Override
      public void prepareEnd(ExecuteContext ctx) {
        if (ctx.statement() != null && current.get() != null) {
          ctx.statement(new Recording(ctx.statement(), ctx.sql()));
        }
      }
    };
  }

  private synchronized void write(String line) {
    try {
      out.write(line);
      out.newLine();
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the statement log", e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A prepared statement that notes what is bound to it and logs each execution. */
  private final class Recording extends DefaultPreparedStatement {
    private final String sql;
    private final TreeMap<Integer, String> params = new TreeMap<>();
    private final List<String> rows = new ArrayList<>();

    Recording(PreparedStatement delegate, String sql) {
      super(delegate);
      this.sql = sql;
    }

    private void bind(int index, String type, String json) {
      params.put(index, "[\"" + type + "\"" + (json == null ? "" : "," + json) + "]");
    }

    private String paramsJson() {
      return "[" + String.join(",", params.values()) + "]";
    }

    private void log() {
      Long tx = current.get();
      String head = "{\"event\":\"statement\",\"tx\":" + tx + ",\"thread\":" + quote(Thread.currentThread().getName()) + ",\"sql\":" + quote(sql);
      write(rows.isEmpty() ? head + ",\"params\":" + paramsJson() + "}" : head + ",\"rows\":[" + String.join(",", rows) + "]}");
    }

    @Override
    public void setBytes(int index, byte[] x) throws SQLException {
      bind(index, x == null ? "n" : "b", x == null ? null : quote(HexFormat.of().formatHex(x)));
      super.setBytes(index, x);
    }

    @Override
    public void setString(int index, String x) throws SQLException {
      bind(index, x == null ? "n" : "s", x == null ? null : quote(x));
      super.setString(index, x);
    }

    @Override
    public void setLong(int index, long x) throws SQLException {
      bind(index, "l", Long.toString(x));
      super.setLong(index, x);
    }

    @Override
    public void setInt(int index, int x) throws SQLException {
      bind(index, "i", Integer.toString(x));
      super.setInt(index, x);
    }

    @Override
    public void setShort(int index, short x) throws SQLException {
      bind(index, "i", Short.toString(x));
      super.setShort(index, x);
    }

    @Override
    public void setByte(int index, byte x) throws SQLException {
      bind(index, "i", Byte.toString(x));
      super.setByte(index, x);
    }

    @Override
    public void setBoolean(int index, boolean x) throws SQLException {
      bind(index, "z", Boolean.toString(x));
      super.setBoolean(index, x);
    }

    @Override
    public void setBigDecimal(int index, BigDecimal x) throws SQLException {
      bind(index, x == null ? "n" : "d", x == null ? null : quote(x.toPlainString()));
      super.setBigDecimal(index, x);
    }

    @Override
    public void setNull(int index, int sqlType) throws SQLException {
      bind(index, "n", null);
      super.setNull(index, sqlType);
    }

    @Override
    public void setObject(int index, Object x) throws SQLException {
      if (x == null) {
        bind(index, "n", null);
      } else if (x instanceof byte[] bytes) {
        bind(index, "b", quote(HexFormat.of().formatHex(bytes)));
      } else if (x instanceof Long || x instanceof Integer || x instanceof Short || x instanceof Byte) {
        bind(index, x instanceof Long ? "l" : "i", x.toString());
      } else if (x instanceof Boolean) {
        bind(index, "z", x.toString());
      } else if (x instanceof BigDecimal d) {
        bind(index, "d", quote(d.toPlainString()));
      } else {
        bind(index, "s", quote(x.toString()));
      }
      super.setObject(index, x);
    }

    @Override
    public void addBatch() throws SQLException {
      rows.add(paramsJson());
      params.clear();
      super.addBatch();
    }

    @Override
    public boolean execute() throws SQLException {
      log();
      return super.execute();
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
      log();
      return super.executeQuery();
    }

    @Override
    public int executeUpdate() throws SQLException {
      log();
      return super.executeUpdate();
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
      log();
      return super.executeLargeUpdate();
    }

    @Override
    public int[] executeBatch() throws SQLException {
      log();
      rows.clear();
      return super.executeBatch();
    }
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
