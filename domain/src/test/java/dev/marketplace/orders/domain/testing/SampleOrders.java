package dev.marketplace.orders.domain.testing;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.order.CancellationKind;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.domain.order.LineItem;
import dev.marketplace.orders.domain.order.NewOrder;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderCancellation;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.order.PaymentCapture;
import dev.marketplace.orders.domain.order.Shipment;
import dev.marketplace.orders.domain.order.ShippingAddress;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.payment.PaymentMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Plausible orders for tests: two lines in USD (2 x 4.99 + 1 x 15.00 = 24.98) shipped to Springfield. */
public final class SampleOrders {

  public static final Money TOTAL = new Money("USD", 2 * 499 + 1500);

  private SampleOrders() {}

  public static NewOrder newOrder(String buyerId, String sellerId) {
    return new NewOrder(
        buyerId,
        sellerId,
        List.of(
            new LineItem("SKU-CASE", "Phone case", Map.of("colour", "red"), 2, new Money("USD", 499)),
            new LineItem("SKU-CABLE", "USB-C cable", Map.of(), 1, new Money("USD", 1500))),
        address(),
        PaymentMethod.CARD);
  }

  public static ShippingAddress address() {
    return new ShippingAddress(
        "Ann Example", List.of("1 Main St", "Apt 2"), "Springfield", "IL", "62701", "US", "+15550100");
  }

  /**
   * An order in {@code state} with the payment and shipment facts that state implies, created at
   * {@code createdAt} and last changed an hour later.
   */
  public static Order inState(
      OrderState state, UUID id, String buyerId, String sellerId, Instant createdAt) {
    NewOrder request = newOrder(buyerId, sellerId);
    Instant updatedAt = createdAt.plus(Duration.ofHours(1));
    PaymentCapture payment =
        switch (state) {
          case AWAITING_SHIPMENT, SHIPPED, DELIVERED ->
              new PaymentCapture("pay-" + id, createdAt.plus(Duration.ofMinutes(5)), TOTAL);
          default -> null;
        };
    Shipment shipment =
        switch (state) {
          case SHIPPED -> new Shipment("UPS", "1Z999", createdAt.plus(Duration.ofMinutes(30)), null);
          case DELIVERED ->
              new Shipment("UPS", "1Z999", createdAt.plus(Duration.ofMinutes(30)), updatedAt);
          default -> null;
        };
    return new Order(
        id,
        request.buyerId(),
        request.sellerId(),
        request.lineItems(),
        request.shippingAddress(),
        request.paymentMethod(),
        state,
        payment,
        shipment,
        createdAt,
        updatedAt,
        state == OrderState.AWAITING_PAYMENT ? 1 : 3,
        state == OrderState.CANCELLED
            ? new OrderCancellation(
                CancellationKind.BUYER_CANCELLED_UNPAID, CancellationReason.ORDERED_BY_ACCIDENT, buyerId, Role.BUYER, updatedAt, null)
            : null,
        List.of());
  }
}
