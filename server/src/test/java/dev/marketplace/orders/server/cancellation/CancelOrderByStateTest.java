package dev.marketplace.orders.server.cancellation;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.domain.access.Role.SUPPORT;
import static dev.marketplace.orders.server.cancellation.Marketplace.cancelRequest;
import static dev.marketplace.orders.server.cancellation.Marketplace.duration;
import static dev.marketplace.orders.server.cancellation.Marketplace.instant;
import static dev.marketplace.orders.server.cancellation.Marketplace.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.PreconditionFailure;
import com.google.rpc.RetryInfo;
import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.v1.Actor;
import dev.marketplace.orders.v1.CancelOrderRequest;
import dev.marketplace.orders.v1.CancelOrderResponse;
import dev.marketplace.orders.v1.Cancellation;
import dev.marketplace.orders.v1.CancellationReason.Code;
import dev.marketplace.orders.v1.CancellationRequest;
import dev.marketplace.orders.v1.CancellationServiceGrpc.CancellationServiceBlockingStub;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.OrderEvent;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** SPEC §3, cancellation rules by order state: every row of the table, through CancelOrder. */
class CancelOrderByStateTest extends CancellationServiceFixture {

  @Test
  void cancellingAnUnpaidOrder_cancelsItAtOnce_withoutRefund() {
    String buyer = unique("buyer");
    Order order = market.placed(buyer, unique("seller"));
    Instant now = server.clock.instant();

    CancelOrderResponse response =
        market.cancellations(buyer, BUYER).cancelOrder(cancelRequest(order.getOrderId(), Code.ORDERED_BY_ACCIDENT));

    assertThat(response.getOutcome()).isEqualTo(CancelOrderResponse.Outcome.CANCELLED);
    assertThat(response.hasCancellationRequest()).isFalse();
    Order cancelled = response.getOrder();
    assertThat(cancelled.getState()).isEqualTo(Order.State.CANCELLED);
    assertThat(cancelled.hasRefund()).as("nothing was paid, nothing to refund").isFalse();
    Cancellation how = cancelled.getCancellation();
    assertThat(how.getKind()).isEqualTo(Cancellation.Kind.BUYER_CANCELLED_UNPAID);
    assertThat(how.getReason()).isEqualTo(Code.ORDERED_BY_ACCIDENT);
    assertThat(how.getCancelledBy()).isEqualTo(Actor.newBuilder().setSubject(buyer).setRole(Actor.Role.BUYER).build());
    assertThat(instant(how.getCancelTime())).isEqualTo(now);
    assertThat(how.getCancellationRequestId()).isEmpty();

    assertThat(market.order(buyer, BUYER, order.getOrderId())).isEqualTo(cancelled);
    assertThat(rows.refunds(order.getOrderId())).isZero();
    assertThat(rows.requests(order.getOrderId())).isZero();
    OrderEvent last = lastEvent(buyer, BUYER, order.getOrderId());
    assertThat(last.getType()).isEqualTo(OrderEvent.Type.ORDER_CANCELLED);
    assertThat(last.getActor().getSubject()).isEqualTo(buyer);
  }

  @Test
  void cancellingWhilePaymentIsVerified_isRefusedForNow_withRetryInfo() {
    String buyer = unique("buyer");
    Order order = market.processing(buyer, unique("seller"));

    Errors error =
        failure(() -> market.cancellations(buyer, BUYER).cancelOrder(cancelRequest(order.getOrderId(), Code.ORDERED_BY_ACCIDENT)));

    assertThat(error.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(error.reason()).isEqualTo("PAYMENT_VERIFICATION_IN_PROGRESS");
    assertThat(error.errorInfo().getMetadataMap()).containsEntry("orderState", "PAYMENT_PROCESSING");
    RetryInfo retry = error.detail(RetryInfo.class).orElseThrow(() -> new AssertionError("no RetryInfo in " + error.status()));
    assertThat(duration(retry.getRetryDelay())).isEqualTo(PAYMENT_RETRY);
    assertThat(market.order(buyer, BUYER, order.getOrderId())).isEqualTo(order);
    assertThat(rows.requests(order.getOrderId())).isZero();
  }

  @Test
  void cancellingAPaidOrderAwaitingShipment_asksTheSeller_whoHas72HoursToAnswer() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = market.paid(buyer, seller);
    Instant now = server.clock.instant();

    CancelOrderResponse response =
        market.cancellations(buyer, BUYER)
            .cancelOrder(cancelRequest(order.getOrderId(), Code.BETTER_PRICE_ELSEWHERE).toBuilder().setExplanation("half price next door").build());

    assertThat(response.getOutcome()).isEqualTo(CancelOrderResponse.Outcome.REQUESTED);
    assertThat(response.getOrder().getState()).isEqualTo(Order.State.AWAITING_SHIPMENT);
    CancellationRequest request = response.getCancellationRequest();
    assertThat(request.getState()).isEqualTo(CancellationRequest.State.PENDING);
    assertThat(instant(request.getCreateTime())).isEqualTo(now);
    assertThat(instant(request.getRespondByTime())).isEqualTo(now.plus(WINDOW));
    assertThat(request.getReference()).matches("CR-[0-9A-HJKMNP-TV-Z]{10}");
    assertThat(UUID.fromString(request.getCancellationRequestId())).isNotNull();
    assertThat(request.getOrderId()).isEqualTo(order.getOrderId());
    assertThat(request.getBuyerId()).isEqualTo(buyer);
    assertThat(request.getSellerId()).isEqualTo(seller);
    assertThat(request.getReason()).isEqualTo(Code.BETTER_PRICE_ELSEWHERE);
    assertThat(request.getExplanation()).isEqualTo("half price next door");
    assertThat(request.hasResolvedBy()).isFalse();
    assertThat(request.hasResolveTime()).isFalse();
    assertThat(request.hasRefund()).isFalse();

    String id = request.getCancellationRequestId();
    assertThat(market.request(buyer, BUYER, id)).isEqualTo(request);
    assertThat(market.request(seller, SELLER, id)).isEqualTo(request);
    assertThat(market.request("agent-1", SUPPORT, id)).isEqualTo(request);
    assertThat(market.order(buyer, BUYER, order.getOrderId()).getState()).isEqualTo(Order.State.AWAITING_SHIPMENT);
    OrderEvent last = lastEvent(buyer, BUYER, order.getOrderId());
    assertThat(last.getType()).isEqualTo(OrderEvent.Type.CANCELLATION_REQUESTED);
    assertThat(last.getDetailsMap()).containsEntry("reference", request.getReference());
  }

  @Test
  void retryingARequestingCancelWithTheSameRequestId_returnsTheSameRequest_andOpensNoOther() {
    String buyer = unique("buyer");
    Order order = market.paid(buyer, unique("seller"));
    CancelOrderRequest cancel = cancelRequest(order.getOrderId(), Code.WRONG_ITEM_OR_SIZE);
    CancellationServiceBlockingStub stub = market.cancellations(buyer, BUYER);

    CancelOrderResponse first = stub.cancelOrder(cancel);
    server.clock.advance(Duration.ofSeconds(5));
    CancelOrderResponse again = stub.cancelOrder(cancel);

    assertThat(again).isEqualTo(first);
    assertThat(rows.requests(order.getOrderId())).isEqualTo(1);
    assertThat(rows.events(order.getOrderId(), "CANCELLATION_REQUESTED")).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(value = Order.State.class, names = {"SHIPPED", "DELIVERED"})
  void cancellingAfterShipment_isRefused_withTrackContactDisputeAndReturnAsAlternatives(Order.State state) {
    String buyer = unique("buyer");
    Order order = market.inState(state, buyer, unique("seller"));

    Errors error =
        failure(() -> market.cancellations(buyer, BUYER).cancelOrder(cancelRequest(order.getOrderId(), Code.ORDERED_BY_ACCIDENT)));

    assertThat(error.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(error.reason()).isEqualTo("ORDER_ALREADY_SHIPPED");
    assertThat(error.errorInfo().getMetadataMap()).containsEntry("orderState", state.name());
    assertThat(error.detail(PreconditionFailure.class)).isPresent();
    assertThat(market.order(buyer, BUYER, order.getOrderId())).isEqualTo(order);
    // SPEC §3 and the CancellationService contract: the same four alternatives for SHIPPED and DELIVERED.
    assertThat(alternatives(error))
        .containsExactlyInAnyOrderElementsOf(AFTER_SHIPMENT.stream().map(Enum::name).toList());
  }

  @Test
  void cancellingACancelledOrder_isANoOpForTheSameRequestId_andRefusedOtherwise() {
    String buyer = unique("buyer");
    Order order = market.placed(buyer, unique("seller"));
    CancelOrderRequest cancel = cancelRequest(order.getOrderId(), Code.ORDERED_BY_ACCIDENT);
    CancellationServiceBlockingStub stub = market.cancellations(buyer, BUYER);
    CancelOrderResponse first = stub.cancelOrder(cancel);
    long eventsAfterFirst = market.history(buyer, BUYER, order.getOrderId()).size();

    server.clock.advance(Duration.ofSeconds(30));
    CancelOrderResponse replayed = stub.cancelOrder(cancel);

    assertThat(replayed).isEqualTo(first);
    assertThat(market.history(buyer, BUYER, order.getOrderId())).hasSize((int) eventsAfterFirst);
    Errors again = failure(() -> stub.cancelOrder(cancelRequest(order.getOrderId(), Code.ORDERED_BY_ACCIDENT)));
    assertThat(again.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(again.reason()).isEqualTo("ORDER_ALREADY_CANCELLED");
    assertThat(again.errorInfo().getMetadataMap()).containsEntry("orderState", "CANCELLED");
    Errors reused = failure(() -> stub.cancelOrder(cancel.toBuilder().setReason(Code.WRONG_ITEM_OR_SIZE).build()));
    assertThat(reused.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(reused.reason()).isEqualTo("REQUEST_ID_REUSED");
    assertThat(market.order(buyer, BUYER, order.getOrderId())).isEqualTo(first.getOrder());
  }
}
