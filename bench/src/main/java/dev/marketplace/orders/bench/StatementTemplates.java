package dev.marketplace.orders.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What one RPC sent to the database, read from the server's own statement log
 * ({@code ORDERS_STATEMENT_LOG}): its transactions, in order, each with its statements, their SQL
 * text exactly as the server prepared it and the values it bound. The raw-JDBC baseline replays
 * these through plain JDBC, with the sample's identities (order, buyer, request ids...) swapped for
 * each iteration's, and nothing else changed.
 */
final class StatementTemplates {

  /** One bound value: a JDBC type letter as the log writes it, and the value as text (hex for bytes). */
  record Param(String type, String value) {}

  /** A statement with its values; a batch has several rows. */
  record Statement(String sql, List<List<Param>> rows, boolean batch) {}

  /** A transaction: its statements, and whether the server committed it. */
  record Transaction(List<Statement> statements, boolean committed) {}

  private final List<Transaction> transactions;

  private StatementTemplates(List<Transaction> transactions) {
    this.transactions = List.copyOf(transactions);
  }

  List<Transaction> transactions() {
    return transactions;
  }

  int statementCount() {
    return transactions.stream().mapToInt(t -> t.statements().size()).sum();
  }

  /** The current length of the log, to read what comes after it. */
  static long mark(Path log) throws IOException {
    return Files.exists(log) ? Files.size(log) : 0;
  }

  /** The transactions handler threads wrote to the log after {@code from}. */
  static StatementTemplates readSince(Path log, long from) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Map<Long, List<Statement>> open = new LinkedHashMap<>();
    Map<Long, Transaction> done = new LinkedHashMap<>();
    Map<Long, Long> order = new LinkedHashMap<>();
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      file.seek(from);
      byte[] rest = new byte[(int) (file.length() - from)];
      file.readFully(rest);
      for (String line : new String(rest, StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node = json.readTree(line);
        if (!node.path("thread").asText().startsWith("orders-handler")) {
          continue; // the sweeps and other background work are not part of a call
        }
        long tx = node.path("tx").asLong();
        switch (node.path("event").asText()) {
          case "begin" -> {
            open.put(tx, new ArrayList<>());
            order.put(tx, (long) order.size());
          }
          case "statement" -> open.get(tx).add(statement(node));
          case "commit" -> done.put(tx, new Transaction(open.remove(tx), true));
          case "rollback" -> done.put(tx, new Transaction(open.remove(tx), false));
          default -> throw new IllegalStateException("unknown statement log line: " + line);
        }
      }
    }
    if (!open.isEmpty()) {
      throw new IllegalStateException("transactions still open in the statement log: " + open.keySet());
    }
    List<Transaction> ordered = new ArrayList<>();
    done.entrySet().stream().sorted(Comparator.comparing(e -> order.get(e.getKey()))).forEach(e -> ordered.add(e.getValue()));
    return new StatementTemplates(ordered);
  }

  private static Statement statement(JsonNode node) {
    List<List<Param>> rows = new ArrayList<>();
    if (node.has("rows")) {
      node.get("rows").forEach(row -> rows.add(params(row)));
      return new Statement(node.get("sql").asText(), rows, true);
    }
    rows.add(params(node.get("params")));
    return new Statement(node.get("sql").asText(), rows, false);
  }

  private static List<Param> params(JsonNode array) {
    List<Param> params = new ArrayList<>();
    array.forEach(p -> params.add(new Param(p.get(0).asText(), p.size() > 1 ? p.get(1).asText() : null)));
    return params;
  }

  /**
   * Runs these transactions on {@code dataSource} as the server did - same SQL, same values but for
   * the substitutions, same transaction boundaries, every result read to its end - and returns the
   * number of rows the statements changed.
   */
  long replay(DataSource dataSource, Substitutions substitutions) throws SQLException {
    long changed = 0;
    for (Transaction transaction : transactions) {
      try (Connection connection = dataSource.getConnection()) {
        connection.setAutoCommit(false);
        try {
          for (Statement statement : transaction.statements()) {
            changed += execute(connection, statement, substitutions);
          }
          if (transaction.committed()) {
            connection.commit();
          } else {
            connection.rollback();
          }
        } catch (SQLException e) {
          connection.rollback();
          throw e;
        } finally {
          connection.setAutoCommit(true);
        }
      }
    }
    return changed;
  }

  private static long execute(Connection connection, Statement statement, Substitutions substitutions) throws SQLException {
    try (PreparedStatement prepared = connection.prepareStatement(statement.sql())) {
      if (statement.batch()) {
        for (List<Param> row : statement.rows()) {
          bind(prepared, row, substitutions);
          prepared.addBatch();
        }
        long changed = 0;
        for (int n : prepared.executeBatch()) {
          changed += Math.max(0, n);
        }
        return changed;
      }
      bind(prepared, statement.rows().get(0), substitutions);
      if (prepared.execute()) {
        try (ResultSet rows = prepared.getResultSet()) {
          int columns = rows.getMetaData().getColumnCount();
          while (rows.next()) {
            for (int c = 1; c <= columns; c++) {
              rows.getObject(c);
            }
          }
        }
        return 0;
      }
      return prepared.getUpdateCount();
    }
  }

  private static void bind(PreparedStatement prepared, List<Param> params, Substitutions substitutions) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      Param p = params.get(i);
      int index = i + 1;
      switch (p.type()) {
        case "b" -> prepared.setBytes(index, HexFormat.of().parseHex(substitutions.hex(p.value())));
        case "s" -> prepared.setString(index, substitutions.text(p.value()));
        case "l" -> prepared.setLong(index, Long.parseLong(p.value()));
        case "i" -> prepared.setInt(index, Integer.parseInt(p.value()));
        case "z" -> prepared.setBoolean(index, Boolean.parseBoolean(p.value()));
        case "d" -> prepared.setBigDecimal(index, new java.math.BigDecimal(p.value()));
        case "n" -> prepared.setNull(index, Types.NULL);
        default -> throw new IllegalStateException("unknown parameter type " + p.type());
      }
    }
  }

  /** What to swap in a replay: whole byte values (as hex) and text, longest first. */
  static final class Substitutions {
    private final Map<String, String> hex = new LinkedHashMap<>();
    /** Longest first, so that a sample value that contains another is swapped whole. */
    private final Map<String, String> text =
        new java.util.TreeMap<>(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));

    /** Swaps a UUID wherever it appears: as 16 bytes, and as text inside strings (JSON details, keys). */
    Substitutions uuid(java.util.UUID sample, java.util.UUID replacement) {
      hex.put(hexOf(sample), hexOf(replacement));
      return text(sample.toString(), replacement.toString());
    }

    /** Swaps a piece of text inside any string value. */
    Substitutions text(String sample, String replacement) {
      text.put(sample, replacement);
      return this;
    }

    String hex(String value) {
      return hex.getOrDefault(value, value);
    }

    String text(String value) {
      if (value == null) {
        return null;
      }
      String result = value;
      for (Map.Entry<String, String> e : text.entrySet()) {
        if (result.contains(e.getKey())) {
          result = result.replace(e.getKey(), e.getValue());
        }
      }
      return result;
    }

    static String hexOf(java.util.UUID id) {
      return HexFormat.of()
          .formatHex(java.nio.ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array());
    }
  }
}
