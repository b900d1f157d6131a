package dev.marketplace.orders.server.cancellation;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.domain.access.Role.SUPPORT;
import static dev.marketplace.orders.server.cancellation.Marketplace.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.testing.InvariantVerifier;
import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.CancelOrderRequest;
import dev.marketplace.orders.v1.CancelOrderResponse;
import dev.marketplace.orders.v1.CancellationEligibility;
import dev.marketplace.orders.v1.CancellationReason;
import dev.marketplace.orders.v1.CancellationRequest;
import dev.marketplace.orders.v1.ForceCancelOrderRequest;
import dev.marketplace.orders.v1.LineItem;
import dev.marketplace.orders.v1.LineQuantity;
import dev.marketplace.orders.v1.Modification;
import dev.marketplace.orders.v1.ModificationServiceGrpc;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.OrderEvent;
import dev.marketplace.orders.v1.ProposeModificationRequest;
import dev.marketplace.orders.v1.Refund;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Cancelling part of an order (the test order: line 0 is 2 phone cases at 4.99, line 1 one cable at
 * 15.00): unpaid at once, paid through the seller; refusals of bad lines; what the order, its history
 * and the eligibility show.
 */
class PartialCancellationTest extends CancellationServiceFixture {

  static final long CASE = 499;
  static final long CABLE = 1500;

  @AfterEach
  void invariantsHold() {
    InvariantVerifier.verify(server.dataSource()).assertHolds();
  }

  static LineQuantity units(int lineIndex, int quantity) {
    return LineQuantity.newBuilder().setLineIndex(lineIndex).setQuantity(quantity).build();
  }

  static CancelOrderRequest partial(String orderId, LineQuantity... lines) {
    return Marketplace.cancelRequest(orderId, CancellationReason.Code.WRONG_ITEM_OR_SIZE).toBuilder().addAllLineItems(List.of(lines)).build();
  }

  static CancelOrderResponse cancel(String buyer, String orderId, LineQuantity... lines) {
    return market.cancellations(buyer, BUYER).cancelOrder(partial(orderId, lines));
  }

  @Test
  void unpaidOrder_oneUnitCancelledAtOnce_totalDrops_historyShowsTheLine() {
    String buyer = unique("buyer");
    Order placed = market.placed(buyer, unique("seller"));

    CancelOrderResponse response = cancel(buyer, placed.getOrderId(), units(0, 1));

    assertThat(response.getOutcome()).isEqualTo(CancelOrderResponse.Outcome.PARTIALLY_CANCELLED);
    assertThat(response.hasCancellationRequest()).isFalse();
    Order order = market.order(buyer, BUYER, placed.getOrderId());
    assertThat(response.getOrder()).isEqualTo(order);
    assertThat(order.getState()).isEqualTo(Order.State.AWAITING_PAYMENT);
    LineItem line = order.getLineItems(0);
    assertThat(line.getQuantity()).isEqualTo(2);
    assertThat(line.getCancelledQuantity()).isEqualTo(1);
    assertThat(line.getRemainingQuantity()).isEqualTo(1);
    assertThat(order.getLineItems(1).getCancelledQuantity()).isZero();
    assertThat(order.getTotal().getAmountMinor()).isEqualTo(Requests.TOTAL - CASE);
    OrderEvent event = lastEvent(buyer, BUYER, placed.getOrderId());
    assertThat(event.getType()).isEqualTo(OrderEvent.Type.ORDER_PARTIALLY_CANCELLED);
    assertThat(event.getOrderState()).isEqualTo(Order.State.AWAITING_PAYMENT);
    assertThat(event.getDetailsMap())
        .containsEntry("kind", "BUYER_CANCELLED_UNPAID")
        .containsEntry("lines", "0:1")
        .containsEntry("units", "1")
        .containsEntry("amount", Long.toString(CASE))
        .containsEntry("line.0", "ordered=2,cancelled=1,remaining=1");
    assertThat(rows.events(placed.getOrderId(), "ORDER_CANCELLED")).isZero();
  }

  @Test
  void unpaidOrder_theRestPaidLater_capturesTheLowerTotal() {
    String buyer = unique("buyer");
    Order placed = market.placed(buyer, unique("seller"));
    cancel(buyer, placed.getOrderId(), units(1, 1));

    Order paid =
        market.orders("payments", dev.marketplace.orders.domain.access.Role.SERVICE, "payments.record")
            .recordPayment(
                Requests.payment(placed.getOrderId(), dev.marketplace.orders.v1.RecordPaymentRequest.Outcome.CAPTURED).toBuilder()
                    .setAmount(Requests.usd(Requests.TOTAL - CABLE))
                    .build());

    assertThat(paid.getState()).isEqualTo(Order.State.AWAITING_SHIPMENT);
    assertThat(paid.getPayment().getCapturedAmount().getAmountMinor()).isEqualTo(Requests.TOTAL - CABLE);
  }

  @Test
  void cancellingEveryRemainingUnit_isAWholeCancellation() {
    String buyer = unique("buyer");
    Order placed = market.placed(buyer, unique("seller"));

    CancelOrderResponse response = cancel(buyer, placed.getOrderId(), units(1, 1), units(0, 2));

    assertThat(response.getOutcome()).isEqualTo(CancelOrderResponse.Outcome.CANCELLED);
    assertThat(response.getOrder().getState()).isEqualTo(Order.State.CANCELLED);
    assertThat(rows.events(placed.getOrderId(), "ORDER_PARTIALLY_CANCELLED")).isZero();
    assertThat(rows.events(placed.getOrderId(), "ORDER_CANCELLED")).isEqualTo(1);
  }

  @Test
  void afterAPartialCancel_cancellingTheRest_isAWholeCancellation() {
    String buyer = unique("buyer");
    Order placed = market.placed(buyer, unique("seller"));
    cancel(buyer, placed.getOrderId(), units(0, 1));

    CancelOrderResponse rest = cancel(buyer, placed.getOrderId(), units(0, 1), units(1, 1));

    assertThat(rest.getOutcome()).isEqualTo(CancelOrderResponse.Outcome.CANCELLED);
    assertThat(rest.getOrder().getLineItems(0).getCancelledQuantity()).as("the earlier partial cancel stays counted").isEqualTo(1);
  }

  @Test
  void paidOrder_buyerAsksForOneUnit_sellerApproves_exactlyItsShareRefunded_orderGoesOn() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order paid = market.paid(buyer, seller);

    CancelOrderResponse asked = cancel(buyer, paid.getOrderId(), units(0, 1));

    assertThat(asked.getOutcome()).isEqualTo(CancelOrderResponse.Outcome.REQUESTED);
    CancellationRequest request = asked.getCancellationRequest();
    assertThat(request.getLineItemsList()).containsExactly(units(0, 1));
    assertThat(request.getState()).isEqualTo(CancellationRequest.State.PENDING);
    assertThat(asked.getOrder().getLineItems(0).getCancelledQuantity()).as("nothing cancelled before the seller answers").isZero();
    assertThat(lastEvent(buyer, BUYER, paid.getOrderId()).getDetailsMap()).containsEntry("lines", "0:1");
    assertThat(market.request(seller, SELLER, request.getCancellationRequestId()).getLineItemsList()).containsExactly(units(0, 1));

    CancellationRequest approved = market.approve(seller, request.getCancellationRequestId());

    assertThat(approved.getState()).isEqualTo(CancellationRequest.State.APPROVED);
    Refund refund = approved.getRefund();
    assertThat(refund.getKind()).isEqualTo(Refund.Kind.PARTIAL);
    assertThat(refund.getAmount().getAmountMinor()).isEqualTo(CASE);
    assertThat(refund.getCancellationRequestId()).isEqualTo(request.getCancellationRequestId());
    Order order = market.order(buyer, BUYER, paid.getOrderId());
    assertThat(order.getState()).isEqualTo(Order.State.AWAITING_SHIPMENT);
    assertThat(order.hasCancellation()).isFalse();
    assertThat(order.hasRefund()).as("Order.refund stays the whole cancellation's").isFalse();
    assertThat(order.getRefundsList()).containsExactly(refund);
    assertThat(order.getLineItems(0).getCancelledQuantity()).isEqualTo(1);
    assertThat(order.getLineItems(0).getRemainingQuantity()).isEqualTo(1);
    assertThat(order.getTotal().getAmountMinor()).isEqualTo(Requests.TOTAL - CASE);
    assertThat(order.getPayment().getRefundedAmount().getAmountMinor()).isEqualTo(CASE);
    List<OrderEvent> history = market.history(buyer, BUYER, paid.getOrderId());
    List<OrderEvent.Type> last3 = history.subList(history.size() - 3, history.size()).stream().map(OrderEvent::getType).toList();
    assertThat(last3)
        .containsExactly(OrderEvent.Type.CANCELLATION_APPROVED, OrderEvent.Type.ORDER_PARTIALLY_CANCELLED, OrderEvent.Type.REFUND_INITIATED);
    assertThat(history.get(history.size() - 2).getDetailsMap())
        .containsEntry("kind", "SELLER_APPROVED")
        .containsEntry("cancellationRequestId", request.getCancellationRequestId())
        .containsEntry("line.0", "ordered=2,cancelled=1,remaining=1");
    assertThat(history.get(history.size() - 1).getDetailsMap()).containsEntry("kind", "PARTIAL").containsEntry("amount", Long.toString(CASE));
  }

  @Test
  void afterAPartialRefund_cancellingTheWholeOrder_refundsTheRest_togetherExactlyTheCapture() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order paid = market.paid(buyer, seller);
    market.approve(seller, cancel(buyer, paid.getOrderId(), units(1, 1)).getCancellationRequest().getCancellationRequestId());

    CancellationRequest whole = market.ask(buyer, paid.getOrderId()).getCancellationRequest();
    CancellationRequest approved = market.approve(seller, whole.getCancellationRequestId());

    assertThat(approved.getLineItemsList()).isEmpty();
    assertThat(approved.getRefund().getKind()).isEqualTo(Refund.Kind.CANCELLATION);
    assertThat(approved.getRefund().getAmount().getAmountMinor()).isEqualTo(Requests.TOTAL - CABLE);
    Order order = market.order(buyer, BUYER, paid.getOrderId());
    assertThat(order.getState()).isEqualTo(Order.State.CANCELLED);
    assertThat(order.getPayment().getRefundedAmount().getAmountMinor()).isEqualTo(Requests.TOTAL);
  }

  @Test
  void partialRequest_rejectedOrWithdrawn_leavesTheOrderAsItWas() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order paid = market.paid(buyer, seller);
    CancellationRequest first = cancel(buyer, paid.getOrderId(), units(0, 2)).getCancellationRequest();

    CancellationRequest rejected =
        market.reject(
            seller,
            Marketplace.rejectRequest(first.getCancellationRequestId(), CancellationRequest.RejectionReason.ALREADY_PREPARED_OR_CUSTOMISED));
    assertThat(rejected.getState()).isEqualTo(CancellationRequest.State.REJECTED);
    assertThat(rejected.getLineItemsList()).containsExactly(units(0, 2));

    CancellationRequest second = cancel(buyer, paid.getOrderId(), units(0, 1)).getCancellationRequest();
    assertThat(market.withdraw(buyer, second.getCancellationRequestId()).getState()).isEqualTo(CancellationRequest.State.WITHDRAWN);

    Order order = market.order(buyer, BUYER, paid.getOrderId());
    assertThat(order.getLineItems(0).getCancelledQuantity()).isZero();
    assertThat(order.getTotal().getAmountMinor()).isEqualTo(Requests.TOTAL);
    assertThat(order.getRefundsList()).isEmpty();
    assertThat(rows.events(paid.getOrderId(), "ORDER_PARTIALLY_CANCELLED")).isZero();
  }

  @Test
  void supportForceCancel_ofAnOrderWithAPendingPartialRequest_cancelsAndRefundsTheWholeOrder() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order paid = market.paid(buyer, seller);
    CancellationRequest request = cancel(buyer, paid.getOrderId(), units(0, 1)).getCancellationRequest();

    Order forced =
        market.cancellations("agent-7", SUPPORT)
            .forceCancelOrder(
                ForceCancelOrderRequest.newBuilder().setRequestId(Requests.newId()).setOrderId(paid.getOrderId()).setReason("buyer called").build());

    assertThat(forced.getState()).isEqualTo(Order.State.CANCELLED);
    assertThat(forced.getRefund().getAmount().getAmountMinor()).isEqualTo(Requests.TOTAL);
    assertThat(market.request(buyer, BUYER, request.getCancellationRequestId()).getState())
        .isEqualTo(CancellationRequest.State.RESOLVED_BY_SUPPORT);
  }

  @Test
  void badLines_refusedWithEveryFieldViolation() {
    String buyer = unique("buyer");
    Order placed = market.placed(buyer, unique("seller"));
    String id = placed.getOrderId();

    Errors malformed = failure(() -> cancel(buyer, id, units(0, 0), units(-1, 1), units(1, 1), units(1, 1)));
    assertThat(malformed.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(malformed.violatedFields())
        .containsExactlyInAnyOrder("line_items[0].quantity", "line_items[1].line_index", "line_items[3].line_index");

    Errors noSuchLine = failure(() -> cancel(buyer, id, units(2, 1)));
    assertThat(noSuchLine.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(noSuchLine.violatedFields()).containsExactly("line_items[0].line_index");

    Errors tooMany = failure(() -> cancel(buyer, id, units(0, 3)));
    assertThat(tooMany.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(tooMany.violatedFields()).containsExactly("line_items[0].quantity");

    cancel(buyer, id, units(0, 1));
    Errors moreThanRemain = failure(() -> cancel(buyer, id, units(0, 2)));
    assertThat(moreThanRemain.violatedFields()).containsExactly("line_items[0].quantity");

    Order order = market.order(buyer, BUYER, id);
    assertThat(order.getLineItems(0).getCancelledQuantity()).as("only the valid call cancelled").isEqualTo(1);
  }

  @Test
  void paymentProcessing_andShipped_refusedAsToday_whateverTheLines() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order processing = market.processing(buyer, seller);
    Errors later = failure(() -> cancel(buyer, processing.getOrderId(), units(0, 1)));
    assertThat(later.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(later.reason()).isEqualTo("PAYMENT_VERIFICATION_IN_PROGRESS");

    Order shipped = market.shipped(buyer, seller);
    Errors gone = failure(() -> cancel(buyer, shipped.getOrderId(), units(0, 1)));
    assertThat(gone.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(gone.reason()).isEqualTo("ORDER_ALREADY_SHIPPED");
  }

  @Test
  void aPendingPartialRequest_blocksASecondRequestAndAModification_andTheyBlockIt() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order paid = market.paid(buyer, seller);
    CancellationRequest request = cancel(buyer, paid.getOrderId(), units(0, 1)).getCancellationRequest();

    Errors second = failure(() -> cancel(buyer, paid.getOrderId(), units(1, 1)));
    assertThat(second.reason()).isEqualTo("CANCELLATION_REQUEST_PENDING");
    Errors modification = failure(() -> modifications(buyer).proposeModification(quantityChange(paid.getOrderId(), 1, 1).build()));
    assertThat(modification.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(modification.reason()).isEqualTo("OPEN_CANCELLATION_REQUEST");

    market.withdraw(buyer, request.getCancellationRequestId());
    Modification proposed = modifications(buyer).proposeModification(quantityChange(paid.getOrderId(), 0, 1).build());
    Errors blocked = failure(() -> cancel(buyer, paid.getOrderId(), units(1, 1)));
    assertThat(blocked.reason()).isEqualTo("OPEN_MODIFICATION_REQUEST");
    assertThat(blocked.errorInfo().getMetadataMap()).containsEntry("modificationId", proposed.getModificationId());
  }

  @Test
  void unpaidOrder_partialCancelWaitsForAnOpenModification_aWholeCancelDoesNot() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order placed = market.placed(buyer, seller);
    Modification proposed = modifications(buyer).proposeModification(quantityChange(placed.getOrderId(), 0, 1).build());

    CancellationEligibility eligibility = market.eligibility(buyer, BUYER, placed.getOrderId());
    assertThat(eligibility.getOutcome()).isEqualTo(CancellationEligibility.Outcome.CANCEL_IMMEDIATELY);
    assertThat(eligibility.getCancellableLinesList()).extracting(CancellationEligibility.CancellableLine::getCancellableQuantity).containsExactly(0, 0);
    Errors partial = failure(() -> cancel(buyer, placed.getOrderId(), units(0, 1)));
    assertThat(partial.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(partial.reason()).isEqualTo("OPEN_MODIFICATION_REQUEST");
    assertThat(partial.errorInfo().getMetadataMap()).containsEntry("modificationId", proposed.getModificationId());

    assertThat(market.ask(buyer, placed.getOrderId()).getOutcome()).isEqualTo(CancelOrderResponse.Outcome.CANCELLED);
  }

  @Test
  void aModification_cannotTakeALineBelowItsCancelledUnits() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order placed = market.placed(buyer, seller);
    cancel(buyer, placed.getOrderId(), units(0, 1));

    Modification up = modifications(buyer).proposeModification(quantityChange(placed.getOrderId(), 0, 3).build());
    Modification accepted =
        modifications(seller, SELLER)
            .acceptModification(
                dev.marketplace.orders.v1.AcceptModificationRequest.newBuilder()
                    .setRequestId(Requests.newId())
                    .setModificationId(up.getModificationId())
                    .build());
    assertThat(accepted.getState()).isEqualTo(Modification.State.ACCEPTED);
    LineItem line = market.order(buyer, BUYER, placed.getOrderId()).getLineItems(0);
    assertThat(line.getQuantity()).isEqualTo(3);
    assertThat(line.getCancelledQuantity()).as("a modification keeps the cancelled units").isEqualTo(1);
    assertThat(line.getRemainingQuantity()).isEqualTo(2);

    cancel(buyer, placed.getOrderId(), units(0, 2));
    Errors below = failure(() -> modifications(buyer).proposeModification(quantityChange(placed.getOrderId(), 0, 2).build()));

    assertThat(below.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(below.violatedFields()).containsExactly("quantity_change.quantity");
    assertThat(below.status().getMessage()).contains("cannot go below 3");
  }

  @Test
  void eligibility_reportsPerLineTheUnitsThatCanStillBeCancelled() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order paid = market.paid(buyer, seller);
    CancellationEligibility before = market.eligibility(buyer, BUYER, paid.getOrderId());
    assertThat(before.getCancellableLinesList())
        .containsExactly(line(0, 2), line(1, 1));

    market.approve(seller, cancel(buyer, paid.getOrderId(), units(0, 1)).getCancellationRequest().getCancellationRequestId());

    assertThat(market.eligibility(buyer, BUYER, paid.getOrderId()).getCancellableLinesList()).containsExactly(line(0, 1), line(1, 1));
    Order shipped = market.shipped(buyer, seller);
    assertThat(market.eligibility(buyer, BUYER, shipped.getOrderId()).getCancellableLinesList()).containsExactly(line(0, 0), line(1, 0));
  }

  static CancellationEligibility.CancellableLine line(int index, int quantity) {
    return CancellationEligibility.CancellableLine.newBuilder().setLineIndex(index).setCancellableQuantity(quantity).build();
  }

  static ModificationServiceGrpc.ModificationServiceBlockingStub modifications(String buyer) {
    return modifications(buyer, BUYER);
  }

  static ModificationServiceGrpc.ModificationServiceBlockingStub modifications(String subject, dev.marketplace.orders.domain.access.Role role) {
    return server.modificationsAs(subject, role).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  static ProposeModificationRequest.Builder quantityChange(String orderId, int lineIndex, int quantity) {
    return ProposeModificationRequest.newBuilder()
        .setRequestId(Requests.newId())
        .setOrderId(orderId)
        .setQuantityChange(Modification.QuantityChange.newBuilder().setLineIndex(lineIndex).setQuantity(quantity));
  }
}
