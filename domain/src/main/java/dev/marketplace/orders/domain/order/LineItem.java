package dev.marketplace.orders.domain.order;

import dev.marketplace.orders.domain.payment.Money;
import java.util.Map;
import java.util.Objects;

/** One product line: what, which variant, how many, at what unit price. */
public record LineItem(
    String sku, String title, Map<String, String> variantAttributes, int quantity, Money unitPrice) {

  public static final int MAX_SKU_LENGTH = 64;
  public static final int MAX_TITLE_LENGTH = 200;
  public static final int MAX_VARIANT_ATTRIBUTES = 10;
  public static final int MAX_VARIANT_KEY_LENGTH = 40;
  public static final int MAX_VARIANT_VALUE_LENGTH = 100;
  public static final int MAX_QUANTITY = 10_000;
  /** Upper bound of one unit's price, so that no order total can overflow. */
  public static final long MAX_UNIT_PRICE_MINOR = 1_000_000_000_000L;

  public LineItem {
    Objects.requireNonNull(sku, "sku");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(unitPrice, "unitPrice");
    variantAttributes = Map.copyOf(variantAttributes);
    if (quantity < 1 || quantity > MAX_QUANTITY) {
      throw new IllegalArgumentException("quantity out of range: " + quantity);
    }
  }

  public Money subtotal() {
    return unitPrice.times(quantity);
  }
}
