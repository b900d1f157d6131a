package dev.marketplace.orders.domain.usecase;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.error.FieldViolation;
import dev.marketplace.orders.domain.error.InvalidRequestException;
import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.history.OrderEvent;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.order.PaymentCapture;
import dev.marketplace.orders.domain.order.PaymentReport.Outcome;
import dev.marketplace.orders.domain.order.PaymentReport;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.testing.SampleOrders;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Payments reports an order's payment: processing, captured for the exact total, or failed. */
class PaymentReportsTest extends OrdersFixture {

  // --- payments ---------------------------------------------------------------------------------

  @Test
  void paymentProcessing_movesTheOrderToPaymentProcessing() {
    UUID id = idOf(create(buyer, seller));
    clock.advance(Duration.ofSeconds(10));

    String response = report(new PaymentReport(id, Outcome.PROCESSING, "", null, ""));

    Order order = orders.get(buyer, id);
    assertThat(response).isEqualTo(FORMAT.render(order));
    assertThat(order.state()).isEqualTo(OrderState.PAYMENT_PROCESSING);
    assertThat(order.version()).isEqualTo(2);
    assertThat(order.updatedAt()).isEqualTo(clock.instant().truncatedTo(ChronoUnit.MICROS));
    assertThat(lastEvent(id))
        .extracting(OrderEvent::type, OrderEvent::actorSubject, OrderEvent::actorRole, OrderEvent::orderState)
        .containsExactly(OrderEventType.PAYMENT_PROCESSING, "payments", Role.SERVICE, OrderState.PAYMENT_PROCESSING);
  }

  @Test
  void paymentCapturedForTheExactTotal_movesTheOrderToAwaitingShipmentWithTheCapture() {
    UUID id = idOf(create(buyer, seller));
    report(new PaymentReport(id, Outcome.PROCESSING, "", null, ""));
    Instant capturedAt = clock.advance(Duration.ofSeconds(30)).truncatedTo(ChronoUnit.MICROS);

    report(new PaymentReport(id, Outcome.CAPTURED, "psp-ref-77", SampleOrders.TOTAL, ""));

    Order order = orders.get(buyer, id);
    assertThat(order.state()).isEqualTo(OrderState.AWAITING_SHIPMENT);
    assertThat(order.version()).isEqualTo(3);
    assertThat(order.payment()).isEqualTo(new PaymentCapture("psp-ref-77", capturedAt, SampleOrders.TOTAL));
    OrderEvent captured = lastEvent(id);
    assertThat(captured.type()).isEqualTo(OrderEventType.PAYMENT_CAPTURED);
    assertThat(captured.sequence()).isEqualTo(3);
    assertThat(captured.details())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("paymentReference", "psp-ref-77", "amount", "2498", "currencyCode", "USD"));
  }

  @Test
  void paymentCapturedForAnotherAmountOrCurrency_isRefusedOnFieldAmountAndChangesNothing() {
    UUID id = idOf(create(buyer, seller));

    for (Money wrong : List.of(new Money("USD", 2497), new Money("USD", 2499), new Money("EUR", 2498))) {
      InvalidRequestException refused =
          thrown(
              InvalidRequestException.class,
              () -> report(new PaymentReport(id, Outcome.CAPTURED, "psp-ref", wrong, "")));

      assertThat(refused.violations()).extracting(FieldViolation::field).as("for %s", wrong).containsExactly("amount");
    }
    Order order = orders.get(buyer, id);
    assertThat(order.state()).isEqualTo(OrderState.AWAITING_PAYMENT);
    assertThat(order.version()).isEqualTo(1);
    assertThat(order.payment()).isNull();
    assertThat(countEvents(id)).isEqualTo(1);
  }

  @Test
  void paymentFailedWhileProcessing_returnsTheOrderToAwaitingPaymentAndRecordsWhy() {
    UUID id = idOf(create(buyer, seller));
    report(new PaymentReport(id, Outcome.PROCESSING, "", null, ""));

    report(new PaymentReport(id, Outcome.FAILED, "", null, "card declined – carte refusée"));

    Order order = orders.get(buyer, id);
    assertThat(order.state()).isEqualTo(OrderState.AWAITING_PAYMENT);
    assertThat(order.version()).isEqualTo(3);
    assertThat(lastEvent(id).type()).isEqualTo(OrderEventType.PAYMENT_FAILED);
    assertThat(lastEvent(id).details()).containsExactlyEntriesOf(Map.of("failureReason", "card declined – carte refusée"));
  }

  @Test
  void paymentFailedWithoutAReason_recordsNoDetails() {
    UUID id = idOf(create(buyer, seller));
    report(new PaymentReport(id, Outcome.PROCESSING, "", null, ""));

    report(new PaymentReport(id, Outcome.FAILED, "", null, ""));

    assertThat(lastEvent(id).details()).isEmpty();
  }

  @Test
  void paymentFailedForAnOrderNotBeingVerified_isRefusedWithCurrentState() {
    UUID id = idOf(create(buyer, seller));

    StateConflictException refused =
        thrown(
            StateConflictException.class, () -> report(new PaymentReport(id, Outcome.FAILED, "", null, "x")));

    assertThat(refused.metadata()).containsEntry("orderState", "AWAITING_PAYMENT").containsEntry("targetState", "AWAITING_PAYMENT");
    assertThat(countEvents(id)).isEqualTo(1);
  }
}
