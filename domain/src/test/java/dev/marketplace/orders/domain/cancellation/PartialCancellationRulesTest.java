package dev.marketplace.orders.domain.cancellation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketplace.orders.domain.error.FieldViolation;
import dev.marketplace.orders.domain.error.InvalidRequestException;
import dev.marketplace.orders.domain.order.LineQuantity;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.testing.SampleOrders;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The pure rules of cancelling part of an order (2 phone cases at 4.99, 1 cable at 15.00). */
class PartialCancellationRulesTest {

  private static final Instant NOW = Instant.parse("2026-03-03T10:00:00Z");

  private static Order order(OrderState state) {
    return SampleOrders.inState(state, UUID.randomUUID(), "buyer-1", "seller-1", NOW);
  }

  @Test
  void unitsThatExist_haveNoProblems_andCostTheirUnitPrice() {
    Order order = order(OrderState.AWAITING_SHIPMENT);
    List<LineQuantity> units = List.of(new LineQuantity(1, 1), new LineQuantity(0, 1));

    assertThat(PartialCancellation.problems(order, units)).isEmpty();
    assertThat(PartialCancellation.share(order, units)).isEqualTo(new Money("USD", 499 + 1500));
    assertThat(PartialCancellation.isWhole(order, units)).isFalse();
    assertThat(PartialCancellation.byLine(units)).containsExactly(new LineQuantity(0, 1), new LineQuantity(1, 1));
  }

  @Test
  void everyRemainingUnit_isAWholeCancellation() {
    Order order = order(OrderState.AWAITING_PAYMENT);
    assertThat(PartialCancellation.isWhole(order, List.of(new LineQuantity(0, 2), new LineQuantity(1, 1)))).isTrue();
    Order partly = order.cancelUnits(List.of(new LineQuantity(0, 1)), NOW);
    assertThat(PartialCancellation.isWhole(partly, List.of(new LineQuantity(0, 1), new LineQuantity(1, 1)))).isTrue();
  }

  @Test
  void missingLines_tooManyUnits_andRepeatedLines_areEachReported() {
    Order order = order(OrderState.AWAITING_PAYMENT).cancelUnits(List.of(new LineQuantity(0, 1)), NOW);

    List<FieldViolation> problems =
        PartialCancellation.problems(order, List.of(new LineQuantity(2, 1), new LineQuantity(0, 2), new LineQuantity(0, 1)));

    assertThat(problems)
        .extracting(FieldViolation::field)
        .containsExactly("line_items[0].line_index", "line_items[1].quantity", "line_items[2].line_index");
    assertThatThrownBy(() -> PartialCancellation.require(order, List.of(new LineQuantity(1, 2))))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("line 1 has 1 units left to cancel, not 2");
  }

  @Test
  void cancelUnits_countsThemCancelled_lowersTheTotal_andKeepsTheState() {
    Order order = order(OrderState.AWAITING_SHIPMENT);

    Order after = order.cancelUnits(List.of(new LineQuantity(0, 1)), NOW.plusSeconds(1));

    assertThat(after.state()).isEqualTo(OrderState.AWAITING_SHIPMENT);
    assertThat(after.version()).isEqualTo(order.version() + 1);
    assertThat(after.lineItems().get(0).cancelledQuantity()).isEqualTo(1);
    assertThat(after.lineItems().get(0).remainingQuantity()).isEqualTo(1);
    assertThat(after.total()).isEqualTo(new Money("USD", 499 + 1500));
    assertThat(PartialCancellation.details(after, List.of(new LineQuantity(0, 1))))
        .containsEntry("lines", "0:1")
        .containsEntry("units", "1")
        .containsEntry("line.0", "ordered=2,cancelled=1,remaining=1");
  }

  @Test
  void cancelUnits_ofAShippedOrder_isRefused() {
    Order shipped = order(OrderState.SHIPPED);
    assertThatThrownBy(() -> shipped.cancelUnits(List.of(new LineQuantity(0, 1)), NOW)).hasMessageContaining("SHIPPED");
  }
}
