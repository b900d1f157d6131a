package dev.marketplace.orders.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/security.md's access table says exactly what AuthRules enforces. */
class AccessTableDocTest {

  private static final Pattern ROW = Pattern.compile("^\\| `(orders\\.v1\\.[A-Za-z]+/[A-Za-z]+)` \\| (.+) \\|$");

  @Test
  void everyBusinessRpcIsDocumentedWithItsRule() throws Exception {
    Map<String, String> documented = new HashMap<>();
    for (String line : Files.readAllLines(Path.of("..", "docs", "security.md"))) {
      Matcher row = ROW.matcher(line);
      if (row.matches()) {
        documented.put(row.group(1), row.group(2));
      }
    }
    Map<String, String> enforced = new HashMap<>();
    AuthRules.all().forEach(
        (method, rule) -> {
          if (method.startsWith("orders.v1.")) {
            enforced.put(method, rule.describe());
          }
        });
    assertThat(documented).isEqualTo(enforced);
  }
}
