package dev.marketplace.orders.domain.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the JSON columns write, they read back, whatever the text; and what MySQL 8 sends back (with spaces) too. */
class JsonColumnsTest {

  private static final List<String> HOSTILE =
      List.of("", "plain", "quote \" and backslash \\\\", "slash / and tab \t, newline \n, return \r", "\u0000\u0007\u001b[31m",
          "unicode: Grüße 你好 😀", "lone surrogate \ud800", "' OR 1=1 --", "{\"nested\": [1, 2]}");

  @Test
  void listsRoundTrip() {
    assertThat(JsonColumns.toList(JsonColumns.ofList(HOSTILE))).isEqualTo(HOSTILE);
    assertThat(JsonColumns.toList(JsonColumns.ofList(List.of()))).isEmpty();
  }

  @Test
  void mapsRoundTrip() {
    Map<String, String> map = new java.util.TreeMap<>();
    for (int i = 0; i < HOSTILE.size(); i++) {
      map.put(HOSTILE.get(i), HOSTILE.get(HOSTILE.size() - 1 - i));
    }
    assertThat(JsonColumns.toMap(JsonColumns.ofMap(map))).isEqualTo(map);
    assertThat(JsonColumns.toMap("{}")).isEmpty();
  }

  @Test
  void readsTheNormalisedFormMySqlReturns() {
    assertThat(JsonColumns.toList("[\"1 Main St\", \"Apt 2\"]")).containsExactly("1 Main St", "Apt 2");
    assertThat(JsonColumns.toMap("{\"colour\": \"red\", \"size\": \"M\\u00e9\"}")).containsExactly(Map.entry("colour", "red"), Map.entry("size", "Mé"));
  }

  @Test
  void refusesWhatIsNotOneOfItsShapes() {
    assertThatThrownBy(() -> JsonColumns.toList("[\"unterminated]")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> JsonColumns.toList("[1, 2]")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> JsonColumns.toMap("{\"a\": \"b\"} trailing")).isInstanceOf(IllegalStateException.class);
  }
}
