package dev.marketplace.orders.server.modification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.server.testing.Checkout;
import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.Rows;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.AcceptModificationRequest;
import dev.marketplace.orders.v1.DeclineModificationRequest;
import dev.marketplace.orders.v1.GetModificationRequest;
import dev.marketplace.orders.v1.GetOrderRequest;
import dev.marketplace.orders.v1.ListOrderEventsRequest;
import dev.marketplace.orders.v1.Modification;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.OrderEvent;
import dev.marketplace.orders.v1.ProposeModificationRequest;
import dev.marketplace.orders.v1.RecordPaymentRequest;
import dev.marketplace.orders.v1.ShippingAddress;
import dev.marketplace.orders.v1.WithdrawModificationRequest;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * orders.v1.ModificationService end to end, one flow per test class: real channel, real tokens, real
 * Guice wiring, MariaDB. Each class starts a server of its own on a fresh database. The order of
 * {@link Requests#order} has two lines: 2 x 4.99 (line 0, colour red) and 1 x 15.00 (line 1).
 */
abstract class ModificationFixture {

  static final long LINE_0_UNIT = 499;

  static GrpcTestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new GrpcTestServer();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  // ---- orders in each state ----

  static Order placed(String buyer, String seller) {
    return new Checkout(server).placed(buyer, seller);
  }

  static Order pay(String orderId, RecordPaymentRequest.Outcome outcome) {
    return new Checkout(server).pay(orderId, outcome);
  }

  static Order paid(String buyer, String seller) {
    return new Checkout(server).paid(buyer, seller);
  }

  static Order ship(String orderId) {
    return new Checkout(server).ship(orderId);
  }

  static Order order(String subject, Role role, String orderId) {
    return server.ordersAs(subject, role).getOrder(GetOrderRequest.newBuilder().setOrderId(orderId).build());
  }

  static List<OrderEvent> history(String subject, Role role, String orderId) {
    return server.ordersAs(subject, role)
        .listOrderEvents(ListOrderEventsRequest.newBuilder().setOrderId(orderId).setPageSize(100).build())
        .getEventsList();
  }

  // ---- modification calls ----

  static ProposeModificationRequest.Builder quantity(String orderId, int lineIndex, int quantity) {
    return ProposeModificationRequest.newBuilder()
        .setRequestId(Requests.newId())
        .setOrderId(orderId)
        .setQuantityChange(Modification.QuantityChange.newBuilder().setLineIndex(lineIndex).setQuantity(quantity));
  }

  static ProposeModificationRequest.Builder variant(String orderId, int lineIndex, String key, String value) {
    return ProposeModificationRequest.newBuilder()
        .setRequestId(Requests.newId())
        .setOrderId(orderId)
        .setVariantChange(Modification.VariantChange.newBuilder().setLineIndex(lineIndex).putVariantAttributes(key, value));
  }

  static ShippingAddress newAddress() {
    return ShippingAddress.newBuilder()
        .setRecipientName("Ann Example")
        .addAddressLines("9 Elm Road")
        .setLocality("Shelbyville")
        .setPostalCode("62565")
        .setRegionCode("US")
        .build();
  }

  static ProposeModificationRequest.Builder address(String orderId) {
    return ProposeModificationRequest.newBuilder().setRequestId(Requests.newId()).setOrderId(orderId).setShippingAddressChange(newAddress());
  }

  static Modification propose(String subject, Role role, ProposeModificationRequest.Builder request) {
    return server.modificationsAs(subject, role).proposeModification(request.build());
  }

  static AcceptModificationRequest acceptRequest(String modificationId) {
    return AcceptModificationRequest.newBuilder().setRequestId(Requests.newId()).setModificationId(modificationId).build();
  }

  static Modification accept(String subject, Role role, String modificationId) {
    return server.modificationsAs(subject, role).acceptModification(acceptRequest(modificationId));
  }

  static Modification decline(String subject, Role role, String modificationId) {
    return server.modificationsAs(subject, role)
        .declineModification(DeclineModificationRequest.newBuilder().setRequestId(Requests.newId()).setModificationId(modificationId).build());
  }

  static Modification withdraw(String subject, Role role, String modificationId) {
    return server.modificationsAs(subject, role)
        .withdrawModification(WithdrawModificationRequest.newBuilder().setRequestId(Requests.newId()).setModificationId(modificationId).build());
  }

  static Modification get(String subject, Role role, String modificationId) {
    return server.modificationsAs(subject, role).getModification(GetModificationRequest.newBuilder().setModificationId(modificationId).build());
  }

  static Errors failure(Runnable call) {
    Throwable thrown = catchThrowable(call::run);
    assertThat(thrown).as("the call should have failed").isInstanceOf(StatusRuntimeException.class);
    return Errors.of(thrown);
  }

  static long count(String sql, Object... params) {
    return new Rows(server.dataSource()).count(sql, params);
  }


  static String hex(String uuid) {
    return uuid.replace("-", "");
  }

  static long events(String orderId, String type) {
    return count("SELECT COUNT(*) FROM order_events WHERE order_id = UNHEX(?) AND event_type = ?", hex(orderId), type);
  }

  static long refunds(String orderId) {
    return count("SELECT COUNT(*) FROM refunds WHERE order_id = UNHEX(?)", hex(orderId));
  }
}
