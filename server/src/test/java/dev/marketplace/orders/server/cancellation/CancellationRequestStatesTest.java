package dev.marketplace.orders.server.cancellation;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.server.cancellation.Marketplace.approveRequest;
import static dev.marketplace.orders.server.cancellation.Marketplace.instant;
import static dev.marketplace.orders.server.cancellation.Marketplace.rejectRequest;
import static dev.marketplace.orders.server.cancellation.Marketplace.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.Actor;
import dev.marketplace.orders.v1.Cancellation;
import dev.marketplace.orders.v1.CancellationEligibility.BlockedReason;
import dev.marketplace.orders.v1.CancellationEligibility;
import dev.marketplace.orders.v1.CancellationRequest.RejectionReason;
import dev.marketplace.orders.v1.CancellationRequest;
import dev.marketplace.orders.v1.CancellationServiceGrpc.CancellationServiceBlockingStub;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.OrderEvent;
import dev.marketplace.orders.v1.Refund;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SPEC §3, request states: every row of the table. The seller approves or rejects, the buyer
 * withdraws, and the order cannot ship or be asked about again while a request is pending.
 */
class CancellationRequestStatesTest extends CancellationServiceFixture {

  @Test
  void sellerApproves_orderIsCancelled_andTheTotalIsRefundedWithin3To20BusinessDays() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    CancellationRequest request = market.requested(buyer, seller);
    server.clock.advance(Duration.ofMinutes(1));
    Instant now = server.clock.instant();

    CancellationRequest approved = market.approve(seller, request.getCancellationRequestId());

    assertThat(approved.getState()).isEqualTo(CancellationRequest.State.APPROVED);
    assertThat(approved.getResolvedBy()).isEqualTo(Actor.newBuilder().setSubject(seller).setRole(Actor.Role.SELLER).build());
    assertThat(instant(approved.getResolveTime())).isEqualTo(now);
    Refund refund = approved.getRefund();
    assertThat(refund.getState()).isEqualTo(Refund.State.INITIATED);
    assertThat(refund.getAmount()).isEqualTo(Requests.usd(Requests.TOTAL));
    assertThat(refund.getPaymentMethod()).isEqualTo(Order.PaymentMethod.CARD);
    assertThat(refund.getOrderId()).isEqualTo(request.getOrderId());
    assertThat(refund.getCancellationRequestId()).isEqualTo(request.getCancellationRequestId());
    assertThat(refund.getExpectedBusinessDaysMin()).isEqualTo(3);
    assertThat(refund.getExpectedBusinessDaysMax()).isEqualTo(20);
    assertThat(instant(refund.getCreateTime())).isEqualTo(now);
    assertThat(instant(refund.getExpectedArrivalEarliestTime())).isEqualTo(plusBusinessDays(now, 3));
    assertThat(instant(refund.getExpectedArrivalLatestTime())).isEqualTo(plusBusinessDays(now, 20));
    assertThat(refund.hasCompleteTime()).isFalse();

    Order order = market.order(buyer, BUYER, request.getOrderId());
    assertThat(order.getState()).isEqualTo(Order.State.CANCELLED);
    assertThat(order.getCancellation().getKind()).isEqualTo(Cancellation.Kind.SELLER_APPROVED);
    assertThat(order.getCancellation().getCancellationRequestId()).isEqualTo(request.getCancellationRequestId());
    assertThat(order.getCancellation().getCancelledBy().getSubject()).isEqualTo(seller);
    assertThat(order.getCancellation().getReason()).isEqualTo(request.getReason());
    assertThat(order.getRefund()).isEqualTo(refund);
    assertThat(market.request(buyer, BUYER, request.getCancellationRequestId())).isEqualTo(approved);
    assertThat(rows.refunds(request.getOrderId())).isEqualTo(1);
  }

  @Test
  void approvingTwice_sameRequestIdReplays_anotherIsRefused_andThereIsOneRefund() {
    String seller = unique("seller");
    CancellationRequest request = market.requested(unique("buyer"), seller);
    CancellationServiceBlockingStub stub = market.cancellations(seller, SELLER);
    var approve = approveRequest(request.getCancellationRequestId());

    CancellationRequest first = stub.approveCancellationRequest(approve);
    CancellationRequest replayed = stub.approveCancellationRequest(approve);
    Errors second = failure(() -> market.approve(seller, request.getCancellationRequestId()));
    Errors reject =
        failure(() -> market.reject(seller, rejectRequest(request.getCancellationRequestId(), RejectionReason.OTHER).setNote("changed my mind")));

    assertThat(replayed).isEqualTo(first);
    for (Errors error : List.of(second, reject)) {
      assertThat(error.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(error.reason()).isEqualTo("CANCELLATION_REQUEST_NOT_PENDING");
      assertThat(error.errorInfo().getMetadataMap()).containsEntry("requestState", "APPROVED");
    }
    assertThat(rows.refunds(request.getOrderId())).isEqualTo(1);
    assertThat(rows.events(request.getOrderId(), "CANCELLATION_APPROVED")).isEqualTo(1);
  }

  @Test
  void sellerRejectsWithOther_needsANote_orderStaysAwaitingShipment_andTheBuyerMayAskTwiceInAll() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    CancellationRequest first = market.requested(buyer, seller);
    String orderId = first.getOrderId();

    Errors noNote = failure(() -> market.reject(seller, rejectRequest(first.getCancellationRequestId(), RejectionReason.OTHER)));
    assertThat(noNote.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(noNote.violatedFields()).containsExactly("note");
    assertThat(market.request(buyer, BUYER, first.getCancellationRequestId()).getState()).isEqualTo(CancellationRequest.State.PENDING);

    CancellationRequest rejected =
        market.reject(seller, rejectRequest(first.getCancellationRequestId(), RejectionReason.OTHER).setNote("custom engraving started"));
    assertThat(rejected.getState()).isEqualTo(CancellationRequest.State.REJECTED);
    assertThat(rejected.getRejectionReason()).isEqualTo(RejectionReason.OTHER);
    assertThat(rejected.getRejectionNote()).isEqualTo("custom engraving started");
    assertThat(rejected.getResolvedBy().getSubject()).isEqualTo(seller);
    assertThat(rejected.hasResolveTime()).isTrue();
    assertThat(rejected.hasRefund()).isFalse();
    Order order = market.order(buyer, BUYER, orderId);
    assertThat(order.getState()).isEqualTo(Order.State.AWAITING_SHIPMENT);
    assertThat(order.hasRefund()).isFalse();
    CancellationEligibility again = market.eligibility(buyer, BUYER, orderId);
    assertThat(again.getOutcome()).isEqualTo(CancellationEligibility.Outcome.REQUEST_SELLER_APPROVAL);
    assertThat(again.getRequestsRemaining()).isEqualTo(1);

    CancellationRequest second = market.ask(buyer, orderId).getCancellationRequest();
    assertThat(second.getState()).isEqualTo(CancellationRequest.State.PENDING);
    assertThat(second.getCancellationRequestId()).isNotEqualTo(first.getCancellationRequestId());
    market.reject(seller, rejectRequest(second.getCancellationRequestId(), RejectionReason.ALREADY_PREPARED_OR_CUSTOMISED));

    CancellationEligibility exhausted = market.eligibility(buyer, BUYER, orderId);
    assertThat(exhausted.getOutcome()).isEqualTo(CancellationEligibility.Outcome.NOT_CANCELLABLE);
    assertThat(exhausted.getBlockedReason()).isEqualTo(BlockedReason.CANCELLATION_REQUEST_LIMIT_REACHED);
    assertThat(exhausted.getRequestsRemaining()).isZero();
    Errors third = failure(() -> market.ask(buyer, orderId));
    assertThat(third.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(third.reason()).isEqualTo("CANCELLATION_REQUEST_LIMIT_REACHED");
    assertThat(rows.requests(orderId)).isEqualTo(2);
    assertThat(market.order(buyer, BUYER, orderId).getState()).isEqualTo(Order.State.AWAITING_SHIPMENT);
  }

  @Test
  void sellerRejectsAsAlreadyShipped_needsCarrierAndTracking_andTheOrderBecomesShipped() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    CancellationRequest request = market.requested(buyer, seller);
    String id = request.getCancellationRequestId();

    Errors missing = failure(() -> market.reject(seller, rejectRequest(id, RejectionReason.ALREADY_SHIPPED)));
    assertThat(missing.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(missing.violatedFields()).containsExactlyInAnyOrder("carrier", "tracking_number");
    Errors noTracking = failure(() -> market.reject(seller, rejectRequest(id, RejectionReason.ALREADY_SHIPPED).setCarrier("Cainiao")));
    assertThat(noTracking.violatedFields()).containsExactly("tracking_number");
    assertThat(market.order(buyer, BUYER, request.getOrderId()).getState()).isEqualTo(Order.State.AWAITING_SHIPMENT);

    CancellationRequest rejected =
        market.reject(seller, rejectRequest(id, RejectionReason.ALREADY_SHIPPED).setCarrier("Cainiao").setTrackingNumber("LP00999"));

    assertThat(rejected.getState()).isEqualTo(CancellationRequest.State.REJECTED);
    assertThat(rejected.getRejectionReason()).isEqualTo(RejectionReason.ALREADY_SHIPPED);
    Order order = market.order(buyer, BUYER, request.getOrderId());
    assertThat(order.getState()).isEqualTo(Order.State.SHIPPED);
    assertThat(order.getShipment().getCarrier()).isEqualTo("Cainiao");
    assertThat(order.getShipment().getTrackingNumber()).isEqualTo("LP00999");
    assertThat(order.getShipment().hasShipTime()).isTrue();
    List<OrderEvent> history = market.history(buyer, BUYER, request.getOrderId());
    assertThat(history.subList(history.size() - 2, history.size()))
        .extracting(OrderEvent::getType)
        .containsExactly(OrderEvent.Type.CANCELLATION_REJECTED, OrderEvent.Type.ORDER_SHIPPED);
    assertThat(market.eligibility(buyer, BUYER, request.getOrderId()).getBlockedReason()).isEqualTo(BlockedReason.ORDER_ALREADY_SHIPPED);
  }

  @Test
  void buyerWithdraws_requestIsWithdrawn_andTheSellerMayShipAgain() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    CancellationRequest request = market.requested(buyer, seller);

    CancellationRequest withdrawn = market.withdraw(buyer, request.getCancellationRequestId());

    assertThat(withdrawn.getState()).isEqualTo(CancellationRequest.State.WITHDRAWN);
    assertThat(withdrawn.getResolvedBy()).isEqualTo(Actor.newBuilder().setSubject(buyer).setRole(Actor.Role.BUYER).build());
    assertThat(market.request(seller, SELLER, request.getCancellationRequestId())).isEqualTo(withdrawn);
    Errors lateApproval = failure(() -> market.approve(seller, request.getCancellationRequestId()));
    assertThat(lateApproval.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(lateApproval.reason()).isEqualTo("CANCELLATION_REQUEST_NOT_PENDING");
    assertThat(rows.refunds(request.getOrderId())).isZero();
    assertThat(market.orders(seller, SELLER).shipOrder(Requests.ship(request.getOrderId())).getState()).isEqualTo(Order.State.SHIPPED);
  }

  @Test
  void shippingWhileARequestIsPending_isRefused_untilTheSellerAnswers() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    CancellationRequest request = market.requested(buyer, seller);

    for (Runnable ship :
        List.<Runnable>of(
            () -> market.orders(seller, SELLER).shipOrder(Requests.ship(request.getOrderId())),
            () -> market.logistics().shipOrder(Requests.ship(request.getOrderId())))) {
      Errors error = failure(ship);
      assertThat(error.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(error.reason()).isEqualTo("CANCELLATION_REQUEST_PENDING");
      assertThat(error.errorInfo().getMetadataMap()).containsEntry("cancellationRequestId", request.getCancellationRequestId());
    }
    assertThat(market.order(buyer, BUYER, request.getOrderId()).getState()).isEqualTo(Order.State.AWAITING_SHIPMENT);
    assertThat(market.request(buyer, BUYER, request.getCancellationRequestId()).getState()).isEqualTo(CancellationRequest.State.PENDING);
  }

  @Test
  void aSecondCancelWhileARequestIsPending_isRefused_oneRequestPerOrderAtATime() {
    String buyer = unique("buyer");
    CancellationRequest request = market.requested(buyer, unique("seller"));

    Errors error = failure(() -> market.ask(buyer, request.getOrderId()));

    assertThat(error.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(error.reason()).isEqualTo("CANCELLATION_REQUEST_PENDING");
    assertThat(error.errorInfo().getMetadataMap()).containsEntry("cancellationRequestId", request.getCancellationRequestId());
    assertThat(rows.requests(request.getOrderId())).isEqualTo(1);
  }
}
