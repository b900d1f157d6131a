package dev.marketplace.orders.domain.usecase;

import dev.marketplace.orders.domain.cancellation.CancellationRequestCursor;
import dev.marketplace.orders.domain.cancellation.CancellationRequestPage;
import dev.marketplace.orders.domain.cancellation.CancellationRequestQuery;

import dev.marketplace.orders.domain.cancellation.CancelResult;
import dev.marketplace.orders.domain.order.CancellationKind;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.domain.cancellation.CancellationRequest;
import dev.marketplace.orders.domain.cancellation.CancellationRequestState;
import dev.marketplace.orders.domain.cancellation.CancellationRequestView;
import dev.marketplace.orders.domain.cancellation.CancellationSettings;
import dev.marketplace.orders.domain.cancellation.Eligibility;
import dev.marketplace.orders.domain.cancellation.Rejection;
import dev.marketplace.orders.domain.cancellation.RejectionReason;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.cancellation.Eligibility.Outcome;
import dev.marketplace.orders.domain.error.AccessDeniedException;
import dev.marketplace.orders.domain.error.NotFoundException;
import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.history.OrderEvent;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.idempotency.IdempotencyKey;
import dev.marketplace.orders.domain.order.NewOrder;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderCancellation;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.usecase.Orders;
import dev.marketplace.orders.domain.payment.PaymentMethod;
import dev.marketplace.orders.domain.order.PaymentReport;
import dev.marketplace.orders.domain.order.Shipment;
import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.refund.Refund;
import dev.marketplace.orders.domain.refund.RefundResult;
import dev.marketplace.orders.domain.refund.RefundState;
import dev.marketplace.orders.domain.refund.RefundWindow;
import dev.marketplace.orders.domain.refund.RefundWindowPolicy;
import dev.marketplace.orders.domain.testing.IdempotencyKeys;
import dev.marketplace.orders.domain.testing.KeptResponses;
import dev.marketplace.orders.domain.testing.MutableClock;
import dev.marketplace.orders.domain.testing.Rows;
import dev.marketplace.orders.domain.testing.SampleOrders;
import dev.marketplace.orders.domain.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cancellation use cases against MariaDB: the buyer's cancel in every state, the seller's answers,
 * withdrawal, shipping against a pending request, refund results, listings and visibility. Every test
 * has its own buyer and seller, so the tests share one database; nothing here sweeps (that is
 * {@link DeadlineExpiryTest}, in databases of its own).
 */
class CancellationsTest {

  /** A Thursday; nanoseconds on purpose, the database keeps microseconds. */
  private static final Instant T0 = Instant.parse("2026-11-26T10:15:30.123456789Z");
  private static final Duration WINDOW = Duration.ofHours(72);
  private static final Duration RETRY_DELAY = Duration.ofSeconds(45);
  private static final CancellationSettings SETTINGS =
      new CancellationSettings(WINDOW, 2, RETRY_DELAY, RefundWindowPolicy.defaults());

  private static HikariDataSource dataSource;

  private final KeptResponses<Order> orderResponses = new KeptResponses<>();
  private final KeptResponses<CancelResult> cancelResponses = new KeptResponses<>();
  private final KeptResponses<CancellationRequestView> requestResponses = new KeptResponses<>();
  private final KeptResponses<Refund> refundResponses = new KeptResponses<>();

  private MutableClock clock;
  private Orders orders;
  private Cancellations cancellations;
  private Principal buyer;
  private Principal seller;
  private Principal payments;

  @BeforeAll
  static void database() {
    dataSource = TestDatabase.migratedDataSource();
  }

  @AfterAll
  static void closeDatabase() {
    dataSource.close();
  }

  @BeforeEach
  void useCases() {
    clock = new MutableClock(T0);
    Transactor transactor = Transactor.over(dataSource, clock);
    DeadlineExpiry expiry = new DeadlineExpiry(transactor, clock, SETTINGS);
    orders = new Orders(transactor, clock, expiry);
    cancellations = new Cancellations(transactor, clock, SETTINGS, expiry);
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    buyer = Principal.of("buyer-" + suffix, Role.BUYER);
    seller = Principal.of("seller-" + suffix, Role.SELLER);
    payments = new Principal("payments", Role.SERVICE, Set.of("orders.payments"));
  }

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

  // --- listings ---------------------------------------------------------------------------------

  @Test
  void sellerInbox_showsPendingRequestsFirstByDeadline_thenTheAnswered_acrossPages() {
    List<CancellationRequest> requests = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      advance(Duration.ofHours(1));
      requests.add(requestCancellation(paidOrder(buyer, seller)));
    }
    Principal rival = Principal.of(seller.subject() + "-rival", Role.SELLER);
    requestCancellation(paidOrder(buyer, rival));
    approve(seller, requests.get(0).id());
    reject(new Rejection(requests.get(2).id(), RejectionReason.OTHER, "no", "", ""));

    List<List<UUID>> pages = new ArrayList<>();
    Optional<CancellationRequestCursor> after = Optional.empty();
    do {
      CancellationRequestPage page =
          cancellations.list(seller, new CancellationRequestQuery(Optional.empty(), Optional.empty(), Optional.empty(), Set.of(), after, 2));
      pages.add(page.requests().stream().map(v -> v.request().id()).toList());
      after = page.next();
    } while (after.isPresent() && pages.size() < 10);

    assertThat(pages)
        .containsExactly(
            List.of(requests.get(1).id(), requests.get(3).id()),
            List.of(requests.get(4).id(), requests.get(0).id()),
            List.of(requests.get(2).id()));
  }

  @Test
  void sellerInbox_filteredToPending_andShowingTheRefundOfApprovedRequests() {
    List<CancellationRequest> requests = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      advance(Duration.ofMinutes(30));
      requests.add(requestCancellation(paidOrder(buyer, seller)));
    }
    CancellationRequestView approved = approve(seller, requests.get(1).id());

    CancellationRequestPage pending =
        cancellations.list(
            seller,
            new CancellationRequestQuery(
                Optional.empty(), Optional.empty(), Optional.empty(), Set.of(CancellationRequestState.PENDING), Optional.empty(), 20));
    CancellationRequestPage all =
        cancellations.list(seller, new CancellationRequestQuery(Optional.empty(), Optional.empty(), Optional.empty(), Set.of(), Optional.empty(), 20));

    assertThat(pending.requests()).extracting(v -> v.request().id()).containsExactly(requests.get(0).id(), requests.get(2).id());
    assertThat(pending.next()).isEmpty();
    assertThat(all.requests()).filteredOn(v -> v.request().id().equals(requests.get(1).id()))
        .singleElement()
        .satisfies(v -> assertThat(v.refund()).isEqualTo(approved.refund()).isPresent());
  }

  @Test
  void buyerListsOnlyTheirOwnRequests_evenNamingAnotherBuyer() {
    Principal otherBuyer = Principal.of(buyer.subject() + "-other", Role.BUYER);
    CancellationRequest mine = requestCancellation(paidOrder(buyer, seller));
    UUID theirOrder = paidOrder(otherBuyer, seller);
    CancellationRequest theirs =
        cancellations
            .cancel(otherBuyer, key(otherBuyer, "CancelOrder", theirOrder), theirOrder, CancellationReason.OTHER, "x", cancelResponses)
            .request()
            .orElseThrow();

    CancellationRequestPage own =
        cancellations.list(buyer, new CancellationRequestQuery(Optional.empty(), Optional.empty(), Optional.empty(), Set.of(), Optional.empty(), 20));
    CancellationRequestPage naming =
        cancellations.list(
            buyer,
            new CancellationRequestQuery(Optional.of(otherBuyer.subject()), Optional.empty(), Optional.empty(), Set.of(), Optional.empty(), 20));

    assertThat(own.requests()).extracting(v -> v.request().id()).containsExactly(mine.id());
    assertThat(naming.requests()).extracting(v -> v.request().id()).doesNotContain(theirs.id());
  }

  @Test
  void servicesDoNotListRequests() {
    AccessDeniedException denied =
        thrown(
            AccessDeniedException.class,
            () -> cancellations.list(
                payments,
                new CancellationRequestQuery(Optional.empty(), Optional.of(seller.subject()), Optional.empty(), Set.of(), Optional.empty(), 20)));

    assertThat(denied.reason()).isEqualTo("ROLE_NOT_ALLOWED");
  }

  // --- visibility -------------------------------------------------------------------------------

  @Test
  void anotherBuyerOrSeller_findsNeitherTheRequestNorTheOrder_andChangesNothing() {
    UUID id = paidOrder(buyer, seller);
    CancellationRequest request = requestCancellation(id);
    Principal otherBuyer = Principal.of(buyer.subject() + "-other", Role.BUYER);
    Principal otherSeller = Principal.of(seller.subject() + "-other", Role.SELLER);

    assertRequestNotFound(request.id(), () -> cancellations.get(otherBuyer, request.id()));
    assertRequestNotFound(request.id(), () -> cancellations.get(otherSeller, request.id()));
    assertRequestNotFound(request.id(), () -> approve(otherSeller, request.id()));
    assertRequestNotFound(request.id(), () -> reject(otherSeller, new Rejection(request.id(), RejectionReason.OTHER, "no", "", "")));
    assertRequestNotFound(
        request.id(),
        () -> cancellations.withdraw(otherBuyer, key(otherBuyer, "WithdrawCancellationRequest", request.id()), request.id(), requestResponses));
    assertOrderNotFound(id, () -> cancellations.eligibility(otherBuyer, id));
    assertOrderNotFound(id, () -> cancellations.eligibility(otherSeller, id));
    assertOrderNotFound(
        id, () -> cancellations.cancel(otherBuyer, key(otherBuyer, "CancelOrder", id), id, CancellationReason.OTHER, "", cancelResponses));
    assertRequestNotFound(request.id(), () -> cancellations.get(buyer, UUID.randomUUID()));

    assertThat(cancellations.get(buyer, request.id()).request()).isEqualTo(request);
    assertThat(orders.get(buyer, id).state()).isEqualTo(OrderState.AWAITING_SHIPMENT);
  }

  // --- helpers ----------------------------------------------------------------------------------

  private Instant advance(Duration step) {
    return clock.advance(step).truncatedTo(ChronoUnit.MICROS);
  }

  private UUID placeOrder(Principal buyer, Principal seller) {
    NewOrder request = SampleOrders.newOrder(buyer.subject(), seller.subject());
    return orders.create(buyer, key(buyer, "CreateOrder", request), request, orderResponses).id();
  }

  /** An order of this buyer and seller whose payment was captured: AWAITING_SHIPMENT at version 2. */
  private UUID paidOrder(Principal buyer, Principal seller) {
    UUID id = placeOrder(buyer, seller);
    clock.advance(Duration.ofMinutes(1));
    report(new PaymentReport(id, PaymentReport.Outcome.CAPTURED, "psp-" + id, SampleOrders.TOTAL, ""));
    return id;
  }

  private void report(PaymentReport report) {
    orders.recordPayment(payments, key(payments, "RecordPayment", report), report, orderResponses);
  }

  private CancelResult cancel(UUID orderId, CancellationReason reason) {
    return cancellations.cancel(buyer, key(buyer, "CancelOrder", orderId), orderId, reason, "", cancelResponses);
  }

  private CancellationRequest requestCancellation(UUID orderId) {
    CancelResult result = cancel(orderId, CancellationReason.WRONG_ITEM_OR_SIZE);
    assertThat(result.outcome()).isEqualTo(CancelResult.Outcome.REQUESTED);
    return result.request().orElseThrow();
  }

  private CancellationRequestView approve(Principal seller, UUID requestId) {
    return cancellations.approve(seller, key(seller, "ApproveCancellationRequest", requestId), requestId, requestResponses);
  }

  private CancellationRequestView reject(Rejection rejection) {
    return reject(seller, rejection);
  }

  private CancellationRequestView reject(Principal seller, Rejection rejection) {
    return cancellations.reject(seller, key(seller, "RejectCancellationRequest", rejection), rejection, requestResponses);
  }

  private Order ship(UUID orderId, String carrier, String trackingNumber) {
    return orders.ship(
        seller, key(seller, "ShipOrder", orderId + carrier + trackingNumber), orderId, carrier, trackingNumber, OptionalInt.empty(),
        orderResponses);
  }

  private List<OrderEvent> history(UUID orderId) {
    return orders.history(Principal.system(), orderId, 0, 100).events();
  }

  private OrderEvent lastEvent(UUID orderId) {
    List<OrderEvent> events = history(orderId);
    return events.get(events.size() - 1);
  }

  /** Runs {@code call} when {@code start} opens; the refusal it met, or null if it succeeded. */
  private static Callable<StateConflictException> refusalOf(CountDownLatch start, Runnable call) {
    return () -> {
      start.await();
      try {
        call.run();
        return null;
      } catch (StateConflictException refused) {
        return refused;
      }
    };
  }

  private static void assertRequestNotFound(UUID requestId, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    NotFoundException notFound = thrown(NotFoundException.class, call);
    assertThat(notFound.reason()).isEqualTo("CANCELLATION_REQUEST_NOT_FOUND");
  }

  private static void assertOrderNotFound(UUID orderId, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    NotFoundException notFound = thrown(NotFoundException.class, call);
    assertThat(notFound.reason()).isEqualTo("ORDER_NOT_FOUND");
    assertThat(notFound.metadata()).containsEntry("orderId", orderId.toString());
  }

  private static IdempotencyKey key(Principal caller, String operation, Object request) {
    return IdempotencyKeys.fresh(caller, operation, request);
  }

  private static long refundRowsOf(UUID orderId) {
    return Rows.count(dataSource, "SELECT COUNT(*) FROM refunds WHERE order_id = ?", orderId);
  }

  private static long requestRowsOf(UUID orderId) {
    return Rows.count(dataSource, "SELECT COUNT(*) FROM cancellation_requests WHERE order_id = ?", orderId);
  }

  private static long pendingRequestRowsOf(UUID orderId) {
    return Rows.count(dataSource, "SELECT COUNT(*) FROM cancellation_requests WHERE order_id = ? AND state = 'PENDING'", orderId);
  }

  private static long eventRowsOf(UUID orderId, OrderEventType type) {
    return Rows.count(dataSource, "SELECT COUNT(*) FROM order_events WHERE order_id = ? AND event_type = ?", orderId, type.name());
  }
}
