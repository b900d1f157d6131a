package dev.marketplace.orders.server.demo;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.idempotency.IdempotencyKey;
import dev.marketplace.orders.domain.idempotency.ResponseFormat;
import dev.marketplace.orders.domain.order.LineItem;
import dev.marketplace.orders.domain.order.NewOrder;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.order.PaymentReport;
import dev.marketplace.orders.domain.order.ShippingAddress;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.payment.PaymentMethod;
import dev.marketplace.orders.domain.usecase.Orders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A few orders of buyer {@code buyer-1} at shop {@code seller-1}, one in each state from
 * AWAITING_PAYMENT to DELIVERED, so a newcomer has something to look at with grpcurl. Loaded through
 * the ordinary use cases with fixed call ids, so loading twice changes nothing.
 */
public final class DemoData {

  public static final String BUYER = "buyer-1";
  public static final String SELLER = "seller-1";
  private static final Logger log = LoggerFactory.getLogger(DemoData.class);
  private static final Principal CHECKOUT = new Principal("checkout", Role.SERVICE, Set.of("orders.create"));
  private static final Principal PAYMENTS = new Principal("payments", Role.SERVICE, Set.of("payments.record"));
  private static final Principal SELLER_PRINCIPAL = Principal.of(SELLER, Role.SELLER);
  private static final Principal BUYER_PRINCIPAL = Principal.of(BUYER, Role.BUYER);

  /** Remembers just the order id of a demo step. */
  private static final ResponseFormat<Order, UUID> ORDER_ID =
      new ResponseFormat<>() {
        @Override
        public UUID render(Order order) {
          return order.id();
        }

        @Override
        public byte[] serialize(UUID id) {
          return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
        }

        @Override
        public UUID deserialize(byte[] stored) {
          ByteBuffer buffer = ByteBuffer.wrap(stored);
          return new UUID(buffer.getLong(), buffer.getLong());
        }
      };

  private DemoData() {}

  public static void load(Orders orders) {
    List<OrderState> targets =
        List.of(
            OrderState.AWAITING_PAYMENT,
            OrderState.PAYMENT_PROCESSING,
            OrderState.AWAITING_SHIPMENT,
            OrderState.SHIPPED,
            OrderState.DELIVERED);
    for (int i = 0; i < targets.size(); i++) {
      UUID id = bring(orders, i + 1, targets.get(i));
      log.info("demo order {} is {}", id, targets.get(i));
    }
  }

  private static UUID bring(Orders orders, int n, OrderState target) {
    NewOrder request =
        new NewOrder(
            BUYER,
            SELLER,
            List.of(
                new LineItem("SKU-CASE-" + n, "Phone case #" + n, Map.of("colour", "black"), n, new Money("USD", 499)),
                new LineItem("SKU-CABLE", "USB-C cable 1 m", Map.of(), 1, new Money("USD", 299))),
            new ShippingAddress("Ada Buyer", List.of("1 Demo Street"), "Berlin", "", "10115", "DE", ""),
            PaymentMethod.CARD);
    UUID id = orders.create(CHECKOUT, key(CHECKOUT, n, "create"), request, ORDER_ID);
    if (target == OrderState.AWAITING_PAYMENT) {
      return id;
    }
    Order order = orders.get(CHECKOUT, id);
    orders.recordPayment(
        PAYMENTS,
        key(PAYMENTS, n, "processing"),
        new PaymentReport(id, PaymentReport.Outcome.PROCESSING, "", null, ""),
        ORDER_ID);
    if (target == OrderState.PAYMENT_PROCESSING) {
      return id;
    }
    orders.recordPayment(
        PAYMENTS,
        key(PAYMENTS, n, "captured"),
        new PaymentReport(id, PaymentReport.Outcome.CAPTURED, "PAY-DEMO-" + n, order.total(), ""),
        ORDER_ID);
    if (target == OrderState.AWAITING_SHIPMENT) {
      return id;
    }
    orders.ship(SELLER_PRINCIPAL, key(SELLER_PRINCIPAL, n, "ship"), id, "Cainiao", "LP00DEMO" + n, OptionalInt.empty(), ORDER_ID);
    if (target == OrderState.SHIPPED) {
      return id;
    }
    orders.confirmDelivery(BUYER_PRINCIPAL, key(BUYER_PRINCIPAL, n, "deliver"), id, OptionalInt.empty(), ORDER_ID);
    return id;
  }

  private static IdempotencyKey key(Principal caller, int n, String step) {
    String name = "demo-order-" + n + "-" + step;
    return new IdempotencyKey(
        caller.idempotencyNamespace(),
        UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)),
        "demo/" + step,
        sha256(name));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
