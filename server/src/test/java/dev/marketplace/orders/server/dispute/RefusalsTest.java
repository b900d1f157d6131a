package dev.marketplace.orders.server.dispute;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.domain.access.Role.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.Dispute;
import dev.marketplace.orders.v1.Order;
import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When a dispute may not be opened or a step not taken, and bad input. */
class RefusalsTest extends DisputeFixture {

  @Test
  void unpaidUnrejectedAndCancelledOrders_cannotBeDisputed() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order unpaid = placed(buyer, seller);
    Order paid = paid(buyer, seller);

    Errors onUnpaid = failure(() -> open(buyer, full(unpaid.getOrderId(), Dispute.Reason.OTHER)));
    assertThat(onUnpaid.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(onUnpaid.reason()).isEqualTo("ORDER_NOT_DISPUTABLE");
    assertThat(failure(() -> open(buyer, full(paid.getOrderId(), Dispute.Reason.OTHER))).reason())
        .as("awaiting shipment: only after a rejected cancellation request")
        .isEqualTo("ORDER_NOT_DISPUTABLE");
    server.cancellationsAs(buyer, BUYER)
        .cancelOrder(
            dev.marketplace.orders.v1.CancelOrderRequest.newBuilder()
                .setRequestId(Requests.newId())
                .setOrderId(unpaid.getOrderId())
                .setReason(dev.marketplace.orders.v1.CancellationReason.Code.ORDERED_BY_ACCIDENT)
                .build());
    Errors onCancelled = failure(() -> open(buyer, full(unpaid.getOrderId(), Dispute.Reason.OTHER)));
    assertThat(onCancelled.reason()).isEqualTo("ORDER_NOT_DISPUTABLE");
    assertThat(onCancelled.errorInfo().getMetadataMap()).containsEntry("orderState", "CANCELLED");
  }

  @Test
  void delivered_evidenceIsRequired_andTheWindowCloses() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = delivered(buyer, seller);

    Errors noEvidence = failure(() -> open(buyer, full(order.getOrderId(), Dispute.Reason.NOT_AS_DESCRIBED)));
    assertThat(noEvidence.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(noEvidence.violatedFields()).containsExactly("evidence_uris");

    server.clock.advance(Duration.ofDays(15));
    Errors late = failure(() -> open(buyer, full(order.getOrderId(), Dispute.Reason.NOT_AS_DESCRIBED).addEvidenceUris(EVIDENCE)));
    assertThat(late.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(late.reason()).isEqualTo("DISPUTE_WINDOW_CLOSED");
  }

  @Test
  void deliveredWithinTheWindow_withEvidence_opens() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = delivered(buyer, seller);
    server.clock.advance(Duration.ofDays(14));

    Dispute opened = open(buyer, full(order.getOrderId(), Dispute.Reason.WRONG_ITEM).addEvidenceUris(EVIDENCE));

    assertThat(opened.getEvidenceUrisList()).containsExactly(EVIDENCE);
  }

  @Test
  void onlyTheBuyerOpens_andAnotherBuyerDoesNotSeeTheOrder() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = shipped(buyer, seller);

    assertThat(failure(() -> server.disputesAs(seller, SELLER).openDispute(full(order.getOrderId(), Dispute.Reason.OTHER).build())).code())
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(failure(() -> open(unique("stranger"), full(order.getOrderId(), Dispute.Reason.OTHER))).code())
        .isEqualTo(Status.Code.NOT_FOUND);
    Dispute opened = open(buyer, full(order.getOrderId(), Dispute.Reason.OTHER));
    assertThat(failure(() -> get(unique("stranger"), BUYER, opened.getDisputeId())).code()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(failure(() -> accept(unique("other-seller"), opened.getDisputeId())).code()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(failure(() -> server.disputesAs(buyer, BUYER).respondToDispute(acceptRequest(opened.getDisputeId()))).code())
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(get("agent-1", SUPPORT, opened.getDisputeId()).getDisputeId()).isEqualTo(opened.getDisputeId());
    assertThat(failure(() -> acceptOffer(buyer, opened.getDisputeId())).reason()).as("no offer yet").isEqualTo("DISPUTE_STATE_CONFLICT");
  }

  @Test
  void badInput_isReportedFieldByField() {
    String buyer = unique("buyer");
    Errors errors =
        failure(
            () ->
                server.disputesAs(buyer, BUYER)
                    .openDispute(
                        dev.marketplace.orders.v1.OpenDisputeRequest.newBuilder()
                            .setRequestId(Requests.newId())
                            .setOrderId("nope")
                            .addEvidenceUris("http://insecure.example/x")
                            .build()));
    assertThat(errors.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(errors.violatedFields()).contains("order_id", "reason", "description", "evidence_uris[0]", "requested_refund");

    Errors amount = failure(() -> open(buyer, partial(java.util.UUID.randomUUID().toString(), 0)));
    assertThat(amount.violatedFields()).containsExactly("partial_refund.amount_minor");
  }

  @Test
  void aPartialRefundInAnotherCurrency_isRefused() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = shipped(buyer, seller);
    Errors errors =
        failure(
            () ->
                open(
                    buyer,
                    partial(order.getOrderId(), 100)
                        .setPartialRefund(dev.marketplace.orders.v1.Money.newBuilder().setCurrencyCode("EUR").setAmountMinor(100))));
    assertThat(errors.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(errors.violatedFields()).containsExactly("partial_refund.currency_code");
  }
}
