package dev.marketplace.orders.server.testing;

import dev.marketplace.orders.v1.ConfirmDeliveryRequest;
import dev.marketplace.orders.v1.CreateOrderRequest;
import dev.marketplace.orders.v1.LineItem;
import dev.marketplace.orders.v1.Money;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.RecordPaymentRequest;
import dev.marketplace.orders.v1.ShipOrderRequest;
import dev.marketplace.orders.v1.ShippingAddress;
import java.util.UUID;

/** Valid requests to start from; tests change what they are about. */
public final class Requests {

  private Requests() {}

  public static Order.Builder order(String buyer, String seller) {
    return Order.newBuilder()
        .setBuyerId(buyer)
        .setSellerId(seller)
        .addLineItems(
            LineItem.newBuilder()
                .setSku("SKU-CASE")
                .setTitle("Phone case")
                .putVariantAttributes("colour", "red")
                .setQuantity(2)
                .setUnitPrice(usd(499)))
        .addLineItems(
            LineItem.newBuilder().setSku("SKU-CABLE").setTitle("USB-C cable").setQuantity(1).setUnitPrice(usd(1500)))
        .setShippingAddress(
            ShippingAddress.newBuilder()
                .setRecipientName("Ann Example")
                .addAddressLines("1 Main St")
                .setLocality("Springfield")
                .setPostalCode("62701")
                .setRegionCode("US"))
        .setPaymentMethod(Order.PaymentMethod.CARD);
  }

  /** 2 x 4.99 + 1 x 15.00 */
  public static final long TOTAL = 2 * 499 + 1500;

  public static CreateOrderRequest create(String buyer, String seller) {
    return CreateOrderRequest.newBuilder().setRequestId(newId()).setOrder(order(buyer, seller)).build();
  }

  public static RecordPaymentRequest payment(String orderId, RecordPaymentRequest.Outcome outcome) {
    RecordPaymentRequest.Builder request =
        RecordPaymentRequest.newBuilder().setRequestId(newId()).setOrderId(orderId).setOutcome(outcome);
    if (outcome == RecordPaymentRequest.Outcome.CAPTURED) {
      request.setPaymentReference("PAY-" + orderId.substring(0, 8)).setAmount(usd(TOTAL));
    }
    return request.build();
  }

  public static ShipOrderRequest ship(String orderId) {
    return ShipOrderRequest.newBuilder()
        .setRequestId(newId())
        .setOrderId(orderId)
        .setCarrier("Cainiao")
        .setTrackingNumber("LP0012345678")
        .build();
  }

  public static ConfirmDeliveryRequest deliver(String orderId) {
    return ConfirmDeliveryRequest.newBuilder().setRequestId(newId()).setOrderId(orderId).build();
  }

  public static Money usd(long minor) {
    return Money.newBuilder().setCurrencyCode("USD").setAmountMinor(minor).build();
  }

  public static String newId() {
    return UUID.randomUUID().toString();
  }
}
