package dev.marketplace.orders.server.dispute;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.domain.access.Role.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.RetryInfo;
import dev.marketplace.orders.domain.testing.InvariantVerifier;
import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.Dispute;
import dev.marketplace.orders.v1.ListDisputesRequest;
import dev.marketplace.orders.v1.ListDisputesResponse;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.OrderEvent;
import dev.marketplace.orders.v1.ProposeModificationRequest;
import dev.marketplace.orders.v1.Refund;
import dev.marketplace.orders.v1.ResolveDisputeRequest;
import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every transition of a dispute, through the real service. */
class OpenAndAnswerTest extends DisputeFixture {

  @AfterEach
  void invariantsHold() {
    InvariantVerifier.verify(server.dataSource()).assertHolds();
  }

  @Test
  void afterARejectedCancellation_theSellerAccepts_theFullRefundIsIssuedOnce() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = rejectedCancellation(buyer, seller);

    Dispute opened = open(buyer, full(order.getOrderId(), Dispute.Reason.CANCELLATION_REJECTED));
    assertThat(opened.getState()).isEqualTo(Dispute.State.OPEN);
    assertThat(opened.getFullRefundRequested()).isTrue();
    assertThat(opened.getRespondByTime().getSeconds() - opened.getCreateTime().getSeconds()).isEqualTo(Duration.ofDays(15).toSeconds());
    assertThat(opened.getEscalableTime().getSeconds() - opened.getCreateTime().getSeconds()).isEqualTo(Duration.ofDays(3).toSeconds());

    Dispute accepted = accept(seller, opened.getDisputeId());

    assertThat(accepted.getState()).isEqualTo(Dispute.State.RESOLVED);
    assertThat(accepted.getOutcome()).isEqualTo(Dispute.Outcome.SELLER_ACCEPTED);
    assertThat(accepted.getRefund().getKind()).isEqualTo(Refund.Kind.DISPUTE);
    assertThat(accepted.getRefund().getDisputeId()).isEqualTo(opened.getDisputeId());
    assertThat(accepted.getRefund().getAmount().getAmountMinor()).isEqualTo(Requests.TOTAL);
    assertThat(disputeRefunds(opened.getDisputeId())).isEqualTo(1);
    assertThat(get(buyer, BUYER, opened.getDisputeId())).isEqualTo(accepted);
    assertThat(events(order.getOrderId(), "DISPUTE_OPENED")).isEqualTo(1);
    assertThat(events(order.getOrderId(), "DISPUTE_ACCEPTED_BY_SELLER")).isEqualTo(1);
    assertThat(platformMessages(order.getOrderId())).as("one platform message per step").isEqualTo(2);
    assertThat(
            server.ordersAs(buyer, BUYER)
                .listOrderEvents(dev.marketplace.orders.v1.ListOrderEventsRequest.newBuilder().setOrderId(order.getOrderId()).setPageSize(100).build())
                .getEventsList())
        .extracting(OrderEvent::getType)
        .contains(OrderEvent.Type.DISPUTE_OPENED, OrderEvent.Type.DISPUTE_ACCEPTED_BY_SELLER, OrderEvent.Type.REFUND_INITIATED);
    assertThat(failure(() -> accept(seller, opened.getDisputeId())).reason()).isEqualTo("DISPUTE_STATE_CONFLICT");

    // Both parties read the steps where they talk: the thread and the inbox show the platform's messages.
    var messages =
        server.conversationsAs(buyer, BUYER)
            .listMessages(dev.marketplace.orders.v1.ListMessagesRequest.newBuilder().setOrderId(order.getOrderId()).build())
            .getMessagesList();
    assertThat(messages).hasSize(2).allSatisfy(m -> {
      assertThat(m.getSender().getSubject()).isEqualTo("platform");
      assertThat(m.getSender().getRole()).isEqualTo(dev.marketplace.orders.v1.Actor.Role.SYSTEM);
      assertThat(m.getLanguageCode()).isEqualTo("en");
    });
    var inbox =
        server.conversationsAs(seller, SELLER)
            .listConversations(dev.marketplace.orders.v1.ListConversationsRequest.newBuilder().setOrderId(order.getOrderId()).build())
            .getConversationsList();
    assertThat(inbox).hasSize(1);
    assertThat(inbox.get(0).getLastMessage().getSender().getRole()).isEqualTo(dev.marketplace.orders.v1.Actor.Role.SYSTEM);
    assertThat(inbox.get(0).getUnreadCount()).isEqualTo(2);
  }

  @Test
  void shipped_theSellerOffersPart_theBuyerAcceptsTheOffer() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = shipped(buyer, seller);
    Dispute opened = open(buyer, partial(order.getOrderId(), 1000));
    assertThat(opened.getRequestedAmount().getAmountMinor()).isEqualTo(1000);

    Dispute offered = offer(seller, opened.getDisputeId(), 500);
    assertThat(offered.getState()).isEqualTo(Dispute.State.OFFERED);
    assertThat(offered.getOfferedAmount().getAmountMinor()).isEqualTo(500);
    assertThat(
            failure(
                    () ->
                        server.disputesAs(seller, SELLER)
                            .acceptDisputeOffer(
                                dev.marketplace.orders.v1.AcceptDisputeOfferRequest.newBuilder()
                                    .setRequestId(Requests.newId())
                                    .setDisputeId(opened.getDisputeId())
                                    .build()))
                .code())
        .isEqualTo(Status.Code.PERMISSION_DENIED);

    Dispute resolved = acceptOffer(buyer, opened.getDisputeId());

    assertThat(resolved.getState()).isEqualTo(Dispute.State.RESOLVED);
    assertThat(resolved.getOutcome()).isEqualTo(Dispute.Outcome.OFFER_ACCEPTED);
    assertThat(resolved.getRefund().getAmount().getAmountMinor()).isEqualTo(500);
    assertThat(order(buyer, BUYER, order.getOrderId()).getRefundsList()).hasSize(1);
  }

  @Test
  void theSellerRejects_escalationWaitsForTheDelay_thenSupportRefundsPart() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = shipped(buyer, seller);
    Dispute opened = open(buyer, full(order.getOrderId(), Dispute.Reason.NOT_RECEIVED));
    Dispute rejected = reject(seller, opened.getDisputeId());
    assertThat(rejected.getState()).isEqualTo(Dispute.State.REJECTED_BY_SELLER);
    assertThat(rejected.getSellerEvidenceUrisList()).containsExactly(EVIDENCE);

    Errors early = failure(() -> escalate(buyer, BUYER, opened.getDisputeId()));
    assertThat(early.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(early.reason()).isEqualTo("DISPUTE_ESCALATION_TOO_EARLY");
    assertThat(early.detail(RetryInfo.class)).isPresent();
    assertThat(failure(() -> resolve(opened.getDisputeId(), ResolveDisputeRequest.Decision.NO_REFUND, 0)).reason())
        .as("support decides escalated disputes only")
        .isEqualTo("DISPUTE_STATE_CONFLICT");

    server.clock.advance(Duration.ofDays(3));
    Dispute escalated = escalate(buyer, BUYER, opened.getDisputeId());
    assertThat(escalated.getState()).isEqualTo(Dispute.State.ESCALATED);
    assertThat(escalated.getEscalatedBy().getSubject()).isEqualTo(buyer);
    assertThat(failure(() -> accept(seller, opened.getDisputeId())).reason()).isEqualTo("DISPUTE_STATE_CONFLICT");

    Dispute resolved = resolve(opened.getDisputeId(), ResolveDisputeRequest.Decision.PARTIAL_REFUND, 700);
    assertThat(resolved.getOutcome()).isEqualTo(Dispute.Outcome.SUPPORT_PARTIAL_REFUND);
    assertThat(resolved.getSupportNote()).isEqualTo("decided on the evidence");
    assertThat(resolved.getRefund().getAmount().getAmountMinor()).isEqualTo(700);
    assertThat(events(order.getOrderId(), "DISPUTE_RESOLVED_BY_SUPPORT")).isEqualTo(1);
    assertThat(platformMessages(order.getOrderId())).isEqualTo(4);
  }

  @Test
  void supportDecidesNoRefund_orAFullOne_ofWhatIsStillRefundable() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order first = shipped(buyer, seller);
    Dispute one = open(buyer, full(first.getOrderId(), Dispute.Reason.NOT_RECEIVED));
    server.clock.advance(Duration.ofDays(3));
    escalate(seller, SELLER, one.getDisputeId());
    Dispute none = resolve(one.getDisputeId(), ResolveDisputeRequest.Decision.NO_REFUND, 0);
    assertThat(none.getOutcome()).isEqualTo(Dispute.Outcome.SUPPORT_NO_REFUND);
    assertThat(none.hasRefund()).isFalse();
    assertThat(disputeRefunds(one.getDisputeId())).isZero();

    Dispute two = open(buyer, full(first.getOrderId(), Dispute.Reason.NOT_RECEIVED));
    server.clock.advance(Duration.ofDays(3));
    escalate(buyer, BUYER, two.getDisputeId());
    Dispute all = resolve(two.getDisputeId(), ResolveDisputeRequest.Decision.FULL_REFUND, 0);
    assertThat(all.getOutcome()).isEqualTo(Dispute.Outcome.SUPPORT_FULL_REFUND);
    assertThat(all.getRefund().getAmount().getAmountMinor()).isEqualTo(Requests.TOTAL);
    assertThat(failure(() -> open(buyer, full(first.getOrderId(), Dispute.Reason.NOT_RECEIVED))).reason())
        .as("refunded in full: nothing left to dispute")
        .isEqualTo("NOTHING_REFUNDABLE");
  }

  @Test
  void theBuyerWithdraws_andMayOpenAgain_oneOpenAtATime() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = shipped(buyer, seller);
    Dispute opened = open(buyer, full(order.getOrderId(), Dispute.Reason.NOT_RECEIVED));
    assertThat(failure(() -> open(buyer, full(order.getOrderId(), Dispute.Reason.NOT_RECEIVED))).reason()).isEqualTo("DISPUTE_ALREADY_OPEN");
    assertThat(failure(() -> server.disputesAs(seller, SELLER).withdrawDispute(withdrawRequest(opened.getDisputeId()))).code())
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(failure(() -> withdraw(unique("stranger"), opened.getDisputeId())).code()).isEqualTo(Status.Code.NOT_FOUND);

    Dispute withdrawn = withdraw(buyer, opened.getDisputeId());
    assertThat(withdrawn.getState()).isEqualTo(Dispute.State.WITHDRAWN);
    assertThat(withdrawn.getResolvedBy().getSubject()).isEqualTo(buyer);
    assertThat(failure(() -> withdraw(buyer, opened.getDisputeId())).reason()).isEqualTo("DISPUTE_STATE_CONFLICT");

    Dispute again = open(buyer, full(order.getOrderId(), Dispute.Reason.NOT_RECEIVED));
    assertThat(again.getState()).isEqualTo(Dispute.State.OPEN);
    assertThat(events(order.getOrderId(), "DISPUTE_WITHDRAWN")).isEqualTo(1);
  }

  @Test
  void aRetryReturnsTheFirstResponse() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = shipped(buyer, seller);
    var request = full(order.getOrderId(), Dispute.Reason.NOT_RECEIVED).build();

    Dispute first = server.disputesAs(buyer, BUYER).openDispute(request);
    Dispute retry = server.disputesAs(buyer, BUYER).openDispute(request);

    assertThat(retry).isEqualTo(first);
    assertThat(events(order.getOrderId(), "DISPUTE_OPENED")).isEqualTo(1);
  }

  @Test
  void aDisputeAfterACheaperModification_refundsNoMoreThanIsLeft() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = paid(buyer, seller);
    var proposed =
        server.modificationsAs(buyer, BUYER)
            .proposeModification(
                ProposeModificationRequest.newBuilder()
                    .setRequestId(Requests.newId())
                    .setOrderId(order.getOrderId())
                    .setQuantityChange(dev.marketplace.orders.v1.Modification.QuantityChange.newBuilder().setLineIndex(0).setQuantity(1))
                    .build());
    server.modificationsAs(seller, SELLER)
        .acceptModification(
            dev.marketplace.orders.v1.AcceptModificationRequest.newBuilder()
                .setRequestId(Requests.newId())
                .setModificationId(proposed.getModificationId())
                .build());
    server.ordersAs("logistics", dev.marketplace.orders.domain.access.Role.SERVICE, "logistics.ship").shipOrder(Requests.ship(order.getOrderId()));
    long left = Requests.TOTAL - 499;

    Errors tooMuch = failure(() -> open(buyer, partial(order.getOrderId(), Requests.TOTAL)));
    assertThat(tooMuch.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(tooMuch.reason()).isEqualTo("REFUND_EXCEEDS_REFUNDABLE");

    Dispute opened = open(buyer, full(order.getOrderId(), Dispute.Reason.NOT_RECEIVED));
    assertThat(failure(() -> offer(seller, opened.getDisputeId(), Requests.TOTAL)).reason()).isEqualTo("REFUND_EXCEEDS_REFUNDABLE");
    Dispute accepted = accept(seller, opened.getDisputeId());

    assertThat(accepted.getRefund().getAmount().getAmountMinor()).isEqualTo(left);
    Order after = order(buyer, BUYER, order.getOrderId());
    assertThat(after.getRefundsList().stream().mapToLong(r -> r.getAmount().getAmountMinor()).sum()).isEqualTo(Requests.TOTAL);
  }

  @Test
  void listings_buyerSellerAndSupportByState_paged() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Dispute a = open(buyer, full(shipped(buyer, seller).getOrderId(), Dispute.Reason.NOT_RECEIVED));
    Dispute b = open(buyer, full(shipped(buyer, seller).getOrderId(), Dispute.Reason.NOT_RECEIVED));
    Dispute c = open(buyer, full(shipped(buyer, seller).getOrderId(), Dispute.Reason.NOT_RECEIVED));
    withdraw(buyer, c.getDisputeId());

    ListDisputesResponse first = server.disputesAs(buyer, BUYER).listDisputes(ListDisputesRequest.newBuilder().setPageSize(2).build());
    assertThat(first.getDisputesList()).extracting(Dispute::getDisputeId).containsExactlyInAnyOrder(a.getDisputeId(), b.getDisputeId());
    ListDisputesResponse second =
        server.disputesAs(buyer, BUYER)
            .listDisputes(ListDisputesRequest.newBuilder().setPageSize(2).setPageToken(first.getNextPageToken()).build());
    assertThat(second.getDisputesList()).extracting(Dispute::getDisputeId).containsExactly(c.getDisputeId());
    assertThat(second.getNextPageToken()).isEmpty();

    assertThat(server.disputesAs(seller, SELLER).listDisputes(ListDisputesRequest.newBuilder().build()).getDisputesCount()).isEqualTo(3);
    assertThat(server.disputesAs(unique("other"), BUYER).listDisputes(ListDisputesRequest.newBuilder().build()).getDisputesCount()).isZero();
    assertThat(
            server.disputesAs("agent-1", SUPPORT)
                .listDisputes(ListDisputesRequest.newBuilder().addStates(Dispute.State.WITHDRAWN).setPageSize(100).build())
                .getDisputesList())
        .extracting(Dispute::getDisputeId)
        .contains(c.getDisputeId())
        .doesNotContain(a.getDisputeId(), b.getDisputeId());
  }
}
