package dev.marketplace.orders.domain.usecase;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.cancellation.CancellationRequest;
import dev.marketplace.orders.domain.cancellation.CancellationRequestState;
import dev.marketplace.orders.domain.cancellation.CancellationRequestView;
import dev.marketplace.orders.domain.cancellation.CancellationSettings;
import dev.marketplace.orders.domain.cancellation.Eligibility.Outcome;
import dev.marketplace.orders.domain.cancellation.Eligibility;
import dev.marketplace.orders.domain.cancellation.Rejection;
import dev.marketplace.orders.domain.cancellation.RejectionReason;
import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.history.OrderEvent;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.order.CancellationKind;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderCancellation;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.order.Shipment;
import dev.marketplace.orders.domain.payment.PaymentMethod;
import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.refund.Refund;
import dev.marketplace.orders.domain.refund.RefundState;
import dev.marketplace.orders.domain.refund.RefundWindow;
import dev.marketplace.orders.domain.refund.RefundWindowPolicy;
import dev.marketplace.orders.domain.testing.SampleOrders;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What ends a pending request: the seller approves or rejects, the buyer withdraws; shipping waits for the answer. */
class ResolvingARequestTest extends CancellationsFixture {

  // --- the seller approves ----------------------------------------------------------------------

  @Test
  void sellerApproves_cancelsTheOrderAndInitiatesTheFullRefund_inOneStep() {
    UUID id = paidOrder(buyer, seller);
    CancellationRequest request = requestCancellation(id);
    Instant now = advance(Duration.ofHours(5)); // Thursday afternoon

    CancellationRequestView approved = approve(seller, request.id());

    assertThat(approved.request().state()).isEqualTo(CancellationRequestState.APPROVED);
    assertThat(approved.request().resolvedBySubject()).isEqualTo(seller.subject());
    assertThat(approved.request().resolvedAt()).isEqualTo(now);
    Refund refund = approved.refund().orElseThrow();
    assertThat(refund.state()).isEqualTo(RefundState.INITIATED);
    assertThat(refund.amount()).as("the whole order total").isEqualTo(SampleOrders.TOTAL);
    assertThat(refund.paymentMethod()).isEqualTo(PaymentMethod.CARD);
    assertThat(refund.window()).isEqualTo(new RefundWindow(3, 20));
    assertThat(refund.expectedEarliest()).as("3 business days after a Thursday: Tuesday").isEqualTo(now.plus(Duration.ofDays(5)));
    assertThat(refund.expectedLatest()).as("20 business days after a Thursday: four weeks").isEqualTo(now.plus(Duration.ofDays(28)));
    assertThat(refund.orderId()).isEqualTo(id);
    assertThat(refund.cancellationRequestId()).isEqualTo(request.id());
    assertThat(refund.createdAt()).isEqualTo(now);

    Order order = orders.get(buyer, id);
    assertThat(order.state()).isEqualTo(OrderState.CANCELLED);
    assertThat(order.cancellationInfo())
        .contains(
            new OrderCancellation(
                CancellationKind.SELLER_APPROVED, CancellationReason.WRONG_ITEM_OR_SIZE, seller.subject(), Role.SELLER, now, request.id()));
    assertThat(order.refundInfo()).contains(refund);
    assertThat(cancellations.get(buyer, request.id()).refund()).contains(refund);
    assertThat(refundRowsOf(id)).isEqualTo(1);
    List<OrderEvent> history = history(id);
    assertThat(history.subList(history.size() - 3, history.size()))
        .extracting(OrderEvent::type, OrderEvent::actorSubject, OrderEvent::orderState, OrderEvent::occurredAt)
        .containsExactly(
            tuple(OrderEventType.CANCELLATION_APPROVED, seller.subject(), OrderState.CANCELLED, now),
            tuple(OrderEventType.ORDER_CANCELLED, seller.subject(), OrderState.CANCELLED, now),
            tuple(OrderEventType.REFUND_INITIATED, seller.subject(), OrderState.CANCELLED, now));
    assertThat(history.get(history.size() - 1).details())
        .containsEntry("refundId", refund.id().toString())
        .containsEntry("amount", "2498")
        .containsEntry("currencyCode", "USD")
        .containsEntry("expectedBusinessDays", "3-20");
    assertThat(history.get(history.size() - 2).details()).containsEntry("kind", "SELLER_APPROVED");
  }

  @Test
  void refundWindow_followsThePaymentMethodsConfiguredWindow() {
    CancellationSettings cardIsFast =
        new CancellationSettings(WINDOW, 2, RETRY_DELAY, RefundWindowPolicy.parse("CARD=1-2,*=5-9"));
    Transactor transactor = Transactor.over(dataSource, clock);
    DeadlineExpiry expiry = new DeadlineExpiry(transactor, clock, cardIsFast);
    cancellations = new Cancellations(transactor, clock, cardIsFast, expiry);
    UUID id = paidOrder(buyer, seller);
    CancellationRequest request = requestCancellation(id);

    Refund refund = approve(seller, request.id()).refund().orElseThrow();

    assertThat(refund.window()).isEqualTo(new RefundWindow(1, 2));
  }

  @Test
  void approvingTwice_withAnotherRequestId_isRefusedAsNotPending_andRefundsOnce() {
    UUID id = paidOrder(buyer, seller);
    CancellationRequest request = requestCancellation(id);
    approve(seller, request.id());

    StateConflictException refused = thrown(StateConflictException.class, () -> approve(seller, request.id()));

    assertThat(refused.reason()).isEqualTo("CANCELLATION_REQUEST_NOT_PENDING");
    assertThat(refused.metadata()).containsEntry("requestState", "APPROVED");
    assertThat(refundRowsOf(id)).isEqualTo(1);
    assertThat(eventRowsOf(id, OrderEventType.CANCELLATION_APPROVED)).isEqualTo(1);
  }

  // --- the seller rejects -----------------------------------------------------------------------

  @Test
  void sellerRejects_orderStaysAwaitingShipment_buyerMayAskAgain_untilTheLimitOfTwo() {
    UUID id = paidOrder(buyer, seller);
    CancellationRequest first = requestCancellation(id);
    advance(Duration.ofHours(1));

    CancellationRequestView rejected =
        reject(new Rejection(first.id(), RejectionReason.OTHER, "it is already packed", "", ""));

    assertThat(rejected.request().state()).isEqualTo(CancellationRequestState.REJECTED);
    assertThat(rejected.request().rejectionReason()).isEqualTo(RejectionReason.OTHER);
    assertThat(rejected.request().rejectionNote()).isEqualTo("it is already packed");
    assertThat(rejected.refund()).isEmpty();
    Order order = orders.get(buyer, id);
    assertThat(order.state()).isEqualTo(OrderState.AWAITING_SHIPMENT);
    assertThat(order.cancellationInfo()).isEmpty();
    OrderEvent rejection = lastEvent(id);
    assertThat(rejection.type()).isEqualTo(OrderEventType.CANCELLATION_REJECTED);
    assertThat(rejection.orderState()).isEqualTo(OrderState.AWAITING_SHIPMENT);
    assertThat(rejection.details()).containsEntry("rejectionReason", "OTHER").containsEntry("note", "it is already packed");
    Eligibility again = cancellations.eligibility(buyer, id);
    assertThat(again.outcome()).isEqualTo(Outcome.REQUEST_SELLER_APPROVAL);
    assertThat(again.requestsRemaining()).isEqualTo(1);

    advance(Duration.ofHours(1));
    CancellationRequest second = requestCancellation(id);
    assertThat(second.state()).isEqualTo(CancellationRequestState.PENDING);
    assertThat(second.id()).isNotEqualTo(first.id());
    reject(new Rejection(second.id(), RejectionReason.ALREADY_PREPARED_OR_CUSTOMISED, "", "", ""));

    StateConflictException third = thrown(StateConflictException.class, () -> cancel(id, CancellationReason.OTHER));

    assertThat(third.reason()).isEqualTo("CANCELLATION_REQUEST_LIMIT_REACHED");
    assertThat(third.metadata()).containsEntry("orderState", "AWAITING_SHIPMENT");
    assertThat(cancellations.eligibility(buyer, id).outcome()).isEqualTo(Outcome.NOT_CANCELLABLE);
    assertThat(requestRowsOf(id)).isEqualTo(2);
    assertThat(refundRowsOf(id)).isZero();
    assertThat(orders.get(buyer, id).state()).isEqualTo(OrderState.AWAITING_SHIPMENT);
  }

  @Test
  void sellerRejectsBecauseItAlreadyShipped_theOrderIsShippedInTheSameStep() {
    UUID id = paidOrder(buyer, seller);
    CancellationRequest request = requestCancellation(id);
    Instant now = advance(Duration.ofHours(3));

    CancellationRequestView rejected =
        reject(new Rejection(request.id(), RejectionReason.ALREADY_SHIPPED, "", "UPS", "1Z999AA10123456784"));

    assertThat(rejected.request().state()).isEqualTo(CancellationRequestState.REJECTED);
    assertThat(rejected.request().rejectionReason()).isEqualTo(RejectionReason.ALREADY_SHIPPED);
    Order order = orders.get(buyer, id);
    assertThat(order.state()).isEqualTo(OrderState.SHIPPED);
    assertThat(order.shipmentInfo()).contains(new Shipment("UPS", "1Z999AA10123456784", now, null));
    List<OrderEvent> history = history(id);
    assertThat(history.subList(history.size() - 2, history.size()))
        .extracting(OrderEvent::type, OrderEvent::orderState)
        .containsExactly(
            tuple(OrderEventType.CANCELLATION_REJECTED, OrderState.SHIPPED), tuple(OrderEventType.ORDER_SHIPPED, OrderState.SHIPPED));
    assertThat(history.get(history.size() - 1).details())
        .containsExactlyInAnyOrderEntriesOf(Map.of("carrier", "UPS", "trackingNumber", "1Z999AA10123456784"));

    StateConflictException tooLate = thrown(StateConflictException.class, () -> cancel(id, CancellationReason.OTHER));
    assertThat(tooLate.reason()).isEqualTo("ORDER_ALREADY_SHIPPED");
    assertThat(Arrays.asList(tooLate.metadata().get("alternatives").split(",")))
        .contains("TRACK_SHIPMENT", "CONTACT_SELLER", "OPEN_DISPUTE", "RETURN_AFTER_DELIVERY");
  }

  // --- the buyer withdraws ----------------------------------------------------------------------

  @Test
  void buyerWithdraws_theRequestEnds_andTheSellerMayShip() {
    UUID id = paidOrder(buyer, seller);
    CancellationRequest request = requestCancellation(id);
    advance(Duration.ofHours(1));

    CancellationRequestView withdrawn =
        cancellations.withdraw(buyer, key(buyer, "WithdrawCancellationRequest", request.id()), request.id(), requestResponses);

    assertThat(withdrawn.request().state()).isEqualTo(CancellationRequestState.WITHDRAWN);
    assertThat(withdrawn.request().resolvedBySubject()).isEqualTo(buyer.subject());
    assertThat(lastEvent(id).type()).isEqualTo(OrderEventType.CANCELLATION_WITHDRAWN);
    assertThat(orders.get(buyer, id).state()).isEqualTo(OrderState.AWAITING_SHIPMENT);
    StateConflictException approveTooLate = thrown(StateConflictException.class, () -> approve(seller, request.id()));
    assertThat(approveTooLate.reason()).isEqualTo("CANCELLATION_REQUEST_NOT_PENDING");
    assertThat(approveTooLate.metadata()).containsEntry("requestState", "WITHDRAWN");

    Order shipped = ship(id, "DHL", "JD0001");

    assertThat(shipped.state()).isEqualTo(OrderState.SHIPPED);
    assertThat(refundRowsOf(id)).isZero();
  }

  // --- shipping against a pending request -------------------------------------------------------

  @Test
  void shippingWhileARequestIsPending_isRefused_untilTheSellerAnswers() {
    UUID id = paidOrder(buyer, seller);
    CancellationRequest request = requestCancellation(id);
    long eventsBefore = history(id).size();

    StateConflictException refused = thrown(StateConflictException.class, () -> ship(id, "UPS", "1Z1"));

    assertThat(refused.reason()).isEqualTo("CANCELLATION_REQUEST_PENDING");
    assertThat(refused.metadata())
        .containsEntry("cancellationRequestId", request.id().toString())
        .containsEntry("orderState", "AWAITING_SHIPMENT");
    assertThat(orders.get(seller, id).state()).isEqualTo(OrderState.AWAITING_SHIPMENT);
    assertThat(history(id)).hasSize((int) eventsBefore);
    assertThat(cancellations.get(seller, request.id()).request().state()).isEqualTo(CancellationRequestState.PENDING);

    reject(new Rejection(request.id(), RejectionReason.OTHER, "shipping today", "", ""));
    assertThat(ship(id, "UPS", "1Z1").state()).isEqualTo(OrderState.SHIPPED);
  }

  @Test
  void shipRacingTheBuyersCancel_exactlyOneWins_everyTime() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    int shipsWon = 0;
    try {
      for (int round = 0; round < 20; round++) {
        UUID id = paidOrder(buyer, seller);
        CountDownLatch start = new CountDownLatch(1);
        Future<StateConflictException> shipping = pool.submit(refusalOf(start, () -> ship(id, "UPS", "1Z-" + id)));
        Future<StateConflictException> cancelling = pool.submit(refusalOf(start, () -> cancel(id, CancellationReason.OTHER)));
        start.countDown();
        StateConflictException shipRefused = shipping.get(30, TimeUnit.SECONDS);
        StateConflictException cancelRefused = cancelling.get(30, TimeUnit.SECONDS);

        Order order = orders.get(seller, id);
        long pending = pendingRequestRowsOf(id);
        assertThat(shipRefused == null ^ cancelRefused == null).as("round %d: exactly one of ship and cancel succeeds", round).isTrue();
        if (shipRefused == null) {
          shipsWon++;
          assertThat(order.state()).as("round %d", round).isEqualTo(OrderState.SHIPPED);
          assertThat(pending).as("round %d", round).isZero();
          assertThat(cancelRefused.reason()).isEqualTo("ORDER_ALREADY_SHIPPED");
        } else {
          assertThat(order.state()).as("round %d", round).isEqualTo(OrderState.AWAITING_SHIPMENT);
          assertThat(pending).as("round %d", round).isEqualTo(1);
          assertThat(shipRefused.reason()).isEqualTo("CANCELLATION_REQUEST_PENDING");
        }
      }
    } finally {
      pool.shutdownNow();
    }
    System.out.printf("ship won %d of 20 races against a cancel%n", shipsWon);
  }
}
