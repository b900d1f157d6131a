package dev.marketplace.orders.server.cancellation;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SUPPORT;
import static dev.marketplace.orders.server.cancellation.Marketplace.cancelRequest;
import static dev.marketplace.orders.server.cancellation.Marketplace.duration;
import static dev.marketplace.orders.server.cancellation.Marketplace.instant;
import static dev.marketplace.orders.server.cancellation.Marketplace.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.v1.CancellationEligibility.Alternative;
import dev.marketplace.orders.v1.CancellationEligibility.BlockedReason;
import dev.marketplace.orders.v1.CancellationEligibility;
import dev.marketplace.orders.v1.CancellationReason.Code;
import dev.marketplace.orders.v1.CancellationReason;
import dev.marketplace.orders.v1.CancellationRequest;
import dev.marketplace.orders.v1.Order;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** CheckCancellationEligibility in every state: what a cancel would do now, changing nothing. */
class CancellationEligibilityTest extends CancellationServiceFixture {

  @Test
  void eligibility_unpaidOrder_cancelImmediately_withEveryReason() {
    String buyer = unique("buyer");
    Order order = market.placed(buyer, unique("seller"));

    CancellationEligibility eligibility = market.eligibility(buyer, BUYER, order.getOrderId());

    assertThat(eligibility.getOrderId()).isEqualTo(order.getOrderId());
    assertThat(eligibility.getOrderState()).isEqualTo(Order.State.AWAITING_PAYMENT);
    assertThat(eligibility.getOutcome()).isEqualTo(CancellationEligibility.Outcome.CANCEL_IMMEDIATELY);
    assertThat(eligibility.getBlockedReason()).isEqualTo(BlockedReason.BLOCKED_REASON_UNSPECIFIED);
    assertThat(eligibility.getReasonsList()).extracting(CancellationReason::getCode).hasSize(6).contains(Code.OTHER);
    assertThat(eligibility.getRequestsRemaining()).isEqualTo(2);
    assertThat(market.eligibility("agent-2", SUPPORT, order.getOrderId())).isEqualTo(eligibility);
  }

  @Test
  void eligibility_paymentBeingVerified_retryLater_withRetryAfter() {
    String buyer = unique("buyer");
    Order order = market.processing(buyer, unique("seller"));

    CancellationEligibility eligibility = market.eligibility(buyer, BUYER, order.getOrderId());

    assertThat(eligibility.getOutcome()).isEqualTo(CancellationEligibility.Outcome.RETRY_LATER);
    assertThat(eligibility.getBlockedReason()).isEqualTo(BlockedReason.PAYMENT_VERIFICATION_IN_PROGRESS);
    assertThat(duration(eligibility.getRetryAfter())).isEqualTo(PAYMENT_RETRY);
    assertThat(eligibility.getReasonsList()).isEmpty();
  }

  @Test
  void eligibility_paidOrder_requestSellerApproval_withTheDeadlineIfRequestedNow() {
    String buyer = unique("buyer");
    Order order = market.paid(buyer, unique("seller"));
    Instant now = server.clock.instant();

    CancellationEligibility eligibility = market.eligibility(buyer, BUYER, order.getOrderId());

    assertThat(eligibility.getOutcome()).isEqualTo(CancellationEligibility.Outcome.REQUEST_SELLER_APPROVAL);
    assertThat(eligibility.getBlockedReason()).isEqualTo(BlockedReason.BLOCKED_REASON_UNSPECIFIED);
    assertThat(instant(eligibility.getNewRequestRespondByTime())).isEqualTo(now.plus(WINDOW));
    assertThat(eligibility.getReasonsList()).hasSize(6);
    assertThat(eligibility.getRequestsRemaining()).isEqualTo(2);
    assertThat(eligibility.hasPendingRequest()).isFalse();
  }

  @Test
  void eligibility_withARequestPending_showsThePendingRequest_andChangesNothing() {
    String buyer = unique("buyer");
    CancellationRequest request = market.requested(buyer, unique("seller"));
    int historyBefore = market.history(buyer, BUYER, request.getOrderId()).size();

    CancellationEligibility eligibility = market.eligibility(buyer, BUYER, request.getOrderId());

    assertThat(eligibility.getOutcome()).isEqualTo(CancellationEligibility.Outcome.REQUEST_PENDING);
    assertThat(eligibility.getBlockedReason()).isEqualTo(BlockedReason.CANCELLATION_REQUEST_PENDING);
    assertThat(eligibility.getPendingRequest().getCancellationRequestId()).isEqualTo(request.getCancellationRequestId());
    assertThat(eligibility.getPendingRequest().getRespondByTime()).isEqualTo(request.getRespondByTime());
    assertThat(eligibility.getPendingRequest().getState()).isEqualTo(CancellationRequest.State.PENDING);
    assertThat(eligibility.getRequestsRemaining()).isEqualTo(1);
    assertThat(market.history(buyer, BUYER, request.getOrderId())).hasSize(historyBefore);
  }

  @ParameterizedTest
  @EnumSource(value = Order.State.class, names = {"SHIPPED", "DELIVERED"})
  void eligibility_afterShipment_notCancellable_withTheSameAlternativesACancelIsRefusedWith(Order.State state) {
    String buyer = unique("buyer");
    Order order = market.inState(state, buyer, unique("seller"));

    CancellationEligibility eligibility = market.eligibility(buyer, BUYER, order.getOrderId());
    Errors refusal =
        failure(() -> market.cancellations(buyer, BUYER).cancelOrder(cancelRequest(order.getOrderId(), Code.ORDERED_BY_ACCIDENT)));

    assertThat(eligibility.getOrderState()).isEqualTo(state);
    assertThat(eligibility.getOutcome()).isEqualTo(CancellationEligibility.Outcome.NOT_CANCELLABLE);
    assertThat(eligibility.getBlockedReason()).isEqualTo(BlockedReason.ORDER_ALREADY_SHIPPED);
    assertThat(refusal.reason()).isEqualTo(eligibility.getBlockedReason().name());
    assertThat(eligibility.getReasonsList()).isEmpty();
    assertThat(eligibility.getAlternativesList())
        .contains(Alternative.CONTACT_SELLER, Alternative.OPEN_DISPUTE, Alternative.RETURN_AFTER_DELIVERY);
    assertThat(eligibility.getAlternativesList()).extracting(Enum::name).containsExactlyElementsOf(alternatives(refusal));
  }

  @Test
  void eligibility_cancelledOrder_alreadyCancelled() {
    String buyer = unique("buyer");
    Order order = market.placed(buyer, unique("seller"));
    market.cancellations(buyer, BUYER).cancelOrder(cancelRequest(order.getOrderId(), Code.ORDERED_BY_ACCIDENT));

    CancellationEligibility eligibility = market.eligibility(buyer, BUYER, order.getOrderId());

    assertThat(eligibility.getOrderState()).isEqualTo(Order.State.CANCELLED);
    assertThat(eligibility.getOutcome()).isEqualTo(CancellationEligibility.Outcome.ALREADY_CANCELLED);
    assertThat(eligibility.getBlockedReason()).isEqualTo(BlockedReason.ORDER_ALREADY_CANCELLED);
    assertThat(eligibility.getReasonsList()).isEmpty();
    assertThat(eligibility.getRequestsRemaining()).isZero();
  }
}
