package dev.marketplace.orders.domain.dispute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.error.FieldViolation;
import dev.marketplace.orders.domain.error.InvalidRequestException;
import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.testing.SampleOrders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The pure dispute rules: when an order may be disputed, and every transition of a dispute. */
class DisputeRulesTest {

  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  private static final DisputeSettings SETTINGS = DisputeSettings.defaults();
  private static final Principal BUYER = Principal.of("buyer-1", Role.BUYER);
  private static final Principal SELLER = Principal.of("seller-1", Role.SELLER);
  private static final Principal SUPPORT = Principal.of("agent-1", Role.SUPPORT);

  private static Order order(OrderState state) {
    return SampleOrders.inState(state, UUID.randomUUID(), "buyer-1", "seller-1", T0);
  }

  private static String reason(Runnable call) {
    try {
      call.run();
    } catch (StateConflictException e) {
      return e.reason();
    }
    throw new AssertionError("not refused");
  }

  @ParameterizedTest
  @EnumSource(value = OrderState.class, names = {"AWAITING_PAYMENT", "PAYMENT_PROCESSING", "CANCELLED"})
  void unpaidAndCancelledOrders_areNotDisputable(OrderState state) {
    assertThat(reason(() -> DisputeRules.requireDisputable(order(state), true, false, Optional.empty(), T0, SETTINGS)))
        .isEqualTo(DisputeRules.ORDER_NOT_DISPUTABLE);
  }

  @Test
  void awaitingShipment_onlyAfterARejection_andWithNothingElseWaiting() {
    Order paid = order(OrderState.AWAITING_SHIPMENT);
    assertThat(reason(() -> DisputeRules.requireDisputable(paid, false, false, Optional.empty(), T0, SETTINGS)))
        .isEqualTo(DisputeRules.ORDER_NOT_DISPUTABLE);
    assertThat(reason(() -> DisputeRules.requireDisputable(paid, true, true, Optional.empty(), T0, SETTINGS)))
        .isEqualTo(DisputeRules.OPEN_REQUEST_FIRST);
    DisputeRules.requireDisputable(paid, true, false, Optional.empty(), T0, SETTINGS);
  }

  @Test
  void delivered_withinTheWindowOnly_andWithEvidence() {
    Order delivered = order(OrderState.DELIVERED);
    Instant deliveredAt = delivered.shipment().deliveredAt();
    DisputeRules.requireDisputable(delivered, false, false, Optional.empty(), deliveredAt.plus(Duration.ofDays(15)).minusNanos(1000), SETTINGS);
    assertThat(reason(() -> DisputeRules.requireDisputable(delivered, false, false, Optional.empty(), deliveredAt.plus(Duration.ofDays(15)), SETTINGS)))
        .isEqualTo(DisputeRules.DISPUTE_WINDOW_CLOSED);
    assertThat(DisputeRules.evidenceRequired(delivered, List.of())).extracting(FieldViolation::field).containsExactly("evidence_uris");
    assertThat(DisputeRules.evidenceRequired(order(OrderState.SHIPPED), List.of())).isEmpty();
  }

  @Test
  void oneOpenDisputePerOrder() {
    Order shipped = order(OrderState.SHIPPED);
    Dispute open = open(shipped, null);
    assertThat(reason(() -> DisputeRules.requireDisputable(shipped, false, false, Optional.of(open), T0, SETTINGS)))
        .isEqualTo(DisputeRules.DISPUTE_ALREADY_OPEN);
  }

  @Test
  void amounts_positive_inTheOrdersCurrency_atMostWhatIsRefundable() {
    Order shipped = order(OrderState.SHIPPED);
    assertThat(DisputeRules.refundAmount(shipped, SampleOrders.TOTAL, "x")).isEqualTo(SampleOrders.TOTAL);
    assertThat(reason(() -> DisputeRules.refundAmount(shipped, new Money("USD", SampleOrders.TOTAL.amountMinor() + 1), "x")))
        .isEqualTo("REFUND_EXCEEDS_REFUNDABLE");
    assertThatThrownBy(() -> DisputeRules.refundAmount(shipped, new Money("USD", 0), "x")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> DisputeRules.refundAmount(shipped, new Money("EUR", 100), "x")).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void fieldProblems_descriptionAndEvidence() {
    assertThat(DisputeRules.problems(" ", List.of("http://x.example/a", "https://ok.example/b")))
        .extracting(FieldViolation::field)
        .containsExactly("description", "evidence_uris[0]");
    assertThat(DisputeRules.problems("broken", List.of("https://a.example/1", "https://a.example/2", "https://a.example/3", "https://a.example/4",
            "https://a.example/5", "https://a.example/6")))
        .extracting(FieldViolation::field)
        .containsExactly("evidence_uris");
  }

  @Test
  void theLifeOfADispute() {
    Dispute open = open(order(OrderState.SHIPPED), null);
    assertThat(open.state()).isEqualTo(DisputeState.OPEN);
    assertThat(open.respondBy()).isEqualTo(T0.plus(Duration.ofDays(15)));
    assertThat(open.escalableFrom()).isEqualTo(T0.plus(Duration.ofDays(3)));
    assertThat(open.isDue(open.respondBy().minusNanos(1000))).isFalse();
    assertThat(open.isDue(open.respondBy())).isTrue();

    Dispute offered = open.offer(SELLER, new Money("USD", 100), "half", T0);
    assertThat(offered.state()).isEqualTo(DisputeState.OFFERED);
    Dispute accepted = offered.acceptOffer(BUYER, T0);
    assertThat(accepted.outcome()).isEqualTo(DisputeOutcome.OFFER_ACCEPTED);
    assertThat(accepted.refunded()).isEqualTo(new Money("USD", 100));
    assertThat(accepted.isDue(accepted.respondBy())).as("a resolved dispute has no deadline").isFalse();
    assertThat(reason(() -> accepted.withdraw(BUYER, T0))).isEqualTo(Dispute.DISPUTE_STATE_CONFLICT);

    Dispute rejected = open.reject(SELLER, "no", List.of(), T0);
    assertThatThrownBy(() -> rejected.acceptOffer(BUYER, T0)).isInstanceOf(StateConflictException.class);
    Dispute escalated = rejected.escalate("buyer-1", Role.BUYER, T0);
    assertThat(escalated.isDue(escalated.respondBy())).as("support's now: no deadline").isFalse();
    assertThatThrownBy(() -> escalated.acceptBySeller(SELLER, "", SampleOrders.TOTAL, T0)).isInstanceOf(StateConflictException.class);
    Dispute none = escalated.resolveBySupport(SUPPORT, DisputeOutcome.SUPPORT_NO_REFUND, null, "no evidence", T0);
    assertThat(none.refunded()).isNull();
    assertThat(none.supportNote()).isEqualTo("no evidence");
    assertThat(escalated.withdraw(BUYER, T0).state()).isEqualTo(DisputeState.WITHDRAWN);
  }

  @Test
  void escalationTooEarly_carriesTheRetryDelay() {
    Dispute open = open(order(OrderState.SHIPPED), new Money("USD", 100));
    StateConflictException early = open.escalationTooEarly(T0.plus(Duration.ofDays(1)));
    assertThat(early.reason()).isEqualTo("DISPUTE_ESCALATION_TOO_EARLY");
    assertThat(early.retryDelay()).contains(Duration.ofDays(2));
  }

  private static Dispute open(Order order, Money asked) {
    return Dispute.open(
        UUID.randomUUID(), order.id(), order.buyerId(), order.sellerId(), DisputeReason.NOT_RECEIVED, "not here", List.of(), asked, "USD", T0,
        SETTINGS);
  }
}
