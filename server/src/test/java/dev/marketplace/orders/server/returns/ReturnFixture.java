package dev.marketplace.orders.server.returns;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.Timestamp;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.testing.InvariantVerifier;
import dev.marketplace.orders.server.testing.Checkout;
import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.server.testing.Rows;
import dev.marketplace.orders.v1.ApproveReturnRequest;
import dev.marketplace.orders.v1.ConfirmReturnReceivedRequest;
import dev.marketplace.orders.v1.GetOrderRequest;
import dev.marketplace.orders.v1.GetReturnRequest;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.RecordReturnShipmentRequest;
import dev.marketplace.orders.v1.RejectReturnRequest;
import dev.marketplace.orders.v1.RequestReturnRequest;
import dev.marketplace.orders.v1.Return;
import dev.marketplace.orders.v1.WithdrawReturnRequest;
import io.grpc.StatusRuntimeException;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * orders.v1.ReturnService end to end: real channel, real tokens, real Guice wiring, MariaDB; each
 * class starts a server of its own on a fresh database. The order of {@link Requests#order} has two
 * lines: line 0 is 2 x 4.99, line 1 is 1 x 15.00 ({@link Requests#TOTAL}). Every invariant is checked
 * after each test.
 */
abstract class ReturnFixture {

  static final String EVIDENCE = "https://evidence.example/photo-1.jpg";
  static final long LINE_0_UNIT = 499;
  static final long LINE_1_UNIT = 1500;

  static GrpcTestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new GrpcTestServer();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @AfterEach
  void invariantsHold() {
    InvariantVerifier.verify(server.dataSource()).assertHolds();
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  // ---- orders ----

  static Order placed(String buyer, String seller) {
    return new Checkout(server).placed(buyer, seller);
  }

  static Order paid(String buyer, String seller) {
    return new Checkout(server).paid(buyer, seller);
  }

  static Order shipped(String buyer, String seller) {
    return new Checkout(server).shipped(buyer, seller);
  }

  static Order delivered(String buyer, String seller) {
    return new Checkout(server).delivered(buyer, seller);
  }

  static Order order(String subject, Role role, String orderId) {
    return server.ordersAs(subject, role).getOrder(GetOrderRequest.newBuilder().setOrderId(orderId).build());
  }

  // ---- return calls ----

  static RequestReturnRequest.Builder requestOf(String orderId, int lineIndex, int quantity) {
    return RequestReturnRequest.newBuilder()
        .setRequestId(Requests.newId())
        .setOrderId(orderId)
        .addLines(RequestReturnRequest.Line.newBuilder().setLineIndex(lineIndex).setQuantity(quantity))
        .setReason(Return.Reason.DAMAGED)
        .setDescription("one case is cracked")
        .addEvidenceUris(EVIDENCE);
  }

  static Return request(String buyer, RequestReturnRequest.Builder request) {
    return server.returnsAs(buyer, BUYER).requestReturn(request.build());
  }

  static Return approve(String seller, String returnId) {
    return server.returnsAs(seller, SELLER)
        .approveReturn(ApproveReturnRequest.newBuilder().setRequestId(Requests.newId()).setReturnId(returnId).setNote("send it to the depot").build());
  }

  static Return reject(String seller, String returnId) {
    return server.returnsAs(seller, SELLER)
        .rejectReturn(RejectReturnRequest.newBuilder().setRequestId(Requests.newId()).setReturnId(returnId).setNote("it was fine when sent").build());
  }

  static Return ship(String buyer, String returnId) {
    return server.returnsAs(buyer, BUYER)
        .recordReturnShipment(
            RecordReturnShipmentRequest.newBuilder()
                .setRequestId(Requests.newId())
                .setReturnId(returnId)
                .setCarrier("Cainiao")
                .setTrackingNumber("LP0012345678")
                .build());
  }

  static ConfirmReturnReceivedRequest receivedRequest(String returnId) {
    return ConfirmReturnReceivedRequest.newBuilder().setRequestId(Requests.newId()).setReturnId(returnId).build();
  }

  static Return confirmReceived(String seller, String returnId) {
    return server.returnsAs(seller, SELLER).confirmReturnReceived(receivedRequest(returnId));
  }

  static Return withdraw(String buyer, String returnId) {
    return server.returnsAs(buyer, BUYER)
        .withdrawReturn(WithdrawReturnRequest.newBuilder().setRequestId(Requests.newId()).setReturnId(returnId).build());
  }

  static Return get(String subject, Role role, String returnId) {
    return server.returnsAs(subject, role).getReturn(GetReturnRequest.newBuilder().setReturnId(returnId).build());
  }

  /** A delivered order with one unit of line 1 (15.00) on its way back: requested, approved, shipped. */
  static Return shippedBack(String buyer, String seller, Order order) {
    Return requested = request(buyer, requestOf(order.getOrderId(), 1, 1));
    approve(seller, requested.getReturnId());
    return ship(buyer, requested.getReturnId());
  }

  static Errors failure(Runnable call) {
    Throwable thrown = catchThrowable(call::run);
    assertThat(thrown).as("the call should have failed").isInstanceOf(StatusRuntimeException.class);
    return Errors.of(thrown);
  }

  static long count(String sql, Object... params) {
    return new Rows(server.dataSource()).count(sql, params);
  }

  static long events(String orderId, String type) {
    return new Rows(server.dataSource()).events(orderId, type);
  }

  static long returnRefunds(String returnId) {
    return count("SELECT COUNT(*) FROM refunds WHERE return_id = UNHEX(?)", Rows.hex(returnId));
  }

  static long platformMessages(String orderId) {
    return new Rows(server.dataSource()).platformMessages(orderId);
  }

  static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
