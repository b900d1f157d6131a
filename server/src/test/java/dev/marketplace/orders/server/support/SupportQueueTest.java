package dev.marketplace.orders.server.support;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.domain.access.Role.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.testing.InvariantVerifier;
import dev.marketplace.orders.server.testing.Race;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.CancellationRequest;
import dev.marketplace.orders.v1.ListOrderEventsRequest;
import dev.marketplace.orders.v1.ListSupportCasesRequest;
import dev.marketplace.orders.v1.ListSupportCasesResponse;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.OrderEvent;
import dev.marketplace.orders.v1.Refund;
import dev.marketplace.orders.v1.SupportCase;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The support queue: listing, assignment, and the three resolutions, through the real service. */
class SupportQueueTest extends SupportFixture {

  @AfterEach
  void invariantsHold() {
    InvariantVerifier.verify(server.dataSource()).assertHolds();
  }

  @Test
  void theQueueIsOldestFirst_filtersByStateKindAndAssignee_andPages() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = shipped(buyer, seller);
    SupportCase first = open(buyer, BUYER, caseAbout(order.getOrderId(), SupportCase.Kind.OTHER));
    server.clock.advance(java.time.Duration.ofSeconds(1));
    SupportCase second = open(seller, SELLER, caseAbout(order.getOrderId(), SupportCase.Kind.OTHER));
    server.clock.advance(java.time.Duration.ofSeconds(1));
    SupportCase third = open(buyer, BUYER, caseAbout(order.getOrderId(), SupportCase.Kind.CANCELLATION_NOT_PROCESSED));

    assertThat(queue(ListSupportCasesRequest.newBuilder().setOrderId(order.getOrderId())))
        .extracting(SupportCase::getCaseId)
        .containsExactly(first.getCaseId(), second.getCaseId(), third.getCaseId());
    assertThat(queue(ListSupportCasesRequest.newBuilder().setOrderId(order.getOrderId()).addKinds(SupportCase.Kind.CANCELLATION_NOT_PROCESSED)))
        .extracting(SupportCase::getCaseId)
        .containsExactly(third.getCaseId());

    String agent2 = unique("agent");
    assign(second.getCaseId(), agent2, "");
    assertThat(queue(ListSupportCasesRequest.newBuilder().setOrderId(order.getOrderId()).setAssignee(agent2)))
        .extracting(SupportCase::getCaseId)
        .containsExactly(second.getCaseId());
    assertThat(queue(ListSupportCasesRequest.newBuilder().setOrderId(order.getOrderId()).setUnassigned(true)))
        .extracting(SupportCase::getCaseId)
        .containsExactly(first.getCaseId(), third.getCaseId());

    resolve(noAction(first.getCaseId()));
    assertThat(queue(ListSupportCasesRequest.newBuilder().setOrderId(order.getOrderId())))
        .as("by default the queue holds what is not resolved")
        .extracting(SupportCase::getCaseId)
        .containsExactly(second.getCaseId(), third.getCaseId());
    assertThat(queue(ListSupportCasesRequest.newBuilder().setOrderId(order.getOrderId()).addStates(SupportCase.State.RESOLVED)))
        .extracting(SupportCase::getCaseId)
        .containsExactly(first.getCaseId());

    ListSupportCasesRequest.Builder paged =
        ListSupportCasesRequest.newBuilder()
            .setOrderId(order.getOrderId())
            .addStates(SupportCase.State.OPEN)
            .addStates(SupportCase.State.ASSIGNED)
            .addStates(SupportCase.State.RESOLVED)
            .setPageSize(2);
    ListSupportCasesResponse page1 = server.supportAs(AGENT, SUPPORT).listSupportCases(paged.build());
    assertThat(page1.getSupportCasesList()).extracting(SupportCase::getCaseId).containsExactly(first.getCaseId(), second.getCaseId());
    ListSupportCasesResponse page2 = server.supportAs(AGENT, SUPPORT).listSupportCases(paged.setPageToken(page1.getNextPageToken()).build());
    assertThat(page2.getSupportCasesList()).extracting(SupportCase::getCaseId).containsExactly(third.getCaseId());
    assertThat(page2.getNextPageToken()).isEmpty();

    var otherFilters = failure(() -> queue(paged.clone().clearKinds().addKinds(SupportCase.Kind.OTHER)));
    assertThat(otherFilters.code()).as("a token is bound to its filters").isEqualTo(Status.Code.INVALID_ARGUMENT);
    var both = failure(() -> queue(ListSupportCasesRequest.newBuilder().setAssignee(agent2).setUnassigned(true)));
    assertThat(both.violatedFields()).containsExactly("unassigned");
    var buyerListing = failure(() -> server.supportAs(buyer, BUYER).listSupportCases(ListSupportCasesRequest.getDefaultInstance()));
    assertThat(buyerListing.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  @Test
  void assignment_defaultsToTheCaller_canBeHandedOver_andIsInTheHistoryWithTheAgent() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = paid(buyer, seller);
    SupportCase opened = open(buyer, BUYER, caseAbout(order.getOrderId(), SupportCase.Kind.OTHER));

    SupportCase mine =
        server.supportAs(AGENT, SUPPORT)
            .assignSupportCase(
                dev.marketplace.orders.v1.AssignSupportCaseRequest.newBuilder().setRequestId(Requests.newId()).setCaseId(opened.getCaseId()).build());
    assertThat(mine.getState()).isEqualTo(SupportCase.State.ASSIGNED);
    assertThat(mine.getAssignee()).isEqualTo(AGENT);
    SupportCase handedOver = assign(opened.getCaseId(), "agent-2", "billing specialist");
    assertThat(handedOver.getAssignee()).isEqualTo("agent-2");
    assertThat(handedOver.getEtag()).isNotEqualTo(mine.getEtag());

    List<OrderEvent> assignments =
        server.ordersAs(AGENT, SUPPORT)
            .listOrderEvents(ListOrderEventsRequest.newBuilder().setOrderId(order.getOrderId()).setPageSize(100).build())
            .getEventsList()
            .stream()
            .filter(e -> e.getType() == OrderEvent.Type.SUPPORT_CASE_ASSIGNED)
            .toList();
    assertThat(assignments).hasSize(2);
    assertThat(assignments.get(1).getActor().getSubject()).isEqualTo(AGENT);
    assertThat(assignments.get(1).getDetailsMap()).containsEntry("assignee", "agent-2").containsEntry("note", "billing specialist");

    assertThat(failure(() -> assign(opened.getCaseId(), " agent-3", "")).violatedFields()).containsExactly("assignee");
    var byBuyer =
        failure(
            () ->
                server.supportAs(buyer, BUYER)
                    .assignSupportCase(
                        dev.marketplace.orders.v1.AssignSupportCaseRequest.newBuilder()
                            .setRequestId(Requests.newId())
                            .setCaseId(opened.getCaseId())
                            .build()));
    assertThat(byBuyer.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    resolve(noAction(opened.getCaseId()));
    assertThat(failure(() -> assign(opened.getCaseId(), "agent-2", "")).reason()).isEqualTo("SUPPORT_CASE_STATE_CONFLICT");
  }

  @Test
  void forceCancellation_resolvesThePendingRequest_cancelsAndRefunds_withTheAgentAndReasonInTheHistory() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = paid(buyer, seller);
    CancellationRequest request = askToCancel(buyer, order.getOrderId());
    SupportCase opened = open(buyer, BUYER, caseAbout(order.getOrderId(), SupportCase.Kind.CANCELLATION_NOT_PROCESSED));

    SupportCase resolved = resolve(forceCancellation(opened.getCaseId()));

    assertThat(resolved.getState()).isEqualTo(SupportCase.State.RESOLVED);
    assertThat(resolved.getAction()).isEqualTo(SupportCase.Action.FORCE_CANCELLATION);
    assertThat(resolved.getResolutionNote()).isEqualTo("checked the records");
    assertThat(resolved.getResolvedBy().getSubject()).isEqualTo(AGENT);
    assertThat(resolved.getRefund().getKind()).isEqualTo(Refund.Kind.CANCELLATION);
    assertThat(resolved.getRefund().getAmount().getAmountMinor()).isEqualTo(Requests.TOTAL);
    Order cancelled = order(buyer, BUYER, order.getOrderId());
    assertThat(cancelled.getState()).isEqualTo(Order.State.CANCELLED);
    assertThat(cancelled.getCancellation().getKind()).isEqualTo(dev.marketplace.orders.v1.Cancellation.Kind.SUPPORT);
    assertThat(
            server.cancellationsAs(buyer, BUYER)
                .getCancellationRequest(
                    dev.marketplace.orders.v1.GetCancellationRequestRequest.newBuilder()
                        .setCancellationRequestId(request.getCancellationRequestId())
                        .build())
                .getState())
        .isEqualTo(CancellationRequest.State.RESOLVED_BY_SUPPORT);

    List<OrderEvent> history =
        server.ordersAs(buyer, BUYER)
            .listOrderEvents(ListOrderEventsRequest.newBuilder().setOrderId(order.getOrderId()).setPageSize(100).build())
            .getEventsList();
    OrderEvent resolution = history.stream().filter(e -> e.getType() == OrderEvent.Type.SUPPORT_CASE_RESOLVED).findFirst().orElseThrow();
    assertThat(resolution.getActor().getSubject()).isEqualTo(AGENT);
    assertThat(resolution.getDetailsMap()).containsEntry("action", "FORCE_CANCELLATION").containsEntry("note", "checked the records");
    OrderEvent cancellation = history.stream().filter(e -> e.getType() == OrderEvent.Type.ORDER_CANCELLED).findFirst().orElseThrow();
    assertThat(cancellation.getDetailsMap().get("supportReason")).contains(opened.getReference()).contains("checked the records");
    assertThat(byReference(buyer, BUYER, opened.getReference().toLowerCase())).as("the buyer reads the outcome by reference").isEqualTo(resolved);

    var again = failure(() -> resolve(noAction(opened.getCaseId())));
    assertThat(again.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(again.reason()).isEqualTo("SUPPORT_CASE_STATE_CONFLICT");
  }

  @Test
  void forceCancellation_ofAShippedOrder_isRefusedAsForceCancelOrderIs_andTheCaseStaysOpen() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = shipped(buyer, seller);
    SupportCase opened = open(buyer, BUYER, caseAbout(order.getOrderId(), SupportCase.Kind.OTHER));

    var refused = failure(() -> resolve(forceCancellation(opened.getCaseId())));

    assertThat(refused.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(refused.reason()).isEqualTo("INVALID_STATE_TRANSITION");
    assertThat(get(AGENT, SUPPORT, opened.getCaseId()).getState()).isEqualTo(SupportCase.State.OPEN);
    assertThat(events(order.getOrderId(), "SUPPORT_CASE_RESOLVED")).isZero();
  }

  @Test
  void refunds_partialThenFull_neverBeyondWhatIsRefundable() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = delivered(buyer, seller);
    SupportCase byBuyer = open(buyer, BUYER, caseAbout(order.getOrderId(), SupportCase.Kind.OTHER));
    SupportCase bySeller = open(seller, SELLER, caseAbout(order.getOrderId(), SupportCase.Kind.OTHER));

    var tooMuch = failure(() -> resolve(partialRefund(byBuyer.getCaseId(), Requests.TOTAL + 1)));
    assertThat(tooMuch.reason()).isEqualTo("REFUND_EXCEEDS_REFUNDABLE");
    SupportCase partial = resolve(partialRefund(byBuyer.getCaseId(), 500));
    assertThat(partial.getAction()).isEqualTo(SupportCase.Action.REFUND);
    assertThat(partial.getRefund().getKind()).isEqualTo(Refund.Kind.SUPPORT);
    assertThat(partial.getRefund().getSupportCaseId()).isEqualTo(byBuyer.getCaseId());
    assertThat(partial.getRefund().getAmount().getAmountMinor()).isEqualTo(500);
    assertThat(supportRefunds(byBuyer.getCaseId())).isEqualTo(1);

    SupportCase rest = resolve(fullRefund(bySeller.getCaseId()));
    assertThat(rest.getRefund().getAmount().getAmountMinor()).isEqualTo(Requests.TOTAL - 500);
    Order refunded = order(buyer, BUYER, order.getOrderId());
    assertThat(refunded.getPayment().getRefundedAmount().getAmountMinor()).isEqualTo(Requests.TOTAL);
    assertThat(refunded.getRefundsList()).extracting(Refund::getKind).containsExactly(Refund.Kind.SUPPORT, Refund.Kind.SUPPORT);

    SupportCase third = open(buyer, BUYER, caseAbout(order.getOrderId(), SupportCase.Kind.OTHER));
    var nothing = failure(() -> resolve(fullRefund(third.getCaseId())));
    assertThat(nothing.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(nothing.reason()).isEqualTo("NOTHING_REFUNDABLE");
    var wrongCurrency =
        failure(
            () ->
                resolve(
                    resolution(third.getCaseId())
                        .setRefund(
                            dev.marketplace.orders.v1.ResolveSupportCaseRequest.IssueRefund.newBuilder()
                                .setPartialRefund(dev.marketplace.orders.v1.Money.newBuilder().setCurrencyCode("EUR").setAmountMinor(1)))));
    assertThat(wrongCurrency.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    var noNote = failure(() -> resolve(noAction(third.getCaseId()).setNote(" ")));
    assertThat(noNote.violatedFields()).containsExactly("note");
    var noAction = failure(() -> resolve(resolution(third.getCaseId())));
    assertThat(noAction.violatedFields()).containsExactly("action");
  }

  @Test
  void noAction_closesTheCase_withoutMoney_andTellsBothParties() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = paid(buyer, seller);
    SupportCase opened = open(buyer, BUYER, caseAbout(order.getOrderId(), SupportCase.Kind.OTHER));

    SupportCase closed = resolve(noAction(opened.getCaseId()));

    assertThat(closed.getAction()).isEqualTo(SupportCase.Action.NO_ACTION);
    assertThat(closed.hasRefund()).isFalse();
    assertThat(order(buyer, BUYER, order.getOrderId()).getRefundsList()).isEmpty();
    assertThat(get(seller, SELLER, opened.getCaseId())).isEqualTo(closed);
    assertThat(rows.platformMessages(order.getOrderId())).as("opened, then resolved").isEqualTo(2);
    var stranger = failure(() -> get(unique("buyer"), BUYER, opened.getCaseId()));
    assertThat(stranger.code()).isEqualTo(Status.Code.NOT_FOUND);
    var badReference = failure(() -> byReference(buyer, BUYER, "SC-123"));
    assertThat(badReference.violatedFields()).containsExactly("reference");
  }

  @Test
  void twoAgentsRefundingTheSameCaseAtOnce_exactlyOneRefundIsIssued() throws Exception {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = paid(buyer, seller);
    SupportCase opened = open(buyer, BUYER, caseAbout(order.getOrderId(), SupportCase.Kind.OTHER));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Race.Outcome> outcomes =
          Race.runTogether(
              pool,
              List.of(
                  () -> Race.call("agent-1 full", () -> server.supportAs("agent-1", SUPPORT).resolveSupportCase(fullRefund(opened.getCaseId()).build())),
                  () -> Race.call("agent-2 part", () -> server.supportAs("agent-2", SUPPORT).resolveSupportCase(partialRefund(opened.getCaseId(), 100).build())),
                  () -> Race.call("agent-3 none", () -> server.supportAs("agent-3", SUPPORT).resolveSupportCase(noAction(opened.getCaseId()).build()))));
      assertThat(outcomes.stream().filter(o -> o.code() == Status.Code.OK)).as("%s", outcomes).hasSize(1);
      assertThat(outcomes.stream().filter(o -> o.code() != Status.Code.OK))
          .allSatisfy(o -> assertThat(o.code()).isIn(Status.Code.FAILED_PRECONDITION, Status.Code.ABORTED));
    } finally {
      pool.shutdownNow();
    }
    assertThat(supportRefunds(opened.getCaseId())).isLessThanOrEqualTo(1);
    assertThat(events(order.getOrderId(), "SUPPORT_CASE_RESOLVED")).isEqualTo(1);
  }
}
