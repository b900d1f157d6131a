package dev.marketplace.orders.domain.order;

import static dev.marketplace.orders.domain.order.OrderState.AWAITING_PAYMENT;
import static dev.marketplace.orders.domain.order.OrderState.AWAITING_SHIPMENT;
import static dev.marketplace.orders.domain.order.OrderState.CANCELLED;
import static dev.marketplace.orders.domain.order.OrderState.DELIVERED;
import static dev.marketplace.orders.domain.order.OrderState.PAYMENT_PROCESSING;
import static dev.marketplace.orders.domain.order.OrderState.SHIPPED;
import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.testing.SampleOrders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OrderStateMachineTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:15:30.123456Z"), ZoneOffset.UTC);
  private static final Instant CREATED = CLOCK.instant();
  private static final Instant LATER = CREATED.plus(Duration.ofHours(3));
  private static final UUID ID = UUID.fromString("019abc00-0000-7000-8000-000000000001");

  /**
   * Each transition method with the states it may start from, written out from SPEC §3 (not derived
   * from {@link OrderState#successors()}, so that a wrong table there fails here).
   */
  enum Transition {
    START_PAYMENT_VERIFICATION(PAYMENT_PROCESSING, EnumSet.of(AWAITING_PAYMENT), (o, t) -> o.startPaymentVerification(t)),
    CAPTURE_PAYMENT(AWAITING_SHIPMENT, EnumSet.of(AWAITING_PAYMENT, PAYMENT_PROCESSING), (o, t) -> o.capturePayment("pay-1", t)),
    FAIL_PAYMENT(AWAITING_PAYMENT, EnumSet.of(PAYMENT_PROCESSING), (o, t) -> o.failPayment(t)),
    SHIP(SHIPPED, EnumSet.of(AWAITING_SHIPMENT), (o, t) -> o.ship("DHL", "JD0001", t)),
    CONFIRM_DELIVERY(DELIVERED, EnumSet.of(SHIPPED), (o, t) -> o.confirmDelivery(t));

    final OrderState target;
    final Set<OrderState> from;
    final BiFunction<Order, Instant, Order> apply;

    Transition(OrderState target, Set<OrderState> from, BiFunction<Order, Instant, Order> apply) {
      this.target = target;
      this.from = from;
      this.apply = apply;
    }
  }

  private static Order orderIn(OrderState state) {
    return SampleOrders.inState(state, ID, "buyer-1", "seller-1", CREATED);
  }

  static Stream<Arguments> allowedTransitions() {
    return Arrays.stream(Transition.values())
        .flatMap(t -> t.from.stream().map(state -> Arguments.of(state, t)));
  }

  static Stream<Arguments> refusedTransitions() {
    return Arrays.stream(Transition.values())
        .flatMap(
            t ->
                Arrays.stream(OrderState.values())
                    .filter(state -> !t.from.contains(state))
                    .map(state -> Arguments.of(state, t)));
  }

  @Test
  void placedOrder_awaitsPaymentAtVersionOne() {
    Order order = Order.place(ID, SampleOrders.newOrder("buyer-1", "seller-1"), CREATED);

    assertThat(order.state()).isEqualTo(AWAITING_PAYMENT);
    assertThat(order.version()).isEqualTo(1);
    assertThat(order.createdAt()).isEqualTo(CREATED);
    assertThat(order.updatedAt()).isEqualTo(CREATED);
    assertThat(order.paymentCapture()).isEmpty();
    assertThat(order.shipmentInfo()).isEmpty();
    assertThat(order.buyerId()).isEqualTo("buyer-1");
    assertThat(order.sellerId()).isEqualTo("seller-1");
  }

  @Test
  void startingPaymentVerification_movesToPaymentProcessing() {
    Order before = orderIn(AWAITING_PAYMENT);

    Order after = before.startPaymentVerification(LATER);

    assertThat(after.state()).isEqualTo(PAYMENT_PROCESSING);
    assertThat(after.version()).isEqualTo(before.version() + 1);
    assertThat(after.updatedAt()).isEqualTo(LATER);
    assertThat(after.createdAt()).isEqualTo(CREATED);
    assertThat(after.payment()).isNull();
    assertThat(after.shipment()).isNull();
  }

  @Test
  void capturingPaymentOfAnUnverifiedOrder_movesToAwaitingShipmentWithTheCapture() {
    Order before = orderIn(AWAITING_PAYMENT);

    Order after = before.capturePayment("pay-42", LATER);

    assertThat(after.state()).isEqualTo(AWAITING_SHIPMENT);
    assertThat(after.version()).isEqualTo(before.version() + 1);
    assertThat(after.updatedAt()).isEqualTo(LATER);
    assertThat(after.payment()).isEqualTo(new PaymentCapture("pay-42", LATER, before.total()));
    assertThat(after.shipment()).isNull();
  }

  @Test
  void capturingPaymentWhileVerifying_movesToAwaitingShipmentWithTheCapture() {
    Order before = orderIn(AWAITING_PAYMENT).startPaymentVerification(CREATED.plusSeconds(1));

    Order after = before.capturePayment("pay-43", LATER);

    assertThat(after.state()).isEqualTo(AWAITING_SHIPMENT);
    assertThat(after.version()).isEqualTo(before.version() + 1);
    assertThat(after.updatedAt()).isEqualTo(LATER);
    assertThat(after.paymentCapture()).contains(new PaymentCapture("pay-43", LATER, before.total()));
  }

  @Test
  void failingPaymentWhileVerifying_returnsToAwaitingPaymentWithoutCapture() {
    Order before = orderIn(PAYMENT_PROCESSING);

    Order after = before.failPayment(LATER);

    assertThat(after.state()).isEqualTo(AWAITING_PAYMENT);
    assertThat(after.version()).isEqualTo(before.version() + 1);
    assertThat(after.updatedAt()).isEqualTo(LATER);
    assertThat(after.payment()).isNull();
    assertThat(after.shipment()).isNull();
  }

  @Test
  void shippingAPaidOrder_recordsCarrierTrackingAndShipTimeAndKeepsThePayment() {
    Order before = orderIn(AWAITING_SHIPMENT);

    Order after = before.ship("DHL", "JD014600006281", LATER);

    assertThat(after.state()).isEqualTo(SHIPPED);
    assertThat(after.version()).isEqualTo(before.version() + 1);
    assertThat(after.updatedAt()).isEqualTo(LATER);
    assertThat(after.shipment()).isEqualTo(new Shipment("DHL", "JD014600006281", LATER, null));
    assertThat(after.payment()).isEqualTo(before.payment()).isNotNull();
  }

  @Test
  void confirmingDeliveryOfAShippedOrder_recordsDeliveryTimeAndKeepsTheShipment() {
    Order before = orderIn(SHIPPED);

    Order after = before.confirmDelivery(LATER);

    assertThat(after.state()).isEqualTo(DELIVERED);
    assertThat(after.version()).isEqualTo(before.version() + 1);
    assertThat(after.updatedAt()).isEqualTo(LATER);
    Shipment shipped = before.shipment();
    assertThat(after.shipment())
        .isEqualTo(new Shipment(shipped.carrier(), shipped.trackingNumber(), shipped.shippedAt(), LATER));
    assertThat(after.payment()).isEqualTo(before.payment());
  }

  @Test
  void fullLifecycleWithARetriedPayment_countsOneVersionPerStep() {
    Order placed = Order.place(ID, SampleOrders.newOrder("buyer-1", "seller-1"), CREATED);

    Order delivered =
        placed
            .startPaymentVerification(CREATED.plusSeconds(1))
            .failPayment(CREATED.plusSeconds(2))
            .capturePayment("pay-2", CREATED.plusSeconds(3))
            .ship("UPS", "1Z", CREATED.plusSeconds(4))
            .confirmDelivery(CREATED.plusSeconds(5));

    assertThat(delivered.state()).isEqualTo(DELIVERED);
    assertThat(delivered.version()).isEqualTo(6);
    assertThat(delivered.createdAt()).isEqualTo(CREATED);
    assertThat(delivered.updatedAt()).isEqualTo(CREATED.plusSeconds(5));
    assertThat(delivered.payment()).isEqualTo(new PaymentCapture("pay-2", CREATED.plusSeconds(3), delivered.total()));
    assertThat(delivered.shipment())
        .isEqualTo(new Shipment("UPS", "1Z", CREATED.plusSeconds(4), CREATED.plusSeconds(5)));
    assertThat(placed.state()).as("transitions leave the original untouched").isEqualTo(AWAITING_PAYMENT);
  }

  @ParameterizedTest(name = "{1} from {0}")
  @MethodSource("allowedTransitions")
  void everyAllowedTransition_reachesItsTargetAtTheNextVersion(OrderState from, Transition transition) {
    Order before = orderIn(from);

    Order after = transition.apply.apply(before, LATER);

    assertThat(after.state()).isEqualTo(transition.target);
    assertThat(after.version()).isEqualTo(before.version() + 1);
    assertThat(after.updatedAt()).isEqualTo(LATER);
    assertThat(after.id()).isEqualTo(before.id());
    assertThat(after.lineItems()).isEqualTo(before.lineItems());
  }

  @ParameterizedTest(name = "{1} from {0}")
  @MethodSource("refusedTransitions")
  void everyRefusedTransition_throwsStateConflictWithCurrentAndTargetState(
      OrderState from, Transition transition) {
    Order before = orderIn(from);

    StateConflictException refused =
        thrown(
            StateConflictException.class, () -> transition.apply.apply(before, LATER));

    assertThat(refused.reason()).isEqualTo("INVALID_STATE_TRANSITION");
    assertThat(refused.metadata())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "orderId", ID.toString(),
                "orderState", from.name(),
                "targetState", transition.target.name()));
    assertThat(refused.subject()).isEqualTo("orders/" + ID);
    assertThat(refused.violationType()).isEqualTo("ORDER_STATE");
    assertThat(refused.retryDelay()).isEmpty();
    assertThat(refused.getMessage()).contains(from.name()).contains(transition.target.name());
  }

  @Test
  void shippingAnOrderAwaitingPayment_isRefusedWithCurrentState() {
    StateConflictException refused =
        thrown(
            StateConflictException.class,
            () -> orderIn(AWAITING_PAYMENT).ship("DHL", "JD1", LATER));

    assertThat(refused.metadata())
        .containsEntry("orderState", "AWAITING_PAYMENT")
        .containsEntry("targetState", "SHIPPED");
  }

  @Test
  void successors_areExactlyTheLifecycleOfSpecSection3() {
    Map<OrderState, Set<OrderState>> expected =
        Map.of(
            AWAITING_PAYMENT, Set.of(PAYMENT_PROCESSING, AWAITING_SHIPMENT, CANCELLED),
            PAYMENT_PROCESSING, Set.of(AWAITING_SHIPMENT, AWAITING_PAYMENT),
            AWAITING_SHIPMENT, Set.of(SHIPPED, CANCELLED),
            SHIPPED, Set.of(DELIVERED),
            DELIVERED, Set.of(),
            CANCELLED, Set.of());

    assertThat(expected).containsOnlyKeys(OrderState.values());
    for (OrderState state : OrderState.values()) {
      assertThat(state.successors()).as("successors of %s", state).isEqualTo(expected.get(state));
      for (OrderState next : OrderState.values()) {
        assertThat(state.canBecome(next))
            .as("%s -> %s", state, next)
            .isEqualTo(expected.get(state).contains(next));
      }
    }
  }

  @Test
  void onlyDeliveredAndCancelled_areTerminal() {
    assertThat(Arrays.stream(OrderState.values()).filter(OrderState::isTerminal))
        .containsExactlyInAnyOrder(DELIVERED, CANCELLED);
  }
}
