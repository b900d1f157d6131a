package dev.marketplace.orders.server.api;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.domain.access.Role.SERVICE;
import static dev.marketplace.orders.domain.access.Role.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.rpc.PreconditionFailure;
import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.CreateOrderRequest;
import dev.marketplace.orders.v1.GetOrderRequest;
import dev.marketplace.orders.v1.LineItem;
import dev.marketplace.orders.v1.ListOrderEventsRequest;
import dev.marketplace.orders.v1.ListOrderEventsResponse;
import dev.marketplace.orders.v1.ListOrdersRequest;
import dev.marketplace.orders.v1.ListOrdersResponse;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.OrderEvent;
import dev.marketplace.orders.v1.OrderServiceGrpc.OrderServiceBlockingStub;
import dev.marketplace.orders.v1.RecordPaymentRequest.Outcome;
import dev.marketplace.orders.v1.RecordPaymentRequest;
import dev.marketplace.orders.v1.ShipOrderRequest;
import io.grpc.Status.Code;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every OrderService RPC through a real channel, with real tokens, on MariaDB. */
class OrderServiceTest {

  private static GrpcTestServer server;
  private static OrderServiceBlockingStub checkout;
  private static OrderServiceBlockingStub payments;
  private static OrderServiceBlockingStub logistics;

  @BeforeAll
  static void start() throws Exception {
    server = new GrpcTestServer();
    checkout = server.ordersAs("checkout", SERVICE, "orders.create");
    payments = server.ordersAs("payments", SERVICE, "payments.record");
    logistics = server.ordersAs("logistics", SERVICE, "logistics.ship");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static Order placed(String buyer, String seller) {
    return checkout.createOrder(Requests.create(buyer, seller));
  }

  private static Order paid(String buyer, String seller) {
    Order order = placed(buyer, seller);
    return payments.recordPayment(Requests.payment(order.getOrderId(), Outcome.CAPTURED));
  }

  @Test
  void checkoutCreatesAnOrderAwaitingPayment_withTotalAndEtag() {
    Order order = placed(unique("buyer"), "seller-1");

    assertThat(order.getState()).isEqualTo(Order.State.AWAITING_PAYMENT);
    assertThat(UUID.fromString(order.getOrderId()).version()).isEqualTo(7);
    assertThat(order.getTotal()).isEqualTo(Requests.usd(Requests.TOTAL));
    assertThat(order.getLineItemsList()).extracting(LineItem::getSku).containsExactly("SKU-CASE", "SKU-CABLE");
    assertThat(order.getLineItems(0).getVariantAttributesMap()).containsEntry("colour", "red");
    assertThat(order.getEtag()).isEqualTo("v1");
    assertThat(order.hasCreateTime()).isTrue();
  }

  @Test
  void buyerSellerAndSupportReadTheOrder_othersGetNotFound() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = placed(buyer, seller);
    GetOrderRequest get = GetOrderRequest.newBuilder().setOrderId(order.getOrderId()).build();

    assertThat(server.ordersAs(buyer, BUYER).getOrder(get)).isEqualTo(order);
    assertThat(server.ordersAs(seller, SELLER).getOrder(get)).isEqualTo(order);
    assertThat(server.ordersAs("agent-7", SUPPORT).getOrder(get)).isEqualTo(order);
    assertThat(server.ordersAs("reporting", SERVICE, "orders.read").getOrder(get)).isEqualTo(order);

    for (OrderServiceBlockingStub stranger :
        List.of(server.ordersAs("someone-else", BUYER), server.ordersAs("other-shop", SELLER))) {
      Errors error = Errors.of(catchThrowable(() -> stranger.getOrder(get)));
      assertThat(error.code()).isEqualTo(Code.NOT_FOUND);
      assertThat(error.reason()).isEqualTo("ORDER_NOT_FOUND");
    }
    Errors unknown =
        Errors.of(
            catchThrowable(
                () -> server.ordersAs(buyer, BUYER).getOrder(GetOrderRequest.newBuilder().setOrderId(UUID.randomUUID().toString()).build())));
    assertThat(unknown.code()).isEqualTo(Code.NOT_FOUND);
  }

  @Test
  void fullLifecycle_paymentShipmentDelivery_isRecordedInHistory() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = placed(buyer, seller);
    String id = order.getOrderId();

    Order processing = payments.recordPayment(Requests.payment(id, Outcome.PROCESSING));
    assertThat(processing.getState()).isEqualTo(Order.State.PAYMENT_PROCESSING);
    Order failed = payments.recordPayment(Requests.payment(id, Outcome.FAILED));
    assertThat(failed.getState()).isEqualTo(Order.State.AWAITING_PAYMENT);
    Order captured = payments.recordPayment(Requests.payment(id, Outcome.CAPTURED));
    assertThat(captured.getState()).isEqualTo(Order.State.AWAITING_SHIPMENT);
    assertThat(captured.getPayment().getPaymentReference()).startsWith("PAY-");
    Order shipped = server.ordersAs(seller, SELLER).shipOrder(Requests.ship(id));
    assertThat(shipped.getState()).isEqualTo(Order.State.SHIPPED);
    assertThat(shipped.getShipment().getTrackingNumber()).isEqualTo("LP0012345678");
    Order delivered = server.ordersAs(buyer, BUYER).confirmDelivery(Requests.deliver(id));
    assertThat(delivered.getState()).isEqualTo(Order.State.DELIVERED);
    assertThat(delivered.getShipment().hasDeliveryTime()).isTrue();
    assertThat(delivered.getEtag()).isEqualTo("v6");

    ListOrderEventsResponse history =
        server.ordersAs(buyer, BUYER).listOrderEvents(ListOrderEventsRequest.newBuilder().setOrderId(id).build());
    assertThat(history.getEventsList())
        .extracting(OrderEvent::getType)
        .containsExactly(
            OrderEvent.Type.ORDER_CREATED,
            OrderEvent.Type.PAYMENT_PROCESSING,
            OrderEvent.Type.PAYMENT_FAILED,
            OrderEvent.Type.PAYMENT_CAPTURED,
            OrderEvent.Type.ORDER_SHIPPED,
            OrderEvent.Type.ORDER_DELIVERED);
    assertThat(history.getEventsList()).extracting(OrderEvent::getSequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(history.getEvents(4).getActor().getSubject()).isEqualTo(seller);
    assertThat(history.getEvents(4).getDetailsMap()).containsEntry("trackingNumber", "LP0012345678");
    assertThat(history.getNextPageToken()).isEmpty();
  }

  @Test
  void logisticsServiceMayShipAndConfirmDelivery() {
    Order order = paid(unique("buyer"), "seller-1");
    assertThat(logistics.shipOrder(Requests.ship(order.getOrderId())).getState()).isEqualTo(Order.State.SHIPPED);
    assertThat(logistics.confirmDelivery(Requests.deliver(order.getOrderId())).getState()).isEqualTo(Order.State.DELIVERED);
  }

  @Test
  void shippingAnUnpaidOrder_isFailedPreconditionWithStateInErrorInfo() {
    String seller = unique("seller");
    Order order = placed(unique("buyer"), seller);

    Errors error = Errors.of(catchThrowable(() -> server.ordersAs(seller, SELLER).shipOrder(Requests.ship(order.getOrderId()))));

    assertThat(error.code()).isEqualTo(Code.FAILED_PRECONDITION);
    assertThat(error.reason()).isEqualTo("INVALID_STATE_TRANSITION");
    assertThat(error.errorInfo().getDomain()).isEqualTo("orders.marketplace.dev");
    assertThat(error.errorInfo().getMetadataMap())
        .containsEntry("orderState", "AWAITING_PAYMENT")
        .containsEntry("targetState", "SHIPPED");
    PreconditionFailure failure = error.detail(PreconditionFailure.class).orElseThrow();
    assertThat(failure.getViolations(0).getSubject()).isEqualTo("orders/" + order.getOrderId());
  }

  @Test
  void everyRefusedTransition_leavesTheOrderUnchanged() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = placed(buyer, seller);
    String id = order.getOrderId();

    assertRefused(() -> payments.recordPayment(Requests.payment(id, Outcome.FAILED)), "AWAITING_PAYMENT");
    assertRefused(() -> server.ordersAs(buyer, BUYER).confirmDelivery(Requests.deliver(id)), "AWAITING_PAYMENT");
    payments.recordPayment(Requests.payment(id, Outcome.PROCESSING));
    assertRefused(() -> payments.recordPayment(Requests.payment(id, Outcome.PROCESSING)), "PAYMENT_PROCESSING");
    assertRefused(() -> logistics.shipOrder(Requests.ship(id)), "PAYMENT_PROCESSING");
    payments.recordPayment(Requests.payment(id, Outcome.CAPTURED));
    assertRefused(() -> payments.recordPayment(Requests.payment(id, Outcome.CAPTURED)), "AWAITING_SHIPMENT");
    assertRefused(() -> logistics.confirmDelivery(Requests.deliver(id)), "AWAITING_SHIPMENT");
    logistics.shipOrder(Requests.ship(id));
    assertRefused(() -> logistics.shipOrder(Requests.ship(id)), "SHIPPED");
    assertRefused(() -> payments.recordPayment(Requests.payment(id, Outcome.PROCESSING)), "SHIPPED");
    logistics.confirmDelivery(Requests.deliver(id));
    assertRefused(() -> logistics.confirmDelivery(Requests.deliver(id)), "DELIVERED");
    assertRefused(() -> logistics.shipOrder(Requests.ship(id)), "DELIVERED");

    Order after = server.ordersAs(buyer, BUYER).getOrder(GetOrderRequest.newBuilder().setOrderId(id).build());
    assertThat(after.getState()).isEqualTo(Order.State.DELIVERED);
    assertThat(after.getEtag()).isEqualTo("v5");
  }

  private static void assertRefused(Runnable call, String state) {
    Errors error = Errors.of(catchThrowable(call::run));
    assertThat(error.code()).isEqualTo(Code.FAILED_PRECONDITION);
    assertThat(error.errorInfo().getMetadataMap()).containsEntry("orderState", state);
  }

  @Test
  void capturingAnAmountOtherThanTheTotal_isInvalidArgument() {
    Order order = placed(unique("buyer"), "seller-1");
    Errors error =
        Errors.of(
            catchThrowable(
                () ->
                    payments.recordPayment(
                        Requests.payment(order.getOrderId(), Outcome.CAPTURED).toBuilder().setAmount(Requests.usd(1)).build())));
    assertThat(error.code()).isEqualTo(Code.INVALID_ARGUMENT);
    assertThat(error.violatedFields()).containsExactly("amount");
  }

  @Test
  void captureWithoutReferenceAndAmount_namesBoth_andAMalformedAmountIsNotAlsoAMissingOne() {
    Order order = placed(unique("buyer"), "seller-1");
    RecordPaymentRequest capture = Requests.payment(order.getOrderId(), Outcome.CAPTURED);

    Errors missing =
        Errors.of(catchThrowable(() -> payments.recordPayment(capture.toBuilder().clearPaymentReference().clearAmount().build())));
    Errors malformed =
        Errors.of(
            catchThrowable(
                () -> payments.recordPayment(capture.toBuilder().setAmount(Requests.usd(1).toBuilder().setCurrencyCode("usd")).build())));

    assertThat(missing.violatedFields()).containsExactly("payment_reference", "amount");
    assertThat(malformed.violatedFields()).containsExactly("amount.currency_code");
  }

  @Test
  void shipWithStaleEtag_isAborted_andWithCurrentEtagSucceeds() {
    String seller = unique("seller");
    Order order = paid(unique("buyer"), seller);
    OrderServiceBlockingStub sellerStub = server.ordersAs(seller, SELLER);

    Errors stale =
        Errors.of(catchThrowable(() -> sellerStub.shipOrder(Requests.ship(order.getOrderId()).toBuilder().setEtag("v1").build())));
    assertThat(stale.code()).isEqualTo(Code.ABORTED);
    assertThat(stale.reason()).isEqualTo("ETAG_MISMATCH");

    Order shipped = sellerStub.shipOrder(Requests.ship(order.getOrderId()).toBuilder().setEtag(order.getEtag()).build());
    assertThat(shipped.getState()).isEqualTo(Order.State.SHIPPED);
  }

  @Test
  void badCreateRequest_listsEveryInvalidField() {
    Order.Builder order = Requests.order("", "seller-1");
    order.setLineItems(0, order.getLineItems(0).toBuilder().setQuantity(0).setSku("x".repeat(65)));
    order.setLineItems(1, order.getLineItems(1).toBuilder().setUnitPrice(order.getLineItems(1).getUnitPrice().toBuilder().setCurrencyCode("EUR")));
    order.getShippingAddressBuilder().setRegionCode("XX").setRecipientName("line\nbreak");
    order.setPaymentMethodValue(99);
    CreateOrderRequest request = CreateOrderRequest.newBuilder().setRequestId("not-a-uuid").setOrder(order).build();

    Errors error = Errors.of(catchThrowable(() -> checkout.createOrder(request)));

    assertThat(error.code()).isEqualTo(Code.INVALID_ARGUMENT);
    assertThat(error.reason()).isEqualTo("INVALID_REQUEST");
    assertThat(error.violatedFields())
        .containsExactlyInAnyOrder(
            "request_id",
            "order.buyer_id",
            "order.line_items[0].sku",
            "order.line_items[0].quantity",
            "order.line_items[1].unit_price.currency_code",
            "order.shipping_address.recipient_name",
            "order.shipping_address.region_code",
            "order.payment_method");
    assertThat(error.status().getMessage()).doesNotContain("Exception").doesNotContain("SQL");
  }

  @Test
  void missingOrderAndIds_areFieldViolations() {
    Errors create = Errors.of(catchThrowable(() -> checkout.createOrder(CreateOrderRequest.newBuilder().build())));
    assertThat(create.violatedFields()).containsExactlyInAnyOrder("request_id", "order");

    Errors get = Errors.of(catchThrowable(() -> server.ordersAs("b", BUYER).getOrder(GetOrderRequest.newBuilder().setOrderId("1; DROP TABLE orders").build())));
    assertThat(get.code()).isEqualTo(Code.INVALID_ARGUMENT);
    assertThat(get.violatedFields()).containsExactly("order_id");

    Errors ship =
        Errors.of(catchThrowable(() -> logistics.shipOrder(ShipOrderRequest.newBuilder().setRequestId(Requests.newId()).build())));
    assertThat(ship.violatedFields()).containsExactlyInAnyOrder("order_id", "carrier", "tracking_number");

    Errors list =
        Errors.of(catchThrowable(() -> server.ordersAs("b", BUYER).listOrders(ListOrdersRequest.newBuilder().setPageSize(-1).addStatesValue(42).build())));
    assertThat(list.violatedFields()).containsExactlyInAnyOrder("page_size", "states[0]");
  }

  @Test
  void retryWithSameRequestId_returnsFirstResponse_andCreatesNothing() {
    String buyer = unique("buyer");
    CreateOrderRequest request = Requests.create(buyer, "seller-1");

    Order first = checkout.createOrder(request);
    server.clock.advance(Duration.ofMinutes(1));
    Order again = checkout.createOrder(request);

    assertThat(again).isEqualTo(first);
    assertThat(ordersOf(buyer)).hasSize(1);
  }

  @Test
  void sameRequestIdForADifferentRequest_isRefused() {
    CreateOrderRequest request = Requests.create(unique("buyer"), "seller-1");
    checkout.createOrder(request);

    CreateOrderRequest other = request.toBuilder().setOrder(request.getOrder().toBuilder().setSellerId("seller-2")).build();
    Errors error = Errors.of(catchThrowable(() -> checkout.createOrder(other)));

    assertThat(error.code()).isEqualTo(Code.INVALID_ARGUMENT);
    assertThat(error.reason()).isEqualTo("REQUEST_ID_REUSED");
    assertThat(error.violatedFields()).containsExactly("request_id");
  }

  @Test
  void concurrentRetriesOfOneRequestId_createExactlyOneOrder() throws Exception {
    String buyer = unique("buyer");
    CreateOrderRequest request = Requests.create(buyer, "seller-1");
    int callers = 24;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Order>> results = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      Callable<Order> call =
          () -> {
            start.await();
            return checkout.createOrder(request);
          };
      results.add(pool.submit(call));
    }
    start.countDown();
    Set<Order> responses = new HashSet<>();
    for (Future<Order> result : results) {
      responses.add(result.get());
    }
    pool.shutdown();

    assertThat(responses).hasSize(1);
    assertThat(ordersOf(buyer)).hasSize(1);
    assertThat(countRows("SELECT COUNT(*) FROM orders WHERE buyer_id = '" + buyer + "'")).isEqualTo(1);
  }

  @Test
  void listOrders_newestFirst_pagedWithStableTokens_andFilteredByState() {
    String buyer = unique("buyer");
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      server.clock.advance(Duration.ofSeconds(1));
      created.add(placed(buyer, i % 2 == 0 ? "shop-a" : "shop-b").getOrderId());
    }
    placed(unique("other-buyer"), "shop-a");
    payments.recordPayment(Requests.payment(created.get(0), Outcome.CAPTURED));

    OrderServiceBlockingStub buyerStub = server.ordersAs(buyer, BUYER);
    List<String> seen = new ArrayList<>();
    String token = "";
    int pages = 0;
    do {
      ListOrdersResponse page = buyerStub.listOrders(ListOrdersRequest.newBuilder().setPageSize(3).setPageToken(token).build());
      page.getOrdersList().forEach(o -> seen.add(o.getOrderId()));
      token = page.getNextPageToken();
      pages++;
    } while (!token.isEmpty());

    assertThat(pages).isEqualTo(3);
    List<String> newestFirst = new ArrayList<>(created);
    java.util.Collections.reverse(newestFirst);
    assertThat(seen).containsExactlyElementsOf(newestFirst);
    ListOrdersResponse awaitingShipment =
        buyerStub.listOrders(ListOrdersRequest.newBuilder().addStates(Order.State.AWAITING_SHIPMENT).build());
    assertThat(awaitingShipment.getOrdersList()).extracting(Order::getOrderId).containsExactly(created.get(0));
    ListOrdersResponse fromShopB = buyerStub.listOrders(ListOrdersRequest.newBuilder().setSellerId("shop-b").build());
    assertThat(fromShopB.getOrdersCount()).isEqualTo(3);
  }

  @Test
  void pageTokens_areBoundToTheirQuery_andTamperingIsRefused() {
    String buyer = unique("buyer");
    for (int i = 0; i < 3; i++) {
      placed(buyer, "shop-a");
    }
    OrderServiceBlockingStub buyerStub = server.ordersAs(buyer, BUYER);
    String token = buyerStub.listOrders(ListOrdersRequest.newBuilder().setPageSize(1).build()).getNextPageToken();
    assertThat(token).isNotEmpty();

    char last = token.charAt(token.length() - 1);
    String tampered = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
    Errors bad = Errors.of(catchThrowable(() -> buyerStub.listOrders(ListOrdersRequest.newBuilder().setPageToken(tampered).build())));
    assertThat(bad.code()).isEqualTo(Code.INVALID_ARGUMENT);
    assertThat(bad.violatedFields()).containsExactly("page_token");

    Errors otherFilter =
        Errors.of(
            catchThrowable(
                () -> buyerStub.listOrders(ListOrdersRequest.newBuilder().setPageToken(token).addStates(Order.State.SHIPPED).build())));
    assertThat(otherFilter.code()).isEqualTo(Code.INVALID_ARGUMENT);

    Errors otherCaller =
        Errors.of(catchThrowable(() -> server.ordersAs("someone", BUYER).listOrders(ListOrdersRequest.newBuilder().setPageToken(token).build())));
    assertThat(otherCaller.code()).isEqualTo(Code.INVALID_ARGUMENT);
  }

  @Test
  void listOrders_whoMayListWhat() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    placed(buyer, seller);

    assertThat(server.ordersAs(seller, SELLER).listOrders(ListOrdersRequest.getDefaultInstance()).getOrdersCount()).isEqualTo(1);
    assertThat(server.ordersAs("agent", SUPPORT).listOrders(ListOrdersRequest.newBuilder().setBuyerId(buyer).build()).getOrdersCount())
        .isEqualTo(1);

    Errors otherBuyer =
        Errors.of(catchThrowable(() -> server.ordersAs("nosy", BUYER).listOrders(ListOrdersRequest.newBuilder().setBuyerId(buyer).build())));
    assertThat(otherBuyer.code()).isEqualTo(Code.PERMISSION_DENIED);

    Errors supportWithoutParty =
        Errors.of(catchThrowable(() -> server.ordersAs("agent", SUPPORT).listOrders(ListOrdersRequest.getDefaultInstance())));
    assertThat(supportWithoutParty.code()).isEqualTo(Code.INVALID_ARGUMENT);
  }

  @Test
  void listOrderEvents_pagesOldestFirst() {
    String buyer = unique("buyer");
    Order order = paid(buyer, "seller-1");
    logistics.shipOrder(Requests.ship(order.getOrderId()));
    OrderServiceBlockingStub buyerStub = server.ordersAs(buyer, BUYER);

    ListOrderEventsResponse first =
        buyerStub.listOrderEvents(ListOrderEventsRequest.newBuilder().setOrderId(order.getOrderId()).setPageSize(2).build());
    ListOrderEventsResponse second =
        buyerStub.listOrderEvents(
            ListOrderEventsRequest.newBuilder().setOrderId(order.getOrderId()).setPageSize(2).setPageToken(first.getNextPageToken()).build());

    assertThat(first.getEventsList()).extracting(OrderEvent::getType).containsExactly(OrderEvent.Type.ORDER_CREATED, OrderEvent.Type.PAYMENT_CAPTURED);
    assertThat(second.getEventsList()).extracting(OrderEvent::getType).containsExactly(OrderEvent.Type.ORDER_SHIPPED);
    assertThat(second.getNextPageToken()).isEmpty();

    Errors stranger =
        Errors.of(catchThrowable(() -> server.ordersAs("stranger", BUYER).listOrderEvents(ListOrderEventsRequest.newBuilder().setOrderId(order.getOrderId()).build())));
    assertThat(stranger.code()).isEqualTo(Code.NOT_FOUND);
  }

  private static List<Order> ordersOf(String buyer) {
    return server.ordersAs("agent", SUPPORT).listOrders(ListOrdersRequest.newBuilder().setBuyerId(buyer).build()).getOrdersList();
  }

  private static long countRows(String sql) {
    try (Connection c = server.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
