package dev.marketplace.orders.domain.order;

import dev.marketplace.orders.domain.payment.Money;
import java.util.Map;
import java.util.Objects;

/**
 * One product line: what, which variant, how many, at what unit price; and of those units, how many
 * were cancelled (a partial cancellation, before shipment) and how many returned (after delivery).
 * The buyer buys {@link #boughtQuantity()} units (the order's total counts those) and keeps {@link
 * #remainingQuantity()}; a line never gives back more units than it has.
 */
public record LineItem(
    String sku,
    String title,
    Map<String, String> variantAttributes,
    int quantity,
    Money unitPrice,
    int cancelledQuantity,
    int returnedQuantity) {

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
    if (cancelledQuantity < 0 || returnedQuantity < 0 || cancelledQuantity + returnedQuantity > quantity) {
      throw new IllegalArgumentException(
          "units out of range: " + cancelledQuantity + " cancelled and " + returnedQuantity + " returned of " + quantity);
    }
  }

  /** A line as checkout places it: nothing cancelled or returned yet. */
  public LineItem(String sku, String title, Map<String, String> variantAttributes, int quantity, Money unitPrice) {
    this(sku, title, variantAttributes, quantity, unitPrice, 0, 0);
  }

  /** The line with {@code newQuantity} units ordered, its cancelled and returned units kept. */
  public LineItem withQuantity(int newQuantity) {
    return new LineItem(sku, title, variantAttributes, newQuantity, unitPrice, cancelledQuantity, returnedQuantity);
  }

  /** The line in another variant. */
  public LineItem withVariant(Map<String, String> attributes) {
    return new LineItem(sku, title, attributes, quantity, unitPrice, cancelledQuantity, returnedQuantity);
  }

  /** The units the buyer buys: ordered, less those cancelled. */
  public int boughtQuantity() {
    return quantity - cancelledQuantity;
  }

  /** The units the buyer keeps: ordered, less those cancelled and those returned. */
  public int remainingQuantity() {
    return quantity - cancelledQuantity - returnedQuantity;
  }

  /** What the line costs: its unit price times the units bought (cancelled units cost nothing). */
  public Money subtotal() {
    return unitPrice.times(boughtQuantity());
  }
}
