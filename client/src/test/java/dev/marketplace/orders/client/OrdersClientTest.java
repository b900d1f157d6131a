package dev.marketplace.orders.client;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.testing.TestDatabase;
import dev.marketplace.orders.server.OrdersApplication;
import dev.marketplace.orders.server.auth.TokenIssuer;
import dev.marketplace.orders.server.config.ServerConfig;
import dev.marketplace.orders.v1.ApproveCancellationRequestRequest;
import dev.marketplace.orders.v1.CancelOrderRequest;
import dev.marketplace.orders.v1.CancelOrderResponse;
import dev.marketplace.orders.v1.CancellationEligibility;
import dev.marketplace.orders.v1.CancellationReason;
import dev.marketplace.orders.v1.CancellationRequest;
import dev.marketplace.orders.v1.Refund;
import dev.marketplace.orders.v1.ConfirmDeliveryRequest;
import dev.marketplace.orders.v1.CreateOrderRequest;
import dev.marketplace.orders.v1.LineItem;
import dev.marketplace.orders.v1.ListOrderEventsRequest;
import dev.marketplace.orders.v1.ListOrdersRequest;
import dev.marketplace.orders.v1.Money;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.OrderEvent;
import dev.marketplace.orders.v1.RecordPaymentRequest;
import dev.marketplace.orders.v1.ShipOrderRequest;
import dev.marketplace.orders.v1.ShippingAddress;
import io.grpc.Status;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client against the real server (real MariaDB, real auth, real error mapping) on a local port. */
class OrdersClientTest {

  private static final String SECRET = "test-secret-test-secret-test-secret-0123";
  private static final long UNIT_PRICE_MINOR = 1250;

  private static OrdersApplication app;
  private static TokenIssuer tokens;
  private static OrdersClient checkout;
  private static OrdersClient payments;
  private static OrdersClient logistics;

  @BeforeAll
  static void startServer() throws IOException {
    ServerConfig config =
        ServerConfig.from(
            Map.of(
                "ORDERS_PORT", "0",
                "ORDERS_BIND_ADDRESS", "127.0.0.1",
                "ORDERS_DB_URL", TestDatabase.createDatabase(),
                "ORDERS_DB_USER", TestDatabase.user(),
                "ORDERS_DB_PASSWORD", TestDatabase.password(),
                "ORDERS_AUTH_HS256_SECRET", SECRET));
    app = OrdersApplication.start(config, Clock.systemUTC());
    tokens = new TokenIssuer(SECRET, Clock.systemUTC());
    checkout = client(service("checkout", "orders.create"));
    payments = client(service("payments", "payments.record"));
    logistics = client(service("logistics", "logistics.ship"));
  }

  @AfterAll
  static void stopServer() {
    for (OrdersClient client : new OrdersClient[] {checkout, payments, logistics}) {
      if (client != null) {
        client.close();
      }
    }
    if (app != null) {
      app.close();
    }
  }

  @Test
  void createOrder_withoutRequestId_fillsOneAndTheBuyerCanReadTheOrder() {
    String buyer = newBuyer();

    Order created = placeOrder(buyer);

    assertThat(created.getState()).isEqualTo(Order.State.AWAITING_PAYMENT);
    assertThat(created.getTotal().getAmountMinor()).isEqualTo(2 * UNIT_PRICE_MINOR);
    try (OrdersClient asBuyer = client(buyerToken(buyer))) {
      assertThat(asBuyer.getOrder(created.getOrderId())).isEqualTo(created);
      assertThat(asBuyer.listOrders(ListOrdersRequest.getDefaultInstance()).getOrdersList())
          .extracting(Order::getOrderId)
          .containsExactly(created.getOrderId());
    }
  }

  @Test
  void createOrder_twiceWithTheSameRequestId_returnsTheSameOrder() {
    CreateOrderRequest request =
        CreateOrderRequest.newBuilder()
            .setRequestId(UUID.randomUUID().toString())
            .setOrder(draft(newBuyer(), 1))
            .build();

    Order first = checkout.createOrder(request);
    Order second = checkout.createOrder(request);

    assertThat(second.getOrderId()).isEqualTo(first.getOrderId());
  }

  @Test
  void createOrder_withoutRequestId_twice_createsTwoOrders() {
    CreateOrderRequest request = CreateOrderRequest.newBuilder().setOrder(draft(newBuyer(), 1)).build();

    Order first = checkout.createOrder(request);
    Order second = checkout.createOrder(request);

    assertThat(second.getOrderId()).isNotEqualTo(first.getOrderId());
  }

  @Test
  void createOrder_reusingARequestIdForAnotherOrder_throwsInvalidRequest() {
    CreateOrderRequest first =
        CreateOrderRequest.newBuilder()
            .setRequestId(UUID.randomUUID().toString())
            .setOrder(draft(newBuyer(), 1))
            .build();
    checkout.createOrder(first);
    CreateOrderRequest another = first.toBuilder().setOrder(draft(newBuyer(), 3)).build();

    InvalidRequestException e = thrown(InvalidRequestException.class, () -> checkout.createOrder(another));

    assertThat(e.reason()).isEqualTo("REQUEST_ID_REUSED");
    assertThat(e.fieldViolations()).extracting(OrdersException.FieldViolation::field).containsExactly("request_id");
  }

  @Test
  void paidShippedAndDeliveredOrder_walksTheWholeLifecycle() {
    String buyer = newBuyer();
    Order order = placeOrder(buyer);

    Order paid =
        payments.recordPayment(
            RecordPaymentRequest.newBuilder()
                .setOrderId(order.getOrderId())
                .setOutcome(RecordPaymentRequest.Outcome.CAPTURED)
                .setPaymentReference("psp-" + order.getOrderId())
                .setAmount(order.getTotal())
                .build());
    Order shipped =
        logistics.shipOrder(
            ShipOrderRequest.newBuilder()
                .setOrderId(order.getOrderId())
                .setCarrier("Cainiao")
                .setTrackingNumber("LP0001")
                .setEtag(paid.getEtag())
                .build());
    try (OrdersClient asBuyer = client(buyerToken(buyer))) {
      Order delivered =
          asBuyer.confirmDelivery(ConfirmDeliveryRequest.newBuilder().setOrderId(order.getOrderId()).build());

      assertThat(paid.getState()).isEqualTo(Order.State.AWAITING_SHIPMENT);
      assertThat(shipped.getShipment().getTrackingNumber()).isEqualTo("LP0001");
      assertThat(delivered.getState()).isEqualTo(Order.State.DELIVERED);
      assertThat(
              asBuyer
                  .listOrderEvents(ListOrderEventsRequest.newBuilder().setOrderId(order.getOrderId()).build())
                  .getEventsList())
          .extracting(OrderEvent::getType)
          .containsExactly(
              OrderEvent.Type.ORDER_CREATED,
              OrderEvent.Type.PAYMENT_CAPTURED,
              OrderEvent.Type.ORDER_SHIPPED,
              OrderEvent.Type.ORDER_DELIVERED);
    }
  }

  @Test
  void shipOrder_withAStaleEtag_throwsConflict() {
    Order order = placeOrder(newBuyer());
    payments.recordPayment(
        RecordPaymentRequest.newBuilder()
            .setOrderId(order.getOrderId())
            .setOutcome(RecordPaymentRequest.Outcome.CAPTURED)
            .setPaymentReference("psp-1")
            .setAmount(order.getTotal())
            .build());

    ConflictException e =
        thrown(
            ConflictException.class,
            () ->
                logistics.shipOrder(
                    ShipOrderRequest.newBuilder()
                        .setOrderId(order.getOrderId())
                        .setCarrier("UPS")
                        .setTrackingNumber("1Z1")
                        .setEtag(order.getEtag())
                        .build()));

    assertThat(e.code()).isEqualTo(Status.Code.ABORTED);
    assertThat(e.reason()).isEqualTo("ETAG_MISMATCH");
    assertThat(e.isRetryable()).isFalse();
  }

  @Test
  void getOrder_ofAnotherBuyer_throwsNotFound() {
    Order order = placeOrder(newBuyer());

    try (OrdersClient someoneElse = client(buyerToken(newBuyer()))) {
      NotFoundException e =
          thrown(NotFoundException.class, () -> someoneElse.getOrder(order.getOrderId()));

      assertThat(e.code()).isEqualTo(Status.Code.NOT_FOUND);
      assertThat(e.reason()).isEqualTo("ORDER_NOT_FOUND");
      assertThat(e.errorDomain()).isEqualTo("orders.marketplace.dev");
      assertThat(e.metadata()).containsEntry("orderId", order.getOrderId());
      assertThat(e).hasMessageContaining(order.getOrderId()).hasMessageContaining("ORDER_NOT_FOUND");
      assertThat(e.isRetryable()).isFalse();
    }
  }

  @Test
  void createOrder_withZeroQuantity_throwsInvalidRequestNamingTheField() {
    CreateOrderRequest request =
        CreateOrderRequest.newBuilder().setOrder(draft(newBuyer(), 0).toBuilder().clearSellerId()).build();

    InvalidRequestException e = thrown(InvalidRequestException.class, () -> checkout.createOrder(request));

    assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.reason()).isEqualTo("INVALID_REQUEST");
    assertThat(e.fieldViolations())
        .extracting(OrdersException.FieldViolation::field)
        .containsExactlyInAnyOrder("order.seller_id", "order.line_items[0].quantity");
    assertThat(e.fieldViolations()).allSatisfy(v -> assertThat(v.description()).isNotBlank());
  }

  @Test
  void shipOrder_ofAnUnpaidOrder_throwsFailedPreconditionWithTheOrderState() {
    Order order = placeOrder(newBuyer());

    FailedPreconditionException e =
        thrown(
            FailedPreconditionException.class,
            () ->
                logistics.shipOrder(
                    ShipOrderRequest.newBuilder()
                        .setOrderId(order.getOrderId())
                        .setCarrier("UPS")
                        .setTrackingNumber("1Z999")
                        .build()));

    assertThat(e.reason()).isEqualTo("INVALID_STATE_TRANSITION");
    assertThat(e.metadata()).containsEntry("orderState", "AWAITING_PAYMENT");
    assertThat(e.preconditionViolations()).hasSize(1);
    assertThat(e.isRetryable()).isFalse();
  }

  @Test
  void garbageToken_throwsUnauthenticated() {
    try (OrdersClient client = client(() -> "not-a-jwt")) {
      UnauthenticatedException e =
          thrown(UnauthenticatedException.class, client::listCancellationReasons);

      assertThat(e.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(e.reason()).startsWith("TOKEN_");
    }
  }

  @Test
  void tokenSupplier_isAskedForEveryCall_soARefreshedTokenIsUsed() {
    AtomicReference<String> current = new AtomicReference<>("expired-or-garbage");
    try (OrdersClient client = client(current::get)) {
      thrown(UnauthenticatedException.class, client::listCancellationReasons);

      current.set(buyerToken(newBuyer()).get());

      assertThat(client.listCancellationReasons().getReasonsList()).isNotEmpty();
    }
  }

  @Test
  void buyerCreatingAnOrder_throwsPermissionDenied() {
    String buyer = newBuyer();
    try (OrdersClient asBuyer = client(buyerToken(buyer))) {
      PermissionDeniedException e =
          thrown(
              PermissionDeniedException.class,
              () -> asBuyer.createOrder(CreateOrderRequest.newBuilder().setOrder(draft(buyer, 1)).build()));

      assertThat(e.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(e.reason()).isEqualTo("ROLE_NOT_ALLOWED");
    }
  }

  @Test
  void listCancellationReasons_returnsTheDropdownInDisplayOrder() {
    List<CancellationReason> reasons = checkout.listCancellationReasons().getReasonsList();

    assertThat(reasons)
        .extracting(CancellationReason::getCode)
        .hasSize(6)
        .startsWith(CancellationReason.Code.ORDERED_BY_ACCIDENT);
    assertThat(reasons).allSatisfy(r -> assertThat(r.getDisplayLabel()).isNotBlank());
    assertThat(reasons)
        .filteredOn(CancellationReason::getExplanationRequired)
        .extracting(CancellationReason::getCode)
        .containsExactly(CancellationReason.Code.OTHER);
  }

  @Test
  void tinyDefaultDeadline_failsTheCallWithDeadlineExceeded() {
    try (OrdersClient hurried =
        OrdersClient.builder()
            .target("127.0.0.1:" + app.port())
            .plaintext()
            .tokenSupplier(service("checkout", "orders.create"))
            .defaultDeadline(Duration.ofNanos(1))
            .build()) {
      OrdersException e =
          thrown(
              OrdersException.class,
              () -> hurried.createOrder(CreateOrderRequest.newBuilder().setOrder(draft(newBuyer(), 1)).build()));

      assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
      assertThat(e).isInstanceOf(UnavailableException.class);
      assertThat(e.isRetryable()).isTrue();
    }
  }

  @Test
  void cancellingAPaidOrder_asksTheSeller_andTheSellersApprovalRefunds() {
    String buyer = newBuyer();
    Order order = pay(placeOrder(buyer));
    try (OrdersClient asBuyer = client(buyerToken(buyer));
        OrdersClient asSeller = client(sellerToken("shop-1"))) {
      CancelOrderResponse requested =
          asBuyer.cancelOrder(
              CancelOrderRequest.newBuilder().setOrderId(order.getOrderId()).setReason(CancellationReason.Code.WRONG_ITEM_OR_SIZE).build());
      assertThat(requested.getOutcome()).isEqualTo(CancelOrderResponse.Outcome.REQUESTED);
      String requestId = requested.getCancellationRequest().getCancellationRequestId();

      CancellationNotAllowedException again =
          thrown(
              CancellationNotAllowedException.class,
              () ->
                  asBuyer.cancelOrder(
                      CancelOrderRequest.newBuilder().setOrderId(order.getOrderId()).setReason(CancellationReason.Code.ORDERED_BY_ACCIDENT).build()));
      assertThat(again.reason()).isEqualTo("CANCELLATION_REQUEST_PENDING");
      assertThat(again.pendingRequestId()).contains(requestId);
      assertThat(again.pendingRequestRespondBy()).isPresent();

      CancellationRequest approved =
          asSeller.approveCancellationRequest(ApproveCancellationRequestRequest.newBuilder().setCancellationRequestId(requestId).build());
      assertThat(approved.getState()).isEqualTo(CancellationRequest.State.APPROVED);
      assertThat(approved.getRefund().getState()).isEqualTo(Refund.State.INITIATED);
      assertThat(approved.getRefund().getAmount().getAmountMinor()).isEqualTo(2 * UNIT_PRICE_MINOR);
      assertThat(asBuyer.getOrder(order.getOrderId()).getState()).isEqualTo(Order.State.CANCELLED);
    }
  }

  @Test
  void cancellingAShippedOrder_throwsCancellationNotAllowed_withTheAlternatives() {
    String buyer = newBuyer();
    Order order = pay(placeOrder(buyer));
    logistics.shipOrder(ShipOrderRequest.newBuilder().setOrderId(order.getOrderId()).setCarrier("DHL").setTrackingNumber("JD01").build());
    try (OrdersClient asBuyer = client(buyerToken(buyer))) {
      CancellationNotAllowedException refused =
          thrown(
              CancellationNotAllowedException.class,
              () ->
                  asBuyer.cancelOrder(
                      CancelOrderRequest.newBuilder().setOrderId(order.getOrderId()).setReason(CancellationReason.Code.ORDERED_BY_ACCIDENT).build()));

      assertThat(refused.reason()).isEqualTo("ORDER_ALREADY_SHIPPED");
      assertThat(refused.orderState()).isEqualTo("SHIPPED");
      assertThat(refused.alternatives())
          .containsExactly(
              CancellationEligibility.Alternative.TRACK_SHIPMENT,
              CancellationEligibility.Alternative.CONTACT_SELLER,
              CancellationEligibility.Alternative.OPEN_DISPUTE,
              CancellationEligibility.Alternative.RETURN_AFTER_DELIVERY);
      assertThat(refused.retryDelay()).isEmpty();
      assertThat(refused.isRetryable()).isFalse();
    }
  }

  @Test
  void cancellingWhilePaymentIsVerified_throwsCancellationNotAllowed_withARetryDelay() {
    String buyer = newBuyer();
    Order order = placeOrder(buyer);
    payments.recordPayment(
        RecordPaymentRequest.newBuilder().setOrderId(order.getOrderId()).setOutcome(RecordPaymentRequest.Outcome.PROCESSING).build());
    try (OrdersClient asBuyer = client(buyerToken(buyer))) {
      CancellationNotAllowedException refused =
          thrown(
              CancellationNotAllowedException.class,
              () ->
                  asBuyer.cancelOrder(
                      CancelOrderRequest.newBuilder().setOrderId(order.getOrderId()).setReason(CancellationReason.Code.ORDERED_BY_ACCIDENT).build()));

      assertThat(refused.reason()).isEqualTo("PAYMENT_VERIFICATION_IN_PROGRESS");
      assertThat(refused.orderState()).isEqualTo("PAYMENT_PROCESSING");
      assertThat(refused.retryDelay()).contains(Duration.ofMinutes(15));
      assertThat(asBuyer.checkCancellationEligibility(order.getOrderId()).getOutcome())
          .isEqualTo(CancellationEligibility.Outcome.RETRY_LATER);
    }
  }

  private static Order pay(Order order) {
    return payments.recordPayment(
        RecordPaymentRequest.newBuilder()
            .setOrderId(order.getOrderId())
            .setOutcome(RecordPaymentRequest.Outcome.CAPTURED)
            .setPaymentReference("PAY-" + order.getOrderId().substring(0, 8))
            .setAmount(order.getTotal())
            .build());
  }

  private static Supplier<String> sellerToken(String sellerId) {
    String token = tokens.issue(sellerId, Role.SELLER, List.of(), Duration.ofHours(1));
    return () -> token;
  }

  /** An order of two mugs by {@code buyerId}, created by checkout without a request_id. */
  private static Order placeOrder(String buyerId) {
    return checkout.createOrder(CreateOrderRequest.newBuilder().setOrder(draft(buyerId, 2)).build());
  }

  private static OrdersClient client(Supplier<String> token) {
    return OrdersClient.builder().target("127.0.0.1:" + app.port()).plaintext().tokenSupplier(token).build();
  }

  private static Supplier<String> service(String name, String scope) {
    String token = tokens.issue(name, Role.SERVICE, List.of(scope), Duration.ofHours(1));
    return () -> token;
  }

  private static Supplier<String> buyerToken(String buyerId) {
    String token = tokens.issue(buyerId, Role.BUYER, List.of(), Duration.ofHours(1));
    return () -> token;
  }

  private static String newBuyer() {
    return "buyer-" + UUID.randomUUID();
  }

  private static Order draft(String buyerId, int quantity) {
    return Order.newBuilder()
        .setBuyerId(buyerId)
        .setSellerId("shop-1")
        .addLineItems(
            LineItem.newBuilder()
                .setSku("SKU-MUG")
                .setTitle("Mug")
                .setQuantity(quantity)
                .setUnitPrice(Money.newBuilder().setCurrencyCode("USD").setAmountMinor(UNIT_PRICE_MINOR)))
        .setShippingAddress(
            ShippingAddress.newBuilder()
                .setRecipientName("Erika Mustermann")
                .addAddressLines("Hauptstr. 1")
                .setLocality("Berlin")
                .setRegionCode("DE"))
        .setPaymentMethod(Order.PaymentMethod.CARD)
        .build();
  }
}
