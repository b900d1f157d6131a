package dev.marketplace.orders.server.cancellation;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.server.cancellation.Marketplace.instant;
import static dev.marketplace.orders.server.cancellation.Marketplace.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.CancellationRequest;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.OrderEvent;
import dev.marketplace.orders.v1.RecordRefundResultRequest;
import dev.marketplace.orders.v1.Refund;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Payments reports refund results; the order's history records who did what. */
class RefundResultsAndHistoryTest extends CancellationServiceFixture {

  @Test
  void paymentsReportsTheRefundCompleted_once_andTheOrderShowsIt() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    CancellationRequest request = market.requested(buyer, seller);
    Refund initiated = market.approve(seller, request.getCancellationRequestId()).getRefund();
    server.clock.advance(Duration.ofMinutes(2));
    Instant now = server.clock.instant();
    RecordRefundResultRequest complete = completed(initiated.getRefundId());

    Refund done = market.refunds().recordRefundResult(complete);

    assertThat(done.getState()).isEqualTo(Refund.State.COMPLETED);
    assertThat(instant(done.getCompleteTime())).isEqualTo(now);
    assertThat(done.getAmount()).isEqualTo(initiated.getAmount());
    assertThat(market.order(buyer, BUYER, request.getOrderId()).getRefund()).isEqualTo(done);
    assertThat(market.refunds().recordRefundResult(complete)).as("a retry replays").isEqualTo(done);

    Errors conflicting =
        failure(() -> market.refunds().recordRefundResult(
            RecordRefundResultRequest.newBuilder()
                .setRequestId(Requests.newId())
                .setRefundId(initiated.getRefundId())
                .setOutcome(RecordRefundResultRequest.Outcome.FAILED)
                .setFailureReason("card closed")
                .build()));
    assertThat(conflicting.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(conflicting.reason()).isEqualTo("REFUND_ALREADY_SETTLED");
    assertThat(market.order(buyer, BUYER, request.getOrderId()).getRefund().getState()).isEqualTo(Refund.State.COMPLETED);
    assertThat(rows.events(request.getOrderId(), "REFUND_COMPLETED")).isEqualTo(1);
    assertThat(rows.events(request.getOrderId(), "REFUND_FAILED")).isZero();

    Errors unknown = failure(() -> market.refunds().recordRefundResult(completed(UUID.randomUUID().toString())));
    assertThat(unknown.code()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void aCancelledPaidOrder_listsItsOneCancellationRefund_andWhatWasCapturedAndRefunded() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    CancellationRequest request = market.requested(buyer, seller);
    Order before = market.order(buyer, BUYER, request.getOrderId());

    Refund refund = market.approve(seller, request.getCancellationRequestId()).getRefund();

    Order after = market.order(buyer, BUYER, request.getOrderId());
    assertThat(before.getRefundsList()).isEmpty();
    assertThat(before.getPayment().getCapturedAmount()).isEqualTo(before.getTotal());
    assertThat(before.getPayment().getRefundedAmount().getAmountMinor()).isZero();
    assertThat(refund.getKind()).isEqualTo(Refund.Kind.CANCELLATION);
    assertThat(refund.getCancellationRequestId()).isEqualTo(request.getCancellationRequestId());
    assertThat(refund.getModificationId()).isEmpty();
    assertThat(after.getRefundsList()).containsExactly(refund);
    assertThat(after.getRefund()).isEqualTo(refund);
    assertThat(after.getPayment().getCapturedAmount()).isEqualTo(before.getTotal());
    assertThat(after.getPayment().getRefundedAmount()).isEqualTo(before.getTotal());
  }

  @Test
  void paymentsReportsTheRefundFailed_withItsReason() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    CancellationRequest request = market.requested(buyer, seller);
    Refund initiated = market.approve(seller, request.getCancellationRequestId()).getRefund();

    Refund failed =
        market.refunds().recordRefundResult(
            RecordRefundResultRequest.newBuilder()
                .setRequestId(Requests.newId())
                .setRefundId(initiated.getRefundId())
                .setOutcome(RecordRefundResultRequest.Outcome.FAILED)
                .setFailureReason("card closed")
                .build());

    assertThat(failed.getState()).isEqualTo(Refund.State.FAILED);
    assertThat(failed.getFailureReason()).isEqualTo("card closed");
    assertThat(market.order(buyer, BUYER, request.getOrderId()).getRefund()).isEqualTo(failed);
    assertThat(failure(() -> market.refunds().recordRefundResult(completed(initiated.getRefundId()))).reason())
        .isEqualTo("REFUND_ALREADY_SETTLED");
  }

  @Test
  void history_recordsRequestApprovalCancellationAndRefund_withWhoDidEach() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    CancellationRequest request = market.requested(buyer, seller);
    Refund refund = market.approve(seller, request.getCancellationRequestId()).getRefund();
    market.refunds().recordRefundResult(completed(refund.getRefundId()));

    List<OrderEvent> history = market.history(seller, SELLER, request.getOrderId());

    assertThat(history)
        .extracting(OrderEvent::getType)
        .containsExactly(
            OrderEvent.Type.ORDER_CREATED,
            OrderEvent.Type.PAYMENT_CAPTURED,
            OrderEvent.Type.CANCELLATION_REQUESTED,
            OrderEvent.Type.CANCELLATION_APPROVED,
            OrderEvent.Type.ORDER_CANCELLED,
            OrderEvent.Type.REFUND_INITIATED,
            OrderEvent.Type.REFUND_COMPLETED);
    assertThat(history).extracting(OrderEvent::getSequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(history.subList(2, 7))
        .extracting(e -> e.getActor().getSubject() + "/" + e.getActor().getRole())
        .containsExactly(buyer + "/BUYER", seller + "/SELLER", seller + "/SELLER", seller + "/SELLER", "payments/SERVICE");
    assertThat(history.get(2).getDetailsMap()).containsEntry("cancellationRequestId", request.getCancellationRequestId());
    assertThat(history.get(2).getOrderState()).isEqualTo(Order.State.AWAITING_SHIPMENT);
    assertThat(history.get(4).getOrderState()).isEqualTo(Order.State.CANCELLED);
    assertThat(history.get(5).getDetailsMap())
        .containsEntry("refundId", refund.getRefundId())
        .containsEntry("amount", Long.toString(Requests.TOTAL));
    assertThat(history.get(6).getDetailsMap()).containsEntry("refundId", refund.getRefundId());
    assertThat(market.history(buyer, BUYER, request.getOrderId())).isEqualTo(history);
  }
}
