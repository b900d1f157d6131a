package dev.marketplace.orders.domain.cancellation;

import static dev.marketplace.orders.domain.cancellation.Alternative.CONTACT_SELLER;
import static dev.marketplace.orders.domain.cancellation.Alternative.OPEN_DISPUTE;
import static dev.marketplace.orders.domain.cancellation.Alternative.RETURN_AFTER_DELIVERY;
import static dev.marketplace.orders.domain.cancellation.Alternative.TRACK_SHIPMENT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.cancellation.Eligibility.Outcome;
import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.refund.RefundWindowPolicy;
import dev.marketplace.orders.domain.testing.SampleOrders;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** SPEC §3's cancellation table, row by row, as a pure function of order, pending request, requests made and time. */
class CancellationPolicyTest {

  private static final Instant NOW = Instant.parse("2026-11-26T10:15:30.123456Z");
  /** Not the defaults, so that a rule reading a hard-coded value instead of the setting fails. */
  private static final CancellationSettings SETTINGS =
      new CancellationSettings(Duration.ofHours(48), 3, Duration.ofSeconds(90), RefundWindowPolicy.defaults());

  private final CancellationPolicy policy = new CancellationPolicy(SETTINGS);

  @Test
  void unpaidOrder_isCancelledImmediately_offeringEveryReason() {
    Order order = order(OrderState.AWAITING_PAYMENT);

    Eligibility e = policy.decide(order, Optional.empty(), 0, NOW);

    assertThat(e.outcome()).isEqualTo(Outcome.CANCEL_IMMEDIATELY);
    assertThat(e.orderId()).isEqualTo(order.id());
    assertThat(e.orderState()).isEqualTo(OrderState.AWAITING_PAYMENT);
    assertThat(e.blockedReason()).isEmpty();
    assertThat(e.retryAfter()).isEmpty();
    assertThat(e.respondByIfRequestedNow()).as("nobody has to answer").isEmpty();
    assertThat(e.reasons()).containsExactly(CancellationReason.values());
  }

  @Test
  void orderInPaymentVerification_isRetryLater_withTheConfiguredDelay() {
    Eligibility e = policy.decide(order(OrderState.PAYMENT_PROCESSING), Optional.empty(), 0, NOW);

    assertThat(e.outcome()).isEqualTo(Outcome.RETRY_LATER);
    assertThat(e.blockedReason()).contains("PAYMENT_VERIFICATION_IN_PROGRESS");
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(90));
    assertThat(e.respondByIfRequestedNow()).isEmpty();
  }

  @Test
  void paidOrderAwaitingShipment_needsTheSellersApproval_answerableWithinTheResponseWindow() {
    Eligibility e = policy.decide(order(OrderState.AWAITING_SHIPMENT), Optional.empty(), 0, NOW);

    assertThat(e.outcome()).isEqualTo(Outcome.REQUEST_SELLER_APPROVAL);
    assertThat(e.blockedReason()).isEmpty();
    assertThat(e.respondByIfRequestedNow()).contains(NOW.plus(Duration.ofHours(48)));
    assertThat(e.reasons()).containsExactly(CancellationReason.values());
    assertThat(e.requestsRemaining()).isEqualTo(3);
    assertThat(e.pendingRequest()).isEmpty();
  }

  @Test
  void afterARejectedRequest_theBuyerMayAskAgain_withOneRequestFewerLeft() {
    Eligibility e = policy.decide(order(OrderState.AWAITING_SHIPMENT), Optional.empty(), 2, NOW);

    assertThat(e.outcome()).isEqualTo(Outcome.REQUEST_SELLER_APPROVAL);
    assertThat(e.requestsRemaining()).isEqualTo(1);
  }

  @Test
  void withARequestPending_saysSoAndShowsThePendingRequest() {
    Order order = order(OrderState.AWAITING_SHIPMENT);
    CancellationRequest pending = pendingRequestFor(order);

    Eligibility e = policy.decide(order, Optional.of(pending), 1, NOW);

    assertThat(e.outcome()).isEqualTo(Outcome.REQUEST_PENDING);
    assertThat(e.blockedReason()).contains("CANCELLATION_REQUEST_PENDING");
    assertThat(e.pendingRequest()).contains(pending);
    assertThat(e.respondByIfRequestedNow()).isEmpty();
    assertThat(e.reasons()).isEmpty();
  }

  @Test
  void requestsUsedUp_isNotCancellable_limitReached() {
    Eligibility e = policy.decide(order(OrderState.AWAITING_SHIPMENT), Optional.empty(), 3, NOW);

    assertThat(e.outcome()).isEqualTo(Outcome.NOT_CANCELLABLE);
    assertThat(e.blockedReason()).contains("CANCELLATION_REQUEST_LIMIT_REACHED");
    assertThat(e.requestsRemaining()).isZero();
    assertThat(e.respondByIfRequestedNow()).isEmpty();
    assertThat(e.alternatives()).contains(CONTACT_SELLER, OPEN_DISPUTE);
  }

  @Test
  void moreRequestsThanTheLimit_stillLeaveZeroRemaining_notANegativeCount() {
    Eligibility e = policy.decide(order(OrderState.AWAITING_SHIPMENT), Optional.empty(), 5, NOW);

    assertThat(e.outcome()).isEqualTo(Outcome.NOT_CANCELLABLE);
    assertThat(e.requestsRemaining()).isZero();
  }

  @ParameterizedTest
  @EnumSource(value = OrderState.class, names = {"SHIPPED", "DELIVERED"})
  void shippedOrDeliveredOrder_isNotCancellable_andOffersTheSeedsAlternatives(OrderState state) {
    Eligibility e = policy.decide(order(state), Optional.empty(), 0, NOW);

    assertThat(e.outcome()).isEqualTo(Outcome.NOT_CANCELLABLE);
    assertThat(e.blockedReason()).contains("ORDER_ALREADY_SHIPPED");
    assertThat(e.reasons()).isEmpty();
    // SPEC §3: "SHIPPED, DELIVERED ... with the alternatives: track shipment, contact seller, open a dispute,
    // return after delivery".
    assertThat(e.alternatives()).containsExactlyInAnyOrder(TRACK_SHIPMENT, CONTACT_SELLER, OPEN_DISPUTE, RETURN_AFTER_DELIVERY);
  }

  @Test
  void cancelledOrder_isAlreadyCancelled() {
    Eligibility e = policy.decide(order(OrderState.CANCELLED), Optional.empty(), 1, NOW);

    assertThat(e.outcome()).isEqualTo(Outcome.ALREADY_CANCELLED);
    assertThat(e.blockedReason()).contains("ORDER_ALREADY_CANCELLED");
    assertThat(e.requestsRemaining()).isZero();
    assertThat(e.reasons()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(OrderState.class)
  void everyOrderState_hasADecision_thatIsBlockedExactlyWhenACancelCannotProceed(OrderState state) {
    Eligibility e = policy.decide(order(state), Optional.empty(), 0, NOW);

    boolean proceeds = e.outcome() == Outcome.CANCEL_IMMEDIATELY || e.outcome() == Outcome.REQUEST_SELLER_APPROVAL;
    assertThat(e.blockedReason().isPresent()).as("blocked reason for %s", e.outcome()).isEqualTo(!proceeds);
  }

  // --- the refusal a blocked cancel gets ----------------------------------------------------------

  @Test
  void refusalDuringPaymentVerification_carriesReasonStateAndRetryDelay() {
    Order order = order(OrderState.PAYMENT_PROCESSING);

    StateConflictException refusal = CancellationPolicy.refusal(policy.decide(order, Optional.empty(), 0, NOW));

    assertThat(refusal.reason()).isEqualTo("PAYMENT_VERIFICATION_IN_PROGRESS");
    assertThat(refusal.retryDelay()).contains(Duration.ofSeconds(90));
    assertThat(refusal.metadata())
        .containsEntry("orderId", order.id().toString())
        .containsEntry("orderState", "PAYMENT_PROCESSING")
        .containsEntry("retryAfterSeconds", "90");
    assertThat(refusal.subject()).isEqualTo("orders/" + order.id());
    assertThat(refusal.violationType()).isEqualTo("ORDER_STATE");
    assertThat(refusal.getMessage()).isNotBlank().isNotEqualTo(refusal.reason());
  }

  @Test
  void refusalOfAShippedOrder_listsTheAlternatives_andSuggestsNoRetry() {
    StateConflictException refusal =
        CancellationPolicy.refusal(policy.decide(order(OrderState.SHIPPED), Optional.empty(), 0, NOW));

    assertThat(refusal.reason()).isEqualTo("ORDER_ALREADY_SHIPPED");
    assertThat(refusal.metadata()).containsEntry("orderState", "SHIPPED").doesNotContainKey("retryAfterSeconds");
    assertThat(Arrays.asList(refusal.metadata().get("alternatives").split(",")))
        .containsExactlyInAnyOrder("TRACK_SHIPMENT", "CONTACT_SELLER", "OPEN_DISPUTE", "RETURN_AFTER_DELIVERY");
    assertThat(refusal.retryDelay()).isEmpty();
    assertThat(refusal.getMessage()).contains("dispute");
  }

  @Test
  void refusalWhileARequestIsPending_namesTheRequestAndItsDeadline() {
    Order order = order(OrderState.AWAITING_SHIPMENT);
    CancellationRequest pending = pendingRequestFor(order);

    StateConflictException refusal = CancellationPolicy.refusal(policy.decide(order, Optional.of(pending), 1, NOW));

    assertThat(refusal.reason()).isEqualTo("CANCELLATION_REQUEST_PENDING");
    assertThat(refusal.metadata())
        .containsEntry("orderState", "AWAITING_SHIPMENT")
        .containsEntry("cancellationRequestId", pending.id().toString())
        .containsEntry("respondBy", pending.respondBy().toString());
  }

  @Test
  void refusalsForTheLimitAndForACancelledOrder_carryTheirReasonAndState() {
    StateConflictException limit =
        CancellationPolicy.refusal(policy.decide(order(OrderState.AWAITING_SHIPMENT), Optional.empty(), 3, NOW));
    StateConflictException cancelled =
        CancellationPolicy.refusal(policy.decide(order(OrderState.CANCELLED), Optional.empty(), 0, NOW));

    assertThat(limit.reason()).isEqualTo("CANCELLATION_REQUEST_LIMIT_REACHED");
    assertThat(limit.metadata()).containsEntry("orderState", "AWAITING_SHIPMENT");
    assertThat(Arrays.asList(limit.metadata().get("alternatives").split(","))).contains("OPEN_DISPUTE");
    assertThat(cancelled.reason()).isEqualTo("ORDER_ALREADY_CANCELLED");
    assertThat(cancelled.metadata()).containsEntry("orderState", "CANCELLED");
  }

  @Test
  void defaultSettings_giveSellers72HoursAndBuyersTwoRequests() {
    CancellationPolicy defaults = new CancellationPolicy(CancellationSettings.defaults());
    Order order = order(OrderState.AWAITING_SHIPMENT);

    assertThat(defaults.decide(order, Optional.empty(), 0, NOW).respondByIfRequestedNow())
        .contains(NOW.plus(Duration.ofHours(72)));
    assertThat(defaults.decide(order, Optional.empty(), 1, NOW).outcome()).isEqualTo(Outcome.REQUEST_SELLER_APPROVAL);
    assertThat(defaults.decide(order, Optional.empty(), 2, NOW).outcome()).isEqualTo(Outcome.NOT_CANCELLABLE);
  }

  private static Order order(OrderState state) {
    return SampleOrders.inState(state, UUID.randomUUID(), "buyer-1", "seller-1", NOW.minus(Duration.ofDays(1)));
  }

  private static CancellationRequest pendingRequestFor(Order order) {
    Instant opened = NOW.minus(Duration.ofHours(5));
    return CancellationRequest.open(
        UUID.randomUUID(), "CR-0123456789", order.id(), order.buyerId(), order.sellerId(),
        CancellationReason.WRONG_ITEM_OR_SIZE, "", opened, opened.plus(Duration.ofHours(48)));
  }
}
