package dev.marketplace.orders.domain.usecase;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.error.NotFoundException;
import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.history.OrderEvent;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.idempotency.IdempotencyKey;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.refund.Refund;
import dev.marketplace.orders.domain.refund.RefundResult;
import dev.marketplace.orders.domain.refund.RefundState;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Payments reports how a refund ended: completed or failed, once. */
class RefundResultsTest extends CancellationsFixture {

  // --- refund results ---------------------------------------------------------------------------

  @Test
  void paymentsReportsTheRefundCompleted_onceOnly() {
    UUID id = paidOrder(buyer, seller);
    Refund refund = approve(seller, requestCancellation(id).id()).refund().orElseThrow();
    Instant now = advance(Duration.ofDays(4));
    IdempotencyKey key = key(payments, "RecordRefundResult", refund.id() + "/completed");

    Refund completed = cancellations.recordRefundResult(payments, key, new RefundResult(refund.id(), true, ""), refundResponses);

    assertThat(completed.state()).isEqualTo(RefundState.COMPLETED);
    assertThat(completed.completedAt()).isEqualTo(now);
    assertThat(orders.get(buyer, id).refundInfo()).contains(completed);
    OrderEvent event = lastEvent(id);
    assertThat(event.type()).isEqualTo(OrderEventType.REFUND_COMPLETED);
    assertThat(event.actorSubject()).isEqualTo("payments");
    assertThat(event.actorRole()).isEqualTo(Role.SERVICE);
    assertThat(event.orderState()).isEqualTo(OrderState.CANCELLED);
    assertThat(event.details()).containsEntry("refundId", refund.id().toString());

    Refund replay = cancellations.recordRefundResult(payments, key, new RefundResult(refund.id(), true, ""), refundResponses);
    StateConflictException second =
        thrown(
            StateConflictException.class,
            () ->
                cancellations.recordRefundResult(
                    payments, key(payments, "RecordRefundResult", refund.id() + "/failed"),
                    new RefundResult(refund.id(), false, "insufficient funds"), refundResponses));

    assertThat(replay).isSameAs(completed);
    assertThat(second.reason()).isEqualTo("REFUND_ALREADY_SETTLED");
    assertThat(second.metadata()).containsEntry("refundState", "COMPLETED");
    assertThat(orders.get(buyer, id).refundInfo().orElseThrow().state()).isEqualTo(RefundState.COMPLETED);
    assertThat(eventRowsOf(id, OrderEventType.REFUND_COMPLETED)).isEqualTo(1);
    assertThat(eventRowsOf(id, OrderEventType.REFUND_FAILED)).isZero();
  }

  @Test
  void paymentsReportsTheRefundFailed_withTheReason() {
    UUID id = paidOrder(buyer, seller);
    Refund refund = approve(seller, requestCancellation(id).id()).refund().orElseThrow();

    Refund failed =
        cancellations.recordRefundResult(
            payments, key(payments, "RecordRefundResult", refund.id()), new RefundResult(refund.id(), false, "card closed"),
            refundResponses);

    assertThat(failed.state()).isEqualTo(RefundState.FAILED);
    assertThat(failed.failureReason()).isEqualTo("card closed");
    assertThat(cancellations.get(buyer, refund.cancellationRequestId()).refund()).contains(failed);
    assertThat(lastEvent(id).type()).isEqualTo(OrderEventType.REFUND_FAILED);
    assertThat(lastEvent(id).details()).containsEntry("failureReason", "card closed");
  }

  @Test
  void resultForAnUnknownRefund_isNotFound() {
    UUID unknown = UUID.randomUUID();

    NotFoundException notFound =
        thrown(
            NotFoundException.class,
            () -> cancellations.recordRefundResult(
                payments, key(payments, "RecordRefundResult", unknown), new RefundResult(unknown, true, ""), refundResponses));

    assertThat(notFound.reason()).isEqualTo("REFUND_NOT_FOUND");
  }
}
