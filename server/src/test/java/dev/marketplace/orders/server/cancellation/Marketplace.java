package dev.marketplace.orders.server.cancellation;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.domain.access.Role.SERVICE;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.server.auth.TokenIssuer;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.ApproveCancellationRequestRequest;
import dev.marketplace.orders.v1.CancelOrderRequest;
import dev.marketplace.orders.v1.CancelOrderResponse;
import dev.marketplace.orders.v1.CancellationEligibility;
import dev.marketplace.orders.v1.CancellationReason;
import dev.marketplace.orders.v1.CancellationRequest;
import dev.marketplace.orders.v1.CancellationServiceGrpc;
import dev.marketplace.orders.v1.CancellationServiceGrpc.CancellationServiceBlockingStub;
import dev.marketplace.orders.v1.CheckCancellationEligibilityRequest;
import dev.marketplace.orders.v1.GetCancellationRequestRequest;
import dev.marketplace.orders.v1.GetOrderRequest;
import dev.marketplace.orders.v1.ListOrderEventsRequest;
import dev.marketplace.orders.v1.ListOrderEventsResponse;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.OrderEvent;
import dev.marketplace.orders.v1.OrderServiceGrpc;
import dev.marketplace.orders.v1.OrderServiceGrpc.OrderServiceBlockingStub;
import dev.marketplace.orders.v1.RecordPaymentRequest;
import dev.marketplace.orders.v1.RejectCancellationRequestRequest;
import dev.marketplace.orders.v1.WithdrawCancellationRequestRequest;
import io.grpc.Channel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Drives the public API of a running service (in-process or on a port) to put orders into the state
 * a test is about, the way checkout, payments, logistics, buyers and sellers would. Every stub gets a
 * fresh token from the issuer's clock, so tests that move a mutable clock keep valid tokens.
 */
final class Marketplace {

  static final String REFUNDS_RECORD = "refunds.record";

  private final Channel channel;
  private final TokenIssuer tokens;

  Marketplace(Channel channel, TokenIssuer tokens) {
    this.channel = channel;
    this.tokens = tokens;
  }

  static Marketplace of(GrpcTestServer server) {
    return new Marketplace(server.channel(), server.tokens);
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static Instant instant(com.google.protobuf.Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  static Duration duration(com.google.protobuf.Duration d) {
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }

  // ---- stubs ----

  OrderServiceBlockingStub orders(String subject, Role role, String... scopes) {
    return OrderServiceGrpc.newBlockingStub(channel)
        .withInterceptors(GrpcTestServer.bearer(token(subject, role, scopes)))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  CancellationServiceBlockingStub cancellations(String subject, Role role, String... scopes) {
    return CancellationServiceGrpc.newBlockingStub(channel)
        .withInterceptors(GrpcTestServer.bearer(token(subject, role, scopes)))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  CancellationServiceBlockingStub refunds() {
    return cancellations("payments", SERVICE, REFUNDS_RECORD);
  }

  OrderServiceBlockingStub logistics() {
    return orders("logistics", SERVICE, "logistics.ship");
  }

  private String token(String subject, Role role, String... scopes) {
    return tokens.issue(subject, role, List.of(scopes), Duration.ofHours(1));
  }

  // ---- orders in each state ----

  Order placed(String buyer, String seller) {
    return orders("checkout", SERVICE, "orders.create").createOrder(Requests.create(buyer, seller));
  }

  Order processing(String buyer, String seller) {
    return pay(placed(buyer, seller).getOrderId(), RecordPaymentRequest.Outcome.PROCESSING);
  }

  Order paid(String buyer, String seller) {
    return pay(placed(buyer, seller).getOrderId(), RecordPaymentRequest.Outcome.CAPTURED);
  }

  Order shipped(String buyer, String seller) {
    return logistics().shipOrder(Requests.ship(paid(buyer, seller).getOrderId()));
  }

  Order delivered(String buyer, String seller) {
    return logistics().confirmDelivery(Requests.deliver(shipped(buyer, seller).getOrderId()));
  }

  Order inState(Order.State state, String buyer, String seller) {
    return switch (state) {
      case AWAITING_PAYMENT -> placed(buyer, seller);
      case PAYMENT_PROCESSING -> processing(buyer, seller);
      case AWAITING_SHIPMENT -> paid(buyer, seller);
      case SHIPPED -> shipped(buyer, seller);
      case DELIVERED -> delivered(buyer, seller);
      default -> throw new IllegalArgumentException("no shortcut to " + state);
    };
  }

  private Order pay(String orderId, RecordPaymentRequest.Outcome outcome) {
    return orders("payments", SERVICE, "payments.record").recordPayment(Requests.payment(orderId, outcome));
  }

  /** A paid order and the buyer's PENDING request to cancel it. */
  CancellationRequest requested(String buyer, String seller) {
    return ask(buyer, paid(buyer, seller).getOrderId()).getCancellationRequest();
  }

  // ---- cancellation calls ----

  static CancelOrderRequest cancelRequest(String orderId, CancellationReason.Code reason) {
    return CancelOrderRequest.newBuilder().setRequestId(Requests.newId()).setOrderId(orderId).setReason(reason).build();
  }

  CancelOrderResponse ask(String buyer, String orderId) {
    return cancellations(buyer, BUYER).cancelOrder(cancelRequest(orderId, CancellationReason.Code.WRONG_ITEM_OR_SIZE));
  }

  static ApproveCancellationRequestRequest approveRequest(String cancellationRequestId) {
    return ApproveCancellationRequestRequest.newBuilder()
        .setRequestId(Requests.newId())
        .setCancellationRequestId(cancellationRequestId)
        .build();
  }

  CancellationRequest approve(String seller, String cancellationRequestId) {
    return cancellations(seller, SELLER).approveCancellationRequest(approveRequest(cancellationRequestId));
  }

  static RejectCancellationRequestRequest.Builder rejectRequest(
      String cancellationRequestId, CancellationRequest.RejectionReason reason) {
    return RejectCancellationRequestRequest.newBuilder()
        .setRequestId(Requests.newId())
        .setCancellationRequestId(cancellationRequestId)
        .setRejectionReason(reason);
  }

  CancellationRequest reject(String seller, RejectCancellationRequestRequest.Builder request) {
    return cancellations(seller, SELLER).rejectCancellationRequest(request.build());
  }

  CancellationRequest withdraw(String buyer, String cancellationRequestId) {
    return cancellations(buyer, BUYER)
        .withdrawCancellationRequest(
            WithdrawCancellationRequestRequest.newBuilder()
                .setRequestId(Requests.newId())
                .setCancellationRequestId(cancellationRequestId)
                .build());
  }

  // ---- reads ----

  Order order(String subject, Role role, String orderId) {
    return orders(subject, role).getOrder(GetOrderRequest.newBuilder().setOrderId(orderId).build());
  }

  CancellationRequest request(String subject, Role role, String cancellationRequestId) {
    return cancellations(subject, role)
        .getCancellationRequest(GetCancellationRequestRequest.newBuilder().setCancellationRequestId(cancellationRequestId).build());
  }

  CancellationEligibility eligibility(String subject, Role role, String orderId) {
    return cancellations(subject, role)
        .checkCancellationEligibility(CheckCancellationEligibilityRequest.newBuilder().setOrderId(orderId).build());
  }

  /** The order's whole history, oldest first, through every page. */
  List<OrderEvent> history(String subject, Role role, String orderId) {
    List<OrderEvent> events = new ArrayList<>();
    String token = "";
    do {
      ListOrderEventsResponse page =
          orders(subject, role)
              .listOrderEvents(ListOrderEventsRequest.newBuilder().setOrderId(orderId).setPageSize(100).setPageToken(token).build());
      events.addAll(page.getEventsList());
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return events;
  }
}
