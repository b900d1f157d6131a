package dev.marketplace.orders.server.api;

import static dev.marketplace.orders.server.api.Replies.reply;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.feed.FeedRequest;
import dev.marketplace.orders.domain.feed.FeedSubscription;
import dev.marketplace.orders.domain.history.OrderEventPage;
import dev.marketplace.orders.domain.order.NewOrder;
import dev.marketplace.orders.domain.order.OrderCursor;
import dev.marketplace.orders.domain.order.OrderPage;
import dev.marketplace.orders.domain.order.OrderQuery;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.order.PaymentReport;
import dev.marketplace.orders.domain.usecase.EventFeed;
import dev.marketplace.orders.domain.usecase.Orders;
import dev.marketplace.orders.server.feed.EventStreams;
import dev.marketplace.orders.server.auth.CallerContext;
import dev.marketplace.orders.v1.ConfirmDeliveryRequest;
import dev.marketplace.orders.v1.CreateOrderRequest;
import dev.marketplace.orders.v1.GetOrderRequest;
import dev.marketplace.orders.v1.ListOrderEventsRequest;
import dev.marketplace.orders.v1.ListOrderEventsResponse;
import dev.marketplace.orders.v1.ListOrdersRequest;
import dev.marketplace.orders.v1.ListOrdersResponse;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.OrderServiceGrpc;
import dev.marketplace.orders.v1.RecordPaymentRequest;
import dev.marketplace.orders.v1.ShipOrderRequest;
import dev.marketplace.orders.v1.WatchOrderEventsRequest;
import dev.marketplace.orders.v1.WatchOrderEventsResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

/**
 * {@code orders.v1.OrderService}: checks and translates requests ({@link OrderServiceRequests}), calls
 * {@link Orders}, translates results. Mutations take the shape of {@link IdempotentCall}. Errors are
 * thrown and mapped by the ErrorMappingInterceptor; nothing else happens here.
 */
public final class OrderGrpcService extends OrderServiceGrpc.OrderServiceImplBase {

  private final Orders orders;
  private final PageTokens pageTokens;
  private final EventFeed feed;
  private final EventStreams streams;

  @Inject
  public OrderGrpcService(Orders orders, PageTokens pageTokens, EventFeed feed, EventStreams streams) {
    this.orders = orders;
    this.pageTokens = pageTokens;
    this.feed = feed;
    this.streams = streams;
  }

  @Override
  public void createOrder(CreateOrderRequest request, StreamObserver<Order> response) {
    IdempotentCall.handle(
        request,
        response,
        OrderServiceGrpc.getCreateOrderMethod(),
        OrderMessages.FORMAT,
        checks -> {
          NewOrder newOrder = OrderServiceRequests.newOrder(checks, request);
          return (caller, key, format) -> orders.create(caller, key, newOrder, format);
        });
  }

  @Override
  public void getOrder(GetOrderRequest request, StreamObserver<Order> response) {
    RequestChecks checks = new RequestChecks();
    UUID orderId = checks.uuid("order_id", request.getOrderId());
    checks.throwIfInvalid();
    reply(response, OrderMessages.toProto(orders.get(CallerContext.principal(), orderId)));
  }

  @Override
  public void listOrders(ListOrdersRequest request, StreamObserver<ListOrdersResponse> response) {
    RequestChecks checks = new RequestChecks();
    Optional<String> buyer = checks.optionalPartyId("buyer_id", request.getBuyerId());
    Optional<String> seller = checks.optionalPartyId("seller_id", request.getSellerId());
    Set<OrderState> states = OrderServiceRequests.states(checks, request.getStatesList());
    int pageSize = checks.pageSize(request.getPageSize());
    checks.throwIfInvalid();
    Principal caller = CallerContext.principal();
    String binding =
        PageTokens.binding(caller.idempotencyNamespace(), buyer.orElse(""), seller.orElse(""), PageTokens.part(states));
    Optional<OrderCursor> after = pageTokens.after(PageTokens.ORDERS, binding, request.getPageToken());
    OrderPage page = orders.list(caller, new OrderQuery(buyer, seller, states, after, pageSize));
    ListOrdersResponse.Builder reply = ListOrdersResponse.newBuilder();
    page.orders().forEach(o -> reply.addOrders(OrderMessages.toProto(o)));
    page.next().ifPresent(next -> reply.setNextPageToken(pageTokens.next(PageTokens.ORDERS, binding, next)));
    reply(response, reply.build());
  }

  @Override
  public void recordPayment(RecordPaymentRequest request, StreamObserver<Order> response) {
    IdempotentCall.handle(
        request,
        response,
        OrderServiceGrpc.getRecordPaymentMethod(),
        OrderMessages.FORMAT,
        checks -> {
          PaymentReport report = OrderServiceRequests.paymentReport(checks, request);
          return (caller, key, format) -> orders.recordPayment(caller, key, report, format);
        });
  }

  @Override
  public void shipOrder(ShipOrderRequest request, StreamObserver<Order> response) {
    IdempotentCall.handle(
        request,
        response,
        OrderServiceGrpc.getShipOrderMethod(),
        OrderMessages.FORMAT,
        checks -> {
          UUID orderId = checks.uuid("order_id", request.getOrderId());
          String carrier = OrderServiceRequests.carrier(checks, request.getCarrier());
          String tracking = OrderServiceRequests.trackingNumber(checks, request.getTrackingNumber());
          OptionalInt version = Etags.parse(checks, "etag", request.getEtag());
          return (caller, key, format) -> orders.ship(caller, key, orderId, carrier, tracking, version, format);
        });
  }

  @Override
  public void confirmDelivery(ConfirmDeliveryRequest request, StreamObserver<Order> response) {
    IdempotentCall.handle(
        request,
        response,
        OrderServiceGrpc.getConfirmDeliveryMethod(),
        OrderMessages.FORMAT,
        checks -> {
          UUID orderId = checks.uuid("order_id", request.getOrderId());
          OptionalInt version = Etags.parse(checks, "etag", request.getEtag());
          return (caller, key, format) -> orders.confirmDelivery(caller, key, orderId, version, format);
        });
  }

  @Override
  public void listOrderEvents(ListOrderEventsRequest request, StreamObserver<ListOrderEventsResponse> response) {
    RequestChecks checks = new RequestChecks();
    UUID orderId = checks.uuid("order_id", request.getOrderId());
    int pageSize = checks.pageSize(request.getPageSize());
    checks.throwIfInvalid();
    Principal caller = CallerContext.principal();
    String binding = PageTokens.binding(caller.idempotencyNamespace(), orderId.toString());
    long after = pageTokens.after(PageTokens.ORDER_EVENTS, binding, request.getPageToken()).orElse(0L);
    OrderEventPage page = orders.history(caller, orderId, after, pageSize);
    ListOrderEventsResponse.Builder reply = ListOrderEventsResponse.newBuilder();
    page.events().forEach(e -> reply.addEvents(OrderEventMessages.toProto(e)));
    page.nextAfterSequence().ifPresent(next -> reply.setNextPageToken(pageTokens.next(PageTokens.ORDER_EVENTS, binding, next)));
    reply(response, reply.build());
  }

  @Override
  public void watchOrderEvents(WatchOrderEventsRequest request, StreamObserver<WatchOrderEventsResponse> response) {
    RequestChecks checks = new RequestChecks();
    FeedRequest feedRequest = OrderEventStreams.feedRequest(checks, request);
    checks.throwIfInvalid();
    Principal caller = CallerContext.principal();
    EventStreams.Slot slot = streams.reserve(caller);
    try {
      FeedSubscription subscription = feed.subscribe(caller, feedRequest);
      streams.start(
          slot, subscription, CallerContext.tokenExpiry(), (ServerCallStreamObserver<WatchOrderEventsResponse>) response, OrderEventStreams.MESSAGES);
    } catch (RuntimeException e) {
      streams.cancel(slot);
      throw e;
    }
  }
}
