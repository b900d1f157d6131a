package dev.marketplace.orders.server.api;

import dev.marketplace.orders.domain.order.Order;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/** An order's etag is its version, written {@code "v<version>"}; callers treat it as opaque. */
final class Etags {

  private static final Pattern ETAG = Pattern.compile("v[1-9][0-9]{0,8}");

  private Etags() {}

  static String of(Order order) {
    return "v" + order.version();
  }

  /** The version an etag names, empty for no etag; records a violation for a malformed one. */
  static OptionalInt parse(RequestChecks checks, String field, String etag) {
    if (etag.isEmpty()) {
      return OptionalInt.empty();
    }
    if (!ETAG.matcher(etag).matches()) {
      checks.add(field, "not an etag of this service; send back the etag of the order as read");
      return OptionalInt.empty();
    }
    return OptionalInt.of(Integer.parseInt(etag.substring(1)));
  }
}
