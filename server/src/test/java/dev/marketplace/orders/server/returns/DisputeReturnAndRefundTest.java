package dev.marketplace.orders.server.returns;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.server.testing.Rows;
import dev.marketplace.orders.v1.Dispute;
import dev.marketplace.orders.v1.EscalateDisputeRequest;
import dev.marketplace.orders.v1.OpenDisputeRequest;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.Refund;
import dev.marketplace.orders.v1.ResolveDisputeRequest;
import dev.marketplace.orders.v1.RespondToDisputeRequest;
import dev.marketplace.orders.v1.Return;
import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Disputes resolved with "return and refund": the seller's acceptance or support's decision opens an
 * APPROVED return of the order's remaining units, and the refund follows the return's receipt, not the
 * dispute. And a return's refund never goes beyond what a dispute's refund left.
 */
class DisputeReturnAndRefundTest extends ReturnFixture {

  static OpenDisputeRequest.Builder disputeOf(String orderId) {
    return OpenDisputeRequest.newBuilder()
        .setRequestId(Requests.newId())
        .setOrderId(orderId)
        .setReason(Dispute.Reason.NOT_AS_DESCRIBED)
        .setDescription("the colour is not the one shown")
        .addEvidenceUris(EVIDENCE);
  }

  static Dispute openDispute(String buyer, OpenDisputeRequest.Builder request) {
    return server.disputesAs(buyer, BUYER).openDispute(request.build());
  }

  static Dispute acceptDispute(String seller, String disputeId) {
    return server.disputesAs(seller, SELLER)
        .respondToDispute(
            RespondToDisputeRequest.newBuilder()
                .setRequestId(Requests.newId())
                .setDisputeId(disputeId)
                .setAccept(RespondToDisputeRequest.Accept.getDefaultInstance())
                .build());
  }

  @Test
  void theSellerAcceptsAReturnAndRefund_anApprovedReturnOpens_andItsReceiptRefunds() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = delivered(buyer, seller);
    Dispute open = openDispute(buyer, disputeOf(order.getOrderId()).setReturnAndRefund(true));
    assertThat(open.getReturnRequested()).isTrue();
    assertThat(open.getFullRefundRequested()).isFalse();

    Dispute resolved = acceptDispute(seller, open.getDisputeId());

    assertThat(resolved.getState()).isEqualTo(Dispute.State.RESOLVED);
    assertThat(resolved.getOutcome()).isEqualTo(Dispute.Outcome.SELLER_ACCEPTED_RETURN);
    assertThat(resolved.hasRefund()).as("the refund follows the return, not the dispute").isFalse();
    assertThat(count("SELECT COUNT(*) FROM refunds WHERE order_id = UNHEX(?)", Rows.hex(order.getOrderId()))).isZero();
    Return opened = get(buyer, BUYER, resolved.getReturnId());
    assertThat(opened.getState()).isEqualTo(Return.State.APPROVED);
    assertThat(opened.getDisputeId()).isEqualTo(open.getDisputeId());
    assertThat(opened.getDecidedBy().getSubject()).isEqualTo(seller);
    assertThat(opened.getLinesList())
        .extracting(Return.Line::getLineIndex, Return.Line::getQuantity)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(0, 2), org.assertj.core.groups.Tuple.tuple(1, 1));
    assertThat(events(order.getOrderId(), "RETURN_OPENED_BY_DISPUTE")).isEqualTo(1);

    ship(buyer, opened.getReturnId());
    Return received = confirmReceived(seller, opened.getReturnId());

    assertThat(received.getRefund().getKind()).isEqualTo(Refund.Kind.RETURN);
    assertThat(received.getRefund().getAmount().getAmountMinor()).isEqualTo(Requests.TOTAL);
    assertThat(order(buyer, BUYER, order.getOrderId()).getLineItemsList()).allSatisfy(l -> assertThat(l.getRemainingQuantity()).isZero());
    assertThat(server.disputesAs(buyer, BUYER).getDispute(dev.marketplace.orders.v1.GetDisputeRequest.newBuilder().setDisputeId(open.getDisputeId()).build()).getReturnId())
        .isEqualTo(opened.getReturnId());
  }

  @Test
  void supportDecidesReturnAndRefund_onAnEscalatedDispute() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = delivered(buyer, seller);
    Dispute open = openDispute(buyer, disputeOf(order.getOrderId()).setFullRefund(true));
    server.clock.advance(Duration.ofDays(3));
    server.disputesAs(buyer, BUYER).escalateDispute(EscalateDisputeRequest.newBuilder().setRequestId(Requests.newId()).setDisputeId(open.getDisputeId()).build());

    Dispute resolved =
        server.disputesAs("agent-1", Role.SUPPORT)
            .resolveDispute(
                ResolveDisputeRequest.newBuilder()
                    .setRequestId(Requests.newId())
                    .setDisputeId(open.getDisputeId())
                    .setDecision(ResolveDisputeRequest.Decision.RETURN_AND_REFUND)
                    .setNote("send it back for a refund")
                    .build());

    assertThat(resolved.getOutcome()).isEqualTo(Dispute.Outcome.SUPPORT_RETURN_AND_REFUND);
    assertThat(resolved.hasRefund()).isFalse();
    Return opened = get(seller, SELLER, resolved.getReturnId());
    assertThat(opened.getState()).isEqualTo(Return.State.APPROVED);
    assertThat(opened.getDecidedBy().getRole()).isEqualTo(dev.marketplace.orders.v1.Actor.Role.SUPPORT);
  }

  @Test
  void aReturnAndRefund_needsDeliveredGoods_andNoOtherOpenReturn() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order shipped = shipped(buyer, seller);
    assertThat(failure(() -> openDispute(buyer, disputeOf(shipped.getOrderId()).setReturnAndRefund(true))).reason())
        .isEqualTo("ORDER_NOT_RETURNABLE");

    Order order = delivered(buyer, seller);
    Dispute open = openDispute(buyer, disputeOf(order.getOrderId()).setReturnAndRefund(true));
    request(buyer, requestOf(order.getOrderId(), 0, 1));
    var refused = failure(() -> acceptDispute(seller, open.getDisputeId()));
    assertThat(refused.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(refused.reason()).isEqualTo("RETURN_ALREADY_OPEN");
  }

  @Test
  void aReturnAndRefund_isNotOpened_whileAReturnIsUnderWay() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = delivered(buyer, seller);
    Return underWay = request(buyer, requestOf(order.getOrderId(), 0, 1));

    var refused = failure(() -> openDispute(buyer, disputeOf(order.getOrderId()).setReturnAndRefund(true)));

    assertThat(refused.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(refused.reason()).isEqualTo("RETURN_ALREADY_OPEN");
    assertThat(refused.errorInfo().getMetadataMap()).containsEntry("returnId", underWay.getReturnId());
    assertThat(count("SELECT COUNT(*) FROM disputes WHERE order_id = UNHEX(?)", order.getOrderId().replace("-", ""))).isZero();
    assertThat(openDispute(buyer, disputeOf(order.getOrderId()).setFullRefund(true)).getState())
        .as("a dispute asking money only is still open to the buyer")
        .isEqualTo(Dispute.State.OPEN);
  }

  @Test
  void receipt_afterADisputeRefundedMost_refundsWhatIsLeft_andSaysSo() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = delivered(buyer, seller);
    Return shipped = shippedBack(buyer, seller, order);
    Dispute open = openDispute(buyer, disputeOf(order.getOrderId()).setPartialRefund(Requests.usd(2000)));
    acceptDispute(seller, open.getDisputeId());

    Return received = confirmReceived(seller, shipped.getReturnId());

    assertThat(received.getShare().getAmountMinor()).isEqualTo(LINE_1_UNIT);
    assertThat(received.getRefund().getAmount().getAmountMinor()).isEqualTo(Requests.TOTAL - 2000);
    assertThat(order(buyer, BUYER, order.getOrderId()).getPayment().getRefundedAmount().getAmountMinor()).isEqualTo(Requests.TOTAL);
    assertThat(count("SELECT COUNT(*) FROM conversation_messages WHERE order_id = UNHEX(?) AND body LIKE '%could still refund%'", Rows.hex(order.getOrderId())))
        .isEqualTo(1);
  }

  @Test
  void receipt_afterAFullDisputeRefund_refundsNothing_butCountsTheUnits() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = delivered(buyer, seller);
    Return shipped = shippedBack(buyer, seller, order);
    Dispute open = openDispute(buyer, disputeOf(order.getOrderId()).setFullRefund(true));
    acceptDispute(seller, open.getDisputeId());

    Return received = confirmReceived(seller, shipped.getReturnId());

    assertThat(received.getState()).isEqualTo(Return.State.RECEIVED);
    assertThat(received.hasRefund()).isFalse();
    assertThat(returnRefunds(shipped.getReturnId())).isZero();
    assertThat(order(buyer, BUYER, order.getOrderId()).getLineItems(1).getReturnedQuantity()).isEqualTo(1);
  }
}
