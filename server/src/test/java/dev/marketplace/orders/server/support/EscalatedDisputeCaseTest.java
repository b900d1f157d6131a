package dev.marketplace.orders.server.support;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.testing.InvariantVerifier;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.Dispute;
import dev.marketplace.orders.v1.GetDisputeRequest;
import dev.marketplace.orders.v1.ListSupportCasesRequest;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.Refund;
import dev.marketplace.orders.v1.ResolveDisputeRequest;
import dev.marketplace.orders.v1.SupportCase;
import dev.marketplace.orders.v1.WithdrawDisputeRequest;
import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Escalated disputes join the support queue by themselves, and leave it when decided or withdrawn. */
class EscalatedDisputeCaseTest extends SupportFixture {

  @AfterEach
  void invariantsHold() {
    InvariantVerifier.verify(server.dataSource()).assertHolds();
  }

  @Test
  void aDisputeTheBuyerEscalates_isInTheQueue_isDecidedThroughTheDispute_andItsCaseClosesWithTheRefund() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = shipped(buyer, seller);
    Dispute dispute = openDispute(buyer, order.getOrderId());
    server.clock.set(instant(dispute.getEscalableTime()));
    escalateDispute(buyer, BUYER, dispute.getDisputeId());

    List<SupportCase> queued =
        queue(ListSupportCasesRequest.newBuilder().setOrderId(order.getOrderId()).addKinds(SupportCase.Kind.ESCALATED_DISPUTE));
    assertThat(queued).hasSize(1);
    SupportCase disputeCase = queued.get(0);
    assertThat(disputeCase.getDisputeId()).isEqualTo(dispute.getDisputeId());
    assertThat(disputeCase.getFinding()).isEqualTo(SupportCase.Finding.DISPUTE_ESCALATED);
    assertThat(disputeCase.getOpenedBy().getSubject()).isEqualTo(buyer);
    assertThat(disputeCase.getDescription()).isEqualTo(dispute.getDescription());
    assertThat(assign(disputeCase.getCaseId(), AGENT, "").getState()).isEqualTo(SupportCase.State.ASSIGNED);

    var refused = failure(() -> resolve(fullRefund(disputeCase.getCaseId())));
    assertThat(refused.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(refused.reason()).isEqualTo("SUPPORT_CASE_IS_DISPUTE");
    assertThat(refused.errorInfo().getMetadataMap()).containsEntry("disputeId", dispute.getDisputeId());

    Dispute decided =
        server.disputesAs(AGENT, SUPPORT)
            .resolveDispute(
                ResolveDisputeRequest.newBuilder()
                    .setRequestId(Requests.newId())
                    .setDisputeId(dispute.getDisputeId())
                    .setDecision(ResolveDisputeRequest.Decision.PARTIAL_REFUND)
                    .setRefundAmount(Requests.usd(700))
                    .setNote("tracking shows a delay, half refunded")
                    .build());

    SupportCase closed = get(buyer, BUYER, disputeCase.getCaseId());
    assertThat(closed.getState()).isEqualTo(SupportCase.State.RESOLVED);
    assertThat(closed.getAction()).isEqualTo(SupportCase.Action.DISPUTE_CLOSED);
    assertThat(closed.getResolutionNote()).isEqualTo("tracking shows a delay, half refunded");
    assertThat(closed.getRefund()).isEqualTo(decided.getRefund());
    assertThat(closed.getRefund().getKind()).isEqualTo(Refund.Kind.DISPUTE);
    assertThat(queue(ListSupportCasesRequest.newBuilder().setOrderId(order.getOrderId()))).as("out of the queue").isEmpty();
    assertThat(events(order.getOrderId(), "SUPPORT_CASE_OPENED")).isEqualTo(1);
    assertThat(events(order.getOrderId(), "SUPPORT_CASE_RESOLVED")).isEqualTo(1);
  }

  @Test
  void aDisputeEscalatedAtItsDeadline_isQueuedByThePlatform_andWithdrawingItClosesTheCase() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = shipped(buyer, seller);
    Dispute dispute = openDispute(buyer, order.getOrderId());
    server.clock.set(instant(dispute.getRespondByTime()));
    assertThat(
            server.disputesAs(buyer, BUYER).getDispute(GetDisputeRequest.newBuilder().setDisputeId(dispute.getDisputeId()).build()).getState())
        .isEqualTo(Dispute.State.ESCALATED);

    SupportCase queued =
        queue(ListSupportCasesRequest.newBuilder().setOrderId(order.getOrderId()).addKinds(SupportCase.Kind.ESCALATED_DISPUTE)).get(0);
    assertThat(queued.getOpenedBy().getSubject()).isEqualTo("platform");
    assertThat(queued.getOpenedBy().getRole()).isEqualTo(dev.marketplace.orders.v1.Actor.Role.SYSTEM);

    server.disputesAs(buyer, BUYER)
        .withdrawDispute(WithdrawDisputeRequest.newBuilder().setRequestId(Requests.newId()).setDisputeId(dispute.getDisputeId()).build());

    SupportCase closed = get(AGENT, SUPPORT, queued.getCaseId());
    assertThat(closed.getState()).isEqualTo(SupportCase.State.RESOLVED);
    assertThat(closed.getAction()).isEqualTo(SupportCase.Action.DISPUTE_CLOSED);
    assertThat(closed.getResolvedBy().getSubject()).isEqualTo(buyer);
    assertThat(closed.hasRefund()).isFalse();
  }
}
