package dev.marketplace.orders.domain.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.tools.json.JSONArray;
import org.jooq.tools.json.JSONObject;
import org.jooq.tools.json.JSONParser;
import org.jooq.tools.json.ParseException;

/** String lists and string maps stored in JSON columns (jOOQ's bundled JSON reader and writer). */
final class JsonColumns {

  private JsonColumns() {}

  static String ofList(List<String> values) {
    return JSONArray.toJSONString(values);
  }

  static String ofMap(Map<String, String> values) {
    return JSONObject.toJSONString(new TreeMap<>(values));
  }

  static List<String> toList(String json) {
    List<String> values = new ArrayList<>();
    for (Object value : (List<?>) parse(json)) {
      values.add((String) value);
    }
    return values;
  }

  static Map<String, String> toMap(String json) {
    Map<String, String> values = new TreeMap<>();
    ((Map<?, ?>) parse(json)).forEach((k, v) -> values.put((String) k, (String) v));
    return values;
  }

  private static Object parse(String json) {
    try {
      return new JSONParser().parse(json);
    } catch (ParseException e) {
      throw new IllegalStateException("unreadable JSON column", e);
    }
  }
}
