package dev.marketplace.orders.server.cancellation;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SERVICE;
import static dev.marketplace.orders.domain.access.Role.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.CancelOrderRequest;
import dev.marketplace.orders.v1.Cancellation;
import dev.marketplace.orders.v1.CancellationReason;
import dev.marketplace.orders.v1.CancellationRequest;
import dev.marketplace.orders.v1.ForceCancelOrderRequest;
import dev.marketplace.orders.v1.GetCancellationRequestRequest;
import dev.marketplace.orders.v1.ListOrderEventsRequest;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.OrderEvent;
import dev.marketplace.orders.v1.RecordPaymentRequest.Outcome;
import dev.marketplace.orders.v1.Refund;
import io.grpc.Status.Code;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Support forces a cancellation: the agent and the reason are on every record it leaves. */
class SupportInterventionTest {

  private static GrpcTestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new GrpcTestServer();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static ForceCancelOrderRequest force(String orderId, String reason) {
    return ForceCancelOrderRequest.newBuilder().setRequestId(Requests.newId()).setOrderId(orderId).setReason(reason).build();
  }

  private static Order paid(String buyer) {
    Order order = server.ordersAs("checkout", SERVICE, "orders.create").createOrder(Requests.create(buyer, "seller-1"));
    return server.ordersAs("payments", SERVICE, "payments.record").recordPayment(Requests.payment(order.getOrderId(), Outcome.CAPTURED));
  }

  @Test
  void forcingAPaidOrderWithAPendingRequest_resolvesItCancelsAndRefunds_recordingAgentAndReason() {
    Order order = paid("buyer-sup-1");
    CancellationRequest pending =
        server.cancellationsAs("buyer-sup-1", BUYER)
            .cancelOrder(
                CancelOrderRequest.newBuilder()
                    .setRequestId(Requests.newId())
                    .setOrderId(order.getOrderId())
                    .setReason(CancellationReason.Code.WRONG_ITEM_OR_SIZE)
                    .build())
            .getCancellationRequest();

    Order cancelled = server.cancellationsAs("agent-7", SUPPORT).forceCancelOrder(force(order.getOrderId(), "seller unreachable for a week"));

    assertThat(cancelled.getState()).isEqualTo(Order.State.CANCELLED);
    assertThat(cancelled.getCancellation().getKind()).isEqualTo(Cancellation.Kind.SUPPORT);
    assertThat(cancelled.getCancellation().getCancelledBy().getSubject()).isEqualTo("agent-7");
    assertThat(cancelled.getCancellation().getReason()).isEqualTo(CancellationReason.Code.WRONG_ITEM_OR_SIZE);
    assertThat(cancelled.getRefund().getState()).isEqualTo(Refund.State.INITIATED);
    assertThat(cancelled.getRefund().getAmount()).isEqualTo(order.getTotal());
    assertThat(cancelled.getRefund().getCancellationRequestId()).isEqualTo(pending.getCancellationRequestId());

    CancellationRequest resolved =
        server.cancellationsAs("buyer-sup-1", BUYER)
            .getCancellationRequest(GetCancellationRequestRequest.newBuilder().setCancellationRequestId(pending.getCancellationRequestId()).build());
    assertThat(resolved.getState()).isEqualTo(CancellationRequest.State.RESOLVED_BY_SUPPORT);
    assertThat(resolved.getResolvedBy().getSubject()).isEqualTo("agent-7");
    assertThat(resolved.getRejectionNote()).isEqualTo("seller unreachable for a week");

    List<OrderEvent> events =
        server.ordersAs("buyer-sup-1", BUYER).listOrderEvents(ListOrderEventsRequest.newBuilder().setOrderId(order.getOrderId()).build()).getEventsList();
    List<OrderEvent> bySupport = events.stream().filter(e -> e.getActor().getRole() == dev.marketplace.orders.v1.Actor.Role.SUPPORT).toList();
    assertThat(bySupport)
        .extracting(OrderEvent::getType)
        .containsExactly(OrderEvent.Type.CANCELLATION_RESOLVED_BY_SUPPORT, OrderEvent.Type.ORDER_CANCELLED, OrderEvent.Type.REFUND_INITIATED);
    assertThat(bySupport).allSatisfy(e -> assertThat(e.getActor().getSubject()).isEqualTo("agent-7"));
    assertThat(bySupport.get(0).getDetailsMap()).containsEntry("supportReason", "seller unreachable for a week");
    assertThat(bySupport.get(1).getDetailsMap()).containsEntry("supportReason", "seller unreachable for a week");
  }

  @Test
  void forcingAnUnpaidOrder_cancelsWithoutRefund() {
    Order order = server.ordersAs("checkout", SERVICE, "orders.create").createOrder(Requests.create("buyer-sup-2", "seller-1"));
    Order cancelled = server.cancellationsAs("agent-7", SUPPORT).forceCancelOrder(force(order.getOrderId(), "duplicate checkout"));
    assertThat(cancelled.getState()).isEqualTo(Order.State.CANCELLED);
    assertThat(cancelled.hasRefund()).isFalse();
  }

  @Test
  void shippedOrders_andMissingReasons_areRefused() {
    Order order = paid("buyer-sup-3");
    server.ordersAs("logistics", SERVICE, "logistics.ship").shipOrder(Requests.ship(order.getOrderId()));

    Errors shipped = Errors.of(catchThrowable(() -> server.cancellationsAs("agent-7", SUPPORT).forceCancelOrder(force(order.getOrderId(), "late"))));
    assertThat(shipped.code()).isEqualTo(Code.FAILED_PRECONDITION);
    assertThat(shipped.errorInfo().getMetadataMap()).containsEntry("orderState", "SHIPPED");

    Errors noReason = Errors.of(catchThrowable(() -> server.cancellationsAs("agent-7", SUPPORT).forceCancelOrder(force(order.getOrderId(), ""))));
    assertThat(noReason.code()).isEqualTo(Code.INVALID_ARGUMENT);
    assertThat(noReason.violatedFields()).containsExactly("reason");
  }
}
