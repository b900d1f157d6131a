package dev.marketplace.orders.domain.refund;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.payment.PaymentMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** A refund is INITIATED with its expected arrival, then settled exactly once: COMPLETED or FAILED. */
class RefundTest {

  /** A Thursday. */
  private static final Instant CANCELLED_AT = Instant.parse("2026-11-26T10:15:30.123456Z");
  private static final Instant LATER = CANCELLED_AT.plus(Duration.ofDays(4));

  private final UUID id = UUID.randomUUID();
  private final UUID orderId = UUID.randomUUID();
  private final UUID requestId = UUID.randomUUID();

  @Test
  void initiated_carriesTheMoneyAndTheExpectedArrivalInBusinessDays() {
    Refund refund = initiated();

    assertThat(refund.state()).isEqualTo(RefundState.INITIATED);
    assertThat(refund.amount()).isEqualTo(new Money("USD", 2498));
    assertThat(refund.paymentMethod()).isEqualTo(PaymentMethod.CARD);
    assertThat(refund.window()).isEqualTo(new RefundWindow(3, 20));
    assertThat(refund.expectedEarliest()).as("Fri, Mon, Tue").isEqualTo(Instant.parse("2026-12-01T10:15:30.123456Z"));
    assertThat(refund.expectedLatest()).isEqualTo(Instant.parse("2026-12-24T10:15:30.123456Z"));
    assertThat(refund.createdAt()).isEqualTo(CANCELLED_AT);
    assertThat(refund.completedAt()).isNull();
    assertThat(refund.failureReason()).isEmpty();
    assertThat(refund.version()).isEqualTo(1);
  }

  @Test
  void completing_marksItCompletedAtThatTime() {
    Refund completed = initiated().complete(LATER);

    assertThat(completed.state()).isEqualTo(RefundState.COMPLETED);
    assertThat(completed.completedAt()).isEqualTo(LATER);
    assertThat(completed.failureReason()).isEmpty();
    assertThat(completed.version()).isEqualTo(2);
    assertThat(completed)
        .usingRecursiveComparison()
        .ignoringFields("state", "completedAt", "version")
        .isEqualTo(initiated());
  }

  @Test
  void failing_recordsWhy() {
    Refund failed = initiated().fail("card account closed", LATER);

    assertThat(failed.state()).isEqualTo(RefundState.FAILED);
    assertThat(failed.failureReason()).isEqualTo("card account closed");
    assertThat(failed.completedAt()).isEqualTo(LATER);
    assertThat(failed.version()).isEqualTo(2);
  }

  @Test
  void aSettledRefund_refusesEverySecondSettlement() {
    Refund completed = initiated().complete(LATER);
    Refund failed = initiated().fail("declined", LATER);

    assertRefusedAsSettled(completed, r -> r.complete(LATER.plusSeconds(1)), "COMPLETED");
    assertRefusedAsSettled(completed, r -> r.fail("late failure", LATER.plusSeconds(1)), "COMPLETED");
    assertRefusedAsSettled(failed, r -> r.complete(LATER.plusSeconds(1)), "FAILED");
    assertRefusedAsSettled(failed, r -> r.fail("again", LATER.plusSeconds(1)), "FAILED");
  }

  private void assertRefusedAsSettled(Refund settled, UnaryOperator<Refund> secondSettlement, String state) {
    StateConflictException refused = thrown(StateConflictException.class, () -> secondSettlement.apply(settled));

    assertThat(refused.reason()).isEqualTo("REFUND_ALREADY_SETTLED");
    assertThat(refused.metadata()).containsEntry("refundId", id.toString()).containsEntry("refundState", state);
    assertThat(refused.subject()).isEqualTo("refunds/" + id);
    assertThat(refused.retryDelay()).as("waiting does not help").isEmpty();
  }

  private Refund initiated() {
    return Refund.initiate(id, orderId, RefundKind.CANCELLATION, requestId, new Money("USD", 2498), PaymentMethod.CARD, new RefundWindow(3, 20), CANCELLED_AT);
  }
}
