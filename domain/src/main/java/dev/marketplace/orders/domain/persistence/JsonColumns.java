package dev.marketplace.orders.domain.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.tools.json.JSONArray;
import org.jooq.tools.json.JSONObject;

/** String lists and string maps stored in JSON columns: written with jOOQ's bundled JSON writer, read by hand. */
final class JsonColumns {

  private JsonColumns() {}

  static String ofList(List<String> values) {
    return JSONArray.toJSONString(values);
  }

  static String ofMap(Map<String, String> values) {
    return JSONObject.toJSONString(new TreeMap<>(values));
  }

  static List<String> toList(String json) {
    Reader reader = new Reader(json);
    List<String> values = new ArrayList<>();
    reader.expect('[');
    if (!reader.consume(']')) {
      do {
        values.add(reader.string());
      } while (reader.consume(','));
      reader.expect(']');
    }
    reader.end();
    return values;
  }

  static Map<String, String> toMap(String json) {
    Reader reader = new Reader(json);
    Map<String, String> values = new TreeMap<>();
    reader.expect('{');
    if (!reader.consume('}')) {
      do {
        String key = reader.string();
        reader.expect(':');
        values.put(key, reader.string());
      } while (reader.consume(','));
      reader.expect('}');
    }
    reader.end();
    return values;
  }

  /**
   * Reads the two shapes these columns hold - an array of strings, an object of strings - in one
   * pass without a general JSON parser: every order read parses them, and jOOQ's bundled parser was
   * a measurable share of the server's CPU (see docs/benchmarks.md).
   */
  private static final class Reader {
    private final String json;
    private int at;

    Reader(String json) {
      this.json = json;
    }

    private void skipSpace() {
      while (at < json.length() && Character.isWhitespace(json.charAt(at))) {
        at++;
      }
    }

    boolean consume(char c) {
      skipSpace();
      if (at < json.length() && json.charAt(at) == c) {
        at++;
        return true;
      }
      return false;
    }

    void expect(char c) {
      if (!consume(c)) {
        throw unreadable("'" + c + "' expected");
      }
    }

    void end() {
      skipSpace();
      if (at != json.length()) {
        throw unreadable("trailing characters");
      }
    }

    String string() {
      expect('"');
      StringBuilder value = new StringBuilder();
      while (at < json.length()) {
        char c = json.charAt(at++);
        if (c == '"') {
          return value.toString();
        }
        if (c != '\\') {
          value.append(c);
          continue;
        }
        if (at >= json.length()) {
          break;
        }
        char escaped = json.charAt(at++);
        switch (escaped) {
          case '"', '\\', '/' -> value.append(escaped);
          case 'b' -> value.append('\b');
          case 'f' -> value.append('\f');
          case 'n' -> value.append('\n');
          case 'r' -> value.append('\r');
          case 't' -> value.append('\t');
          case 'u' -> {
            if (at + 4 > json.length()) {
              throw unreadable("short \\u escape");
            }
            value.append((char) Integer.parseInt(json, at, at + 4, 16));
            at += 4;
          }
          default -> throw unreadable("unknown escape \\" + escaped);
        }
      }
      throw unreadable("unterminated string");
    }

    private IllegalStateException unreadable(String why) {
      return new IllegalStateException("unreadable JSON column at " + at + ": " + why);
    }
  }
}
