package dev.marketplace.orders.domain.usecase;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.cancellation.CancelResult;
import dev.marketplace.orders.domain.cancellation.CancellationRequest;
import dev.marketplace.orders.domain.cancellation.CancellationRequestState;
import dev.marketplace.orders.domain.cancellation.CancellationRequestView;
import dev.marketplace.orders.domain.cancellation.Eligibility.Outcome;
import dev.marketplace.orders.domain.cancellation.Eligibility;
import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.history.OrderEvent;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.idempotency.IdempotencyKey;
import dev.marketplace.orders.domain.order.CancellationKind;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderCancellation;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.order.PaymentReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The buyer's cancel in every state: at once while unpaid, later while the payment is verified, a request once paid. */
class BuyerCancelsTest extends CancellationsFixture {

  // --- AWAITING_PAYMENT: cancelled at once ------------------------------------------------------

  @Test
  void unpaidOrder_isCancelledAtOnce_withoutRefundOrRequest() {
    UUID id = placeOrder(buyer, seller);
    Instant now = advance(Duration.ofMinutes(10));

    CancelResult result =
        cancellations.cancel(buyer, key(buyer, "CancelOrder", id), id, CancellationReason.ORDERED_BY_ACCIDENT, "", cancelResponses);

    assertThat(result.outcome()).isEqualTo(CancelResult.Outcome.CANCELLED);
    assertThat(result.request()).isEmpty();
    Order stored = orders.get(buyer, id);
    assertThat(result.order()).isEqualTo(stored);
    assertThat(stored.state()).isEqualTo(OrderState.CANCELLED);
    assertThat(stored.version()).isEqualTo(2);
    assertThat(stored.cancellationInfo())
        .contains(
            new OrderCancellation(
                CancellationKind.BUYER_CANCELLED_UNPAID, CancellationReason.ORDERED_BY_ACCIDENT, buyer.subject(), Role.BUYER, now, null));
    assertThat(stored.refundInfo()).as("nothing was paid").isEmpty();
    assertThat(refundRowsOf(id)).isZero();
    assertThat(requestRowsOf(id)).isZero();
    OrderEvent last = lastEvent(id);
    assertThat(last.type()).isEqualTo(OrderEventType.ORDER_CANCELLED);
    assertThat(last.actorSubject()).isEqualTo(buyer.subject());
    assertThat(last.orderState()).isEqualTo(OrderState.CANCELLED);
    assertThat(last.occurredAt()).isEqualTo(now);
    assertThat(last.details()).containsEntry("kind", "BUYER_CANCELLED_UNPAID").containsEntry("reason", "ORDERED_BY_ACCIDENT");
  }

  @Test
  void cancellingACancelledOrderAgain_isRefusedAsAlreadyCancelled_butTheSameRequestIdReplays() {
    UUID id = placeOrder(buyer, seller);
    IdempotencyKey first = key(buyer, "CancelOrder", id);
    CancelResult cancelled = cancellations.cancel(buyer, first, id, CancellationReason.BETTER_PRICE_ELSEWHERE, "", cancelResponses);
    advance(Duration.ofMinutes(1));

    CancelResult replay = cancellations.cancel(buyer, first, id, CancellationReason.BETTER_PRICE_ELSEWHERE, "", cancelResponses);
    StateConflictException again = thrown(StateConflictException.class, () -> cancel(id, CancellationReason.BETTER_PRICE_ELSEWHERE));

    assertThat(replay).isSameAs(cancelled);
    assertThat(again.reason()).isEqualTo("ORDER_ALREADY_CANCELLED");
    assertThat(again.metadata()).containsEntry("orderState", "CANCELLED");
    assertThat(eventRowsOf(id, OrderEventType.ORDER_CANCELLED)).isEqualTo(1);
  }

  // --- PAYMENT_PROCESSING: retry later ----------------------------------------------------------

  @Test
  void cancelWhilePaymentIsVerified_isRefusedWithTheRetryDelay_andChangesNothing() {
    UUID id = placeOrder(buyer, seller);
    report(new PaymentReport(id, PaymentReport.Outcome.PROCESSING, "", null, ""));

    StateConflictException refused = thrown(StateConflictException.class, () -> cancel(id, CancellationReason.ORDERED_BY_ACCIDENT));

    assertThat(refused.reason()).isEqualTo("PAYMENT_VERIFICATION_IN_PROGRESS");
    assertThat(refused.retryDelay()).contains(RETRY_DELAY);
    assertThat(refused.metadata()).containsEntry("orderState", "PAYMENT_PROCESSING").containsEntry("retryAfterSeconds", "45");
    assertThat(orders.get(buyer, id).state()).isEqualTo(OrderState.PAYMENT_PROCESSING);
    assertThat(requestRowsOf(id)).isZero();
    assertThat(lastEvent(id).type()).isEqualTo(OrderEventType.PAYMENT_PROCESSING);
  }

  // --- AWAITING_SHIPMENT: a request for the seller ----------------------------------------------

  @Test
  void paidOrder_opensAPendingRequest_dueAfterTheSellerResponseWindow() {
    UUID id = paidOrder(buyer, seller);
    Instant now = advance(Duration.ofHours(2));

    CancelResult result =
        cancellations.cancel(
            buyer, key(buyer, "CancelOrder", id), id, CancellationReason.WRONG_ITEM_OR_SIZE, "I need size M", cancelResponses);

    assertThat(result.outcome()).isEqualTo(CancelResult.Outcome.REQUESTED);
    assertThat(result.order().state()).isEqualTo(OrderState.AWAITING_SHIPMENT);
    CancellationRequest request = result.request().orElseThrow();
    assertThat(request.state()).isEqualTo(CancellationRequestState.PENDING);
    assertThat(request.createdAt()).isEqualTo(now);
    assertThat(request.respondBy()).isEqualTo(now.plus(WINDOW));
    assertThat(request.reference()).matches("CR-[0-9A-Z]{10}");
    assertThat(request)
        .extracting(
            CancellationRequest::orderId, CancellationRequest::buyerId, CancellationRequest::sellerId, CancellationRequest::reason,
            CancellationRequest::explanation)
        .containsExactly(id, buyer.subject(), seller.subject(), CancellationReason.WRONG_ITEM_OR_SIZE, "I need size M");

    CancellationRequestView seen = cancellations.get(seller, request.id());
    assertThat(seen.request()).as("what was stored is what was answered").isEqualTo(request);
    assertThat(seen.refund()).isEmpty();
    Order order = orders.get(buyer, id);
    assertThat(order.state()).isEqualTo(OrderState.AWAITING_SHIPMENT);
    assertThat(order.version()).as("the order itself is unchanged").isEqualTo(2);
    OrderEvent requested = lastEvent(id);
    assertThat(requested.type()).isEqualTo(OrderEventType.CANCELLATION_REQUESTED);
    assertThat(requested.details())
        .containsEntry("cancellationRequestId", request.id().toString())
        .containsEntry("reference", request.reference())
        .containsEntry("respondBy", request.respondBy().toString());
    Eligibility eligibility = cancellations.eligibility(buyer, id);
    assertThat(eligibility.outcome()).isEqualTo(Outcome.REQUEST_PENDING);
    assertThat(eligibility.pendingRequest()).contains(request);
  }

  @Test
  void requestReferences_areDistinctPerRequest() {
    List<String> references = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      references.add(requestCancellation(paidOrder(buyer, seller)).reference());
    }

    assertThat(references).doesNotHaveDuplicates().allMatch(r -> r.matches("CR-[0-9A-Z]{10}"));
  }

  @Test
  void secondCancelWhileARequestIsPending_isRefusedNamingThePendingRequest() {
    UUID id = paidOrder(buyer, seller);
    CancellationRequest pending = requestCancellation(id);
    advance(Duration.ofHours(1));

    StateConflictException refused = thrown(StateConflictException.class, () -> cancel(id, CancellationReason.OTHER));

    assertThat(refused.reason()).isEqualTo("CANCELLATION_REQUEST_PENDING");
    assertThat(refused.metadata())
        .containsEntry("cancellationRequestId", pending.id().toString())
        .containsEntry("respondBy", pending.respondBy().toString());
    assertThat(requestRowsOf(id)).isEqualTo(1);
  }

  @Test
  void retryOfACancelWithTheSameRequestId_answersTheFirstResponse_andOpensOneRequest() {
    UUID id = paidOrder(buyer, seller);
    IdempotencyKey key = key(buyer, "CancelOrder", id);
    CancelResult first = cancellations.cancel(buyer, key, id, CancellationReason.CHANGE_DELIVERY_ADDRESS, "", cancelResponses);
    advance(Duration.ofMinutes(5));

    CancelResult retry = cancellations.cancel(buyer, key, id, CancellationReason.CHANGE_DELIVERY_ADDRESS, "", cancelResponses);

    assertThat(retry).isSameAs(first);
    assertThat(requestRowsOf(id)).isEqualTo(1);
    assertThat(eventRowsOf(id, OrderEventType.CANCELLATION_REQUESTED)).isEqualTo(1);
  }

  @Test
  void eightConcurrentCancelsWithDifferentRequestIds_openExactlyOneRequest() throws Exception {
    UUID id = paidOrder(buyer, seller);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<StateConflictException>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(pool.submit(refusalOf(start, () -> cancel(id, CancellationReason.ORDERED_BY_ACCIDENT))));
      }
      start.countDown();
      List<String> refusals = new ArrayList<>();
      for (Future<StateConflictException> call : calls) {
        StateConflictException refused = call.get(30, TimeUnit.SECONDS);
        if (refused != null) {
          refusals.add(refused.reason());
        }
      }

      assertThat(refusals).hasSize(7).containsOnly("CANCELLATION_REQUEST_PENDING");
      assertThat(requestRowsOf(id)).isEqualTo(1);
      assertThat(eventRowsOf(id, OrderEventType.CANCELLATION_REQUESTED)).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
