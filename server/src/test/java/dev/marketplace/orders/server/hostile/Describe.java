package dev.marketplace.orders.server.hostile;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import java.util.List;
import java.util.Map;

/** Short, printable renderings of hostile values and requests for the failure report. */
final class Describe {

  private static final int MAX_TEXT = 48;
  private static final int MAX_MESSAGE = 600;

  private Describe() {}

  static String value(Object value) {
    if (value instanceof String s) {
      return text(s);
    } else if (value instanceof ByteString b) {
      return "bytes[" + b.size() + "] " + hex(b);
    } else if (value instanceof EnumValueDescriptor e) {
      return e.getType().findValueByNumber(e.getNumber()) == null
          ? "enum #" + e.getNumber() + " (unknown)"
          : e.getName() + " (" + e.getNumber() + ")";
    } else if (value instanceof DynamicMessage m) {
      return message(m);
    } else if (value instanceof List<?> list) {
      return list.size() > 3
          ? "[" + list.size() + " elements, first " + value(list.get(0)) + "]"
          : "[" + String.join(", ", list.stream().map(Describe::value).toList()) + "]";
    }
    return String.valueOf(value);
  }

  /** A quoted, escaped string, shortened to its start and length when long. */
  static String text(String s) {
    String head = s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) : s;
    StringBuilder out = new StringBuilder("\"");
    head.codePoints()
        .forEach(
            c -> {
              if (c < 0x20 || (c >= 0x7f && c < 0xa0) || Character.getType(c) == Character.FORMAT || Character.getType(c) == Character.SURROGATE) {
                out.append(String.format("\\u%04x", c));
              } else if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
              } else {
                out.appendCodePoint(c);
              }
            });
    out.append('"');
    if (s.length() > MAX_TEXT) {
      out.append("... (").append(s.length()).append(" chars)");
    }
    return out.toString();
  }

  static String message(DynamicMessage message) {
    StringBuilder out = new StringBuilder("{");
    for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
      if (out.length() > 1) {
        out.append(", ");
      }
      out.append(e.getKey().getName()).append('=').append(value(e.getValue()));
      if (out.length() > MAX_MESSAGE) {
        out.setLength(MAX_MESSAGE);
        out.append("...");
        break;
      }
    }
    if (!message.getUnknownFields().asMap().isEmpty()) {
      out.append(out.length() > 1 ? ", " : "").append("unknown fields ").append(message.getUnknownFields().asMap().keySet());
    }
    return out.append('}').toString();
  }

  static String hex(ByteString bytes) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(bytes.size(), 16); i++) {
      out.append(String.format("%02x", bytes.byteAt(i) & 0xff));
    }
    return out + (bytes.size() > 16 ? "..." : "");
  }

  static String hex(byte[] bytes) {
    return hex(ByteString.copyFrom(bytes));
  }
}
