package dev.marketplace.orders.server.testing;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.RecordPaymentRequest;

/**
 * Orders of {@link Requests#order} in each state of their life, made through the API the way
 * checkout, payments and logistics make them (each a service with its scope).
 */
public final class Checkout {

  private final GrpcTestServer server;

  public Checkout(GrpcTestServer server) {
    this.server = server;
  }

  /** AWAITING_PAYMENT. */
  public Order placed(String buyer, String seller) {
    return server.ordersAs("checkout", Role.SERVICE, "orders.create").createOrder(Requests.create(buyer, seller));
  }

  /** Payments reports {@code outcome} for the order. */
  public Order pay(String orderId, RecordPaymentRequest.Outcome outcome) {
    return server.ordersAs("payments", Role.SERVICE, "payments.record").recordPayment(Requests.payment(orderId, outcome));
  }

  /** AWAITING_SHIPMENT: placed and captured. */
  public Order paid(String buyer, String seller) {
    return pay(placed(buyer, seller).getOrderId(), RecordPaymentRequest.Outcome.CAPTURED);
  }

  /** Logistics hands the order to the carrier. */
  public Order ship(String orderId) {
    return server.ordersAs("logistics", Role.SERVICE, "logistics.ship").shipOrder(Requests.ship(orderId));
  }

  /** SHIPPED: paid, then shipped. */
  public Order shipped(String buyer, String seller) {
    return ship(paid(buyer, seller).getOrderId());
  }

  /** DELIVERED: shipped, then delivered. */
  public Order delivered(String buyer, String seller) {
    return server.ordersAs("logistics", Role.SERVICE, "logistics.ship").confirmDelivery(Requests.deliver(shipped(buyer, seller).getOrderId()));
  }
}
