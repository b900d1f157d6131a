package dev.marketplace.orders.domain.order;

import dev.marketplace.orders.domain.payment.PaymentMethod;
import java.util.List;
import java.util.Objects;

/** What checkout asks for: a buyer's order from one seller. Inputs are validated at the API edge. */
public record NewOrder(
    String buyerId,
    String sellerId,
    List<LineItem> lineItems,
    ShippingAddress shippingAddress,
    PaymentMethod paymentMethod) {

  public static final int MAX_LINE_ITEMS = 100;

  public NewOrder {
    Objects.requireNonNull(buyerId, "buyerId");
    Objects.requireNonNull(sellerId, "sellerId");
    lineItems = List.copyOf(lineItems);
    Objects.requireNonNull(shippingAddress, "shippingAddress");
    Objects.requireNonNull(paymentMethod, "paymentMethod");
    if (lineItems.isEmpty() || lineItems.size() > MAX_LINE_ITEMS) {
      throw new IllegalArgumentException("an order has 1 to " + MAX_LINE_ITEMS + " lines");
    }
    String currency = lineItems.get(0).unitPrice().currencyCode();
    if (lineItems.stream().anyMatch(l -> !l.unitPrice().currencyCode().equals(currency))) {
      throw new IllegalArgumentException("every line of an order has the same currency");
    }
  }
}
