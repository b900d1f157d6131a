package dev.marketplace.orders.server.support;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.domain.access.Role.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.testing.InvariantVerifier;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.CancellationRequest;
import dev.marketplace.orders.v1.Modification;
import dev.marketplace.orders.v1.OpenSupportCaseRequest;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.ProposeModificationRequest;
import dev.marketplace.orders.v1.SupportCase;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Opening a case: what the service finds from its own records, and what it refuses. */
class OpenSupportCaseTest extends SupportFixture {

  @AfterEach
  void invariantsHold() {
    InvariantVerifier.verify(server.dataSource()).assertHolds();
  }

  @Test
  void cancellationNotProcessed_afterTheDeadline_theServiceFindsItMissed_andThePlatformHasCancelledAndRefunded() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = paid(buyer, seller);
    CancellationRequest request = askToCancel(buyer, order.getOrderId());
    server.clock.set(instant(request.getRespondByTime()).plusSeconds(60));

    SupportCase opened = open(buyer, BUYER, caseAbout(order.getOrderId(), SupportCase.Kind.CANCELLATION_NOT_PROCESSED));

    assertThat(opened.getReference()).matches("SC-[0-9A-HJKMNP-TV-Z]{10}");
    assertThat(opened.getState()).isEqualTo(SupportCase.State.OPEN);
    assertThat(opened.getFinding()).isEqualTo(SupportCase.Finding.DEADLINE_MISSED);
    assertThat(opened.getFindingDetail()).contains(request.getReference()).contains("did not answer");
    assertThat(opened.getCancellationRequestId()).isEqualTo(request.getCancellationRequestId());
    assertThat(opened.getOpenedBy().getSubject()).isEqualTo(buyer);
    assertThat(opened.getEvidenceUrisList()).containsExactly(EVIDENCE);
    Order now = order(buyer, BUYER, order.getOrderId());
    assertThat(now.getState()).as("the lapsed request was approved on the way").isEqualTo(Order.State.CANCELLED);
    assertThat(now.getRefund().getAmount().getAmountMinor()).isEqualTo(Requests.TOTAL);
    assertThat(events(order.getOrderId(), "CANCELLATION_AUTO_APPROVED")).isEqualTo(1);
    assertThat(events(order.getOrderId(), "SUPPORT_CASE_OPENED")).isEqualTo(1);
    assertThat(rows.platformMessages(order.getOrderId())).as("the case is announced in the conversation").isEqualTo(1);
  }

  @Test
  void cancellationNotProcessed_ofSomeUnits_afterTheDeadline_isMissed_andAFailedPartialRefundIsFound() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = paid(buyer, seller);
    CancellationRequest request =
        server.cancellationsAs(buyer, BUYER)
            .cancelOrder(
                dev.marketplace.orders.v1.CancelOrderRequest.newBuilder()
                    .setRequestId(Requests.newId())
                    .setOrderId(order.getOrderId())
                    .setReason(dev.marketplace.orders.v1.CancellationReason.Code.ORDERED_BY_ACCIDENT)
                    .addLineItems(dev.marketplace.orders.v1.LineQuantity.newBuilder().setLineIndex(0).setQuantity(1))
                    .build())
            .getCancellationRequest();
    server.clock.set(instant(request.getRespondByTime()).plusSeconds(60));

    SupportCase missed = open(buyer, BUYER, caseAbout(order.getOrderId(), SupportCase.Kind.CANCELLATION_NOT_PROCESSED));

    assertThat(missed.getFinding()).isEqualTo(SupportCase.Finding.DEADLINE_MISSED);
    assertThat(missed.getFindingDetail()).contains(request.getReference()).contains("1 of line 0").contains("INITIATED");
    Order partly = order(buyer, BUYER, order.getOrderId());
    assertThat(partly.getState()).isEqualTo(Order.State.AWAITING_SHIPMENT);
    dev.marketplace.orders.v1.Refund partial = partly.getRefundsList().get(0);
    assertThat(partial.getKind()).isEqualTo(dev.marketplace.orders.v1.Refund.Kind.PARTIAL);

    server.cancellationsAs("payments", dev.marketplace.orders.domain.access.Role.SERVICE, "refunds.record")
        .recordRefundResult(
            dev.marketplace.orders.v1.RecordRefundResultRequest.newBuilder()
                .setRequestId(Requests.newId())
                .setRefundId(partial.getRefundId())
                .setOutcome(dev.marketplace.orders.v1.RecordRefundResultRequest.Outcome.FAILED)
                .setFailureReason("card closed")
                .build());
    resolve(noAction(missed.getCaseId()));
    SupportCase failed = open(buyer, BUYER, caseAbout(order.getOrderId(), SupportCase.Kind.CANCELLATION_NOT_PROCESSED));
    assertThat(failed.getFinding()).isEqualTo(SupportCase.Finding.REFUND_FAILED);
    assertThat(failed.getFindingDetail()).contains("card closed");
  }

  @Test
  void cancellationNotProcessed_beforeTheDeadline_theServiceSaysTheSellerStillHasTime() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = paid(buyer, seller);
    CancellationRequest request = askToCancel(buyer, order.getOrderId());

    SupportCase opened = open(buyer, BUYER, caseAbout(order.getOrderId(), SupportCase.Kind.CANCELLATION_NOT_PROCESSED));

    assertThat(opened.getFinding()).isEqualTo(SupportCase.Finding.DEADLINE_NOT_REACHED);
    assertThat(opened.getFindingDetail()).contains(request.getReference());
    assertThat(order(buyer, BUYER, order.getOrderId()).getState()).isEqualTo(Order.State.AWAITING_SHIPMENT);
  }

  @Test
  void cancellationNotProcessed_onAnUnpaidCancelledOrder_saysCancelled_andOnAPaidOneWithoutRequest_saysNoRequest() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order unpaid = placed(buyer, seller);
    server.cancellationsAs(buyer, BUYER)
        .cancelOrder(
            dev.marketplace.orders.v1.CancelOrderRequest.newBuilder()
                .setRequestId(Requests.newId())
                .setOrderId(unpaid.getOrderId())
                .setReason(dev.marketplace.orders.v1.CancellationReason.Code.ORDERED_BY_ACCIDENT)
                .build());
    assertThat(open(buyer, BUYER, caseAbout(unpaid.getOrderId(), SupportCase.Kind.CANCELLATION_NOT_PROCESSED)).getFinding())
        .isEqualTo(SupportCase.Finding.CANCELLED);

    Order paid = paid(buyer, seller);
    SupportCase noRequest = open(buyer, BUYER, caseAbout(paid.getOrderId(), SupportCase.Kind.CANCELLATION_NOT_PROCESSED));
    assertThat(noRequest.getFinding()).isEqualTo(SupportCase.Finding.NO_REQUEST);
    assertThat(noRequest.getCancellationRequestId()).isEmpty();
  }

  @Test
  void cancellationRejected_theServiceConfirmsTheRejection_orSaysTheRequestWasNotRejected() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = paid(buyer, seller);
    CancellationRequest request = askToCancel(buyer, order.getOrderId());

    SupportCase early = open(buyer, BUYER, caseAbout(order.getOrderId(), SupportCase.Kind.CANCELLATION_REJECTED));
    assertThat(early.getFinding()).isEqualTo(SupportCase.Finding.REQUEST_NOT_REJECTED);
    resolve(noAction(early.getCaseId()));

    rejectCancellation(seller, request.getCancellationRequestId());
    SupportCase rejected =
        open(
            buyer, BUYER,
            caseAbout(order.getOrderId(), SupportCase.Kind.CANCELLATION_REJECTED).setCancellationRequestId(request.getCancellationRequestId()));
    assertThat(rejected.getFinding()).isEqualTo(SupportCase.Finding.REQUEST_REJECTED);
    assertThat(rejected.getFindingDetail()).contains("ALREADY_PREPARED_OR_CUSTOMISED").contains("already engraved");
    assertThat(rejected.getCancellationRequestId()).isEqualTo(request.getCancellationRequestId());
  }

  @Test
  void modificationDispute_namesTheModificationAndItsState() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = paid(buyer, seller);
    assertThat(open(seller, SELLER, caseAbout(order.getOrderId(), SupportCase.Kind.MODIFICATION_DISPUTE)).getFinding())
        .isEqualTo(SupportCase.Finding.NO_REQUEST);

    Modification proposed =
        server.modificationsAs(buyer, BUYER)
            .proposeModification(
                ProposeModificationRequest.newBuilder()
                    .setRequestId(Requests.newId())
                    .setOrderId(order.getOrderId())
                    .setQuantityChange(Modification.QuantityChange.newBuilder().setLineIndex(0).setQuantity(1))
                    .build());
    SupportCase about =
        open(buyer, BUYER, caseAbout(order.getOrderId(), SupportCase.Kind.MODIFICATION_DISPUTE).setModificationId(proposed.getModificationId()));
    assertThat(about.getFinding()).isEqualTo(SupportCase.Finding.MODIFICATION_ON_RECORD);
    assertThat(about.getModificationId()).isEqualTo(proposed.getModificationId());
    assertThat(about.getFindingDetail()).contains("PROPOSED");
  }

  @Test
  void other_isNotChecked_andBothPartiesMayOpenOne_butEachOnlyOnceWhileOpen() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = shipped(buyer, seller);
    OpenSupportCaseRequest.Builder request = caseAbout(order.getOrderId(), SupportCase.Kind.OTHER);
    SupportCase byBuyer = open(buyer, BUYER, request);
    assertThat(byBuyer.getFinding()).isEqualTo(SupportCase.Finding.NOT_CHECKED);
    assertThat(open(buyer, BUYER, request)).as("a retry with the same request_id").isEqualTo(byBuyer);

    var again = failure(() -> open(buyer, BUYER, caseAbout(order.getOrderId(), SupportCase.Kind.OTHER)));
    assertThat(again.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(again.reason()).isEqualTo("SUPPORT_CASE_ALREADY_OPEN");
    assertThat(again.errorInfo().getMetadataMap()).containsEntry("reference", byBuyer.getReference());

    SupportCase bySeller = open(seller, SELLER, caseAbout(order.getOrderId(), SupportCase.Kind.OTHER));
    assertThat(bySeller.getCaseId()).isNotEqualTo(byBuyer.getCaseId());
    assertThat(bySeller.getOpenedBy().getRole()).isEqualTo(dev.marketplace.orders.v1.Actor.Role.SELLER);

    resolve(noAction(byBuyer.getCaseId()));
    assertThat(open(buyer, BUYER, caseAbout(order.getOrderId(), SupportCase.Kind.OTHER)).getState())
        .as("once resolved, a new one may be opened")
        .isEqualTo(SupportCase.State.OPEN);
    assertThat(events(order.getOrderId(), "SUPPORT_CASE_OPENED")).isEqualTo(3);
  }

  @Test
  void refusals_badFields_wrongCaller_foreignRequest() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = paid(buyer, seller);
    Order other = paid(unique("buyer"), seller);
    CancellationRequest foreign = askToCancel(other.getBuyerId(), other.getOrderId());

    var escalated = failure(() -> open(buyer, BUYER, caseAbout(order.getOrderId(), SupportCase.Kind.ESCALATED_DISPUTE)));
    assertThat(escalated.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(escalated.violatedFields()).containsExactly("kind");

    var mixed =
        failure(
            () ->
                open(
                    buyer, BUYER,
                    caseAbout(order.getOrderId(), SupportCase.Kind.OTHER)
                        .setModificationId(Requests.newId())
                        .setDescription(" ")
                        .clearEvidenceUris()
                        .addEvidenceUris("http://plain.example/x")));
    assertThat(mixed.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(mixed.violatedFields()).contains("modification_id", "description", "evidence_uris[0]");

    var notOfThisOrder =
        failure(
            () ->
                open(
                    buyer, BUYER,
                    caseAbout(order.getOrderId(), SupportCase.Kind.CANCELLATION_REJECTED)
                        .setCancellationRequestId(foreign.getCancellationRequestId())));
    assertThat(notOfThisOrder.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(notOfThisOrder.violatedFields()).containsExactly("cancellation_request_id");

    var strangersOrder = failure(() -> open(unique("buyer"), BUYER, caseAbout(order.getOrderId(), SupportCase.Kind.OTHER)));
    assertThat(strangersOrder.code()).isEqualTo(Status.Code.NOT_FOUND);

    var support = failure(() -> open(AGENT, SUPPORT, caseAbout(order.getOrderId(), SupportCase.Kind.OTHER)));
    assertThat(support.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(rows.count("SELECT COUNT(*) FROM support_cases WHERE order_id = UNHEX(?)", dev.marketplace.orders.server.testing.Rows.hex(order.getOrderId())))
        .as("nothing stored by a refused call")
        .isZero();
  }
}
