package dev.marketplace.orders.server.cancellation;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.domain.access.Role.SERVICE;
import static dev.marketplace.orders.domain.access.Role.SUPPORT;
import static dev.marketplace.orders.server.cancellation.Marketplace.approveRequest;
import static dev.marketplace.orders.server.cancellation.Marketplace.cancelRequest;
import static dev.marketplace.orders.server.cancellation.Marketplace.duration;
import static dev.marketplace.orders.server.cancellation.Marketplace.instant;
import static dev.marketplace.orders.server.cancellation.Marketplace.rejectRequest;
import static dev.marketplace.orders.server.cancellation.Marketplace.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.rpc.PreconditionFailure;
import com.google.rpc.RetryInfo;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.usecase.DeadlineExpiry;
import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.Actor;
import dev.marketplace.orders.v1.CancelOrderRequest;
import dev.marketplace.orders.v1.CancelOrderResponse;
import dev.marketplace.orders.v1.Cancellation;
import dev.marketplace.orders.v1.CancellationEligibility;
import dev.marketplace.orders.v1.CancellationEligibility.Alternative;
import dev.marketplace.orders.v1.CancellationEligibility.BlockedReason;
import dev.marketplace.orders.v1.CancellationReason;
import dev.marketplace.orders.v1.CancellationReason.Code;
import dev.marketplace.orders.v1.CancellationRequest;
import dev.marketplace.orders.v1.CancellationRequest.RejectionReason;
import dev.marketplace.orders.v1.CancellationServiceGrpc;
import dev.marketplace.orders.v1.CancellationServiceGrpc.CancellationServiceBlockingStub;
import dev.marketplace.orders.v1.GetCancellationRequestRequest;
import dev.marketplace.orders.v1.ListCancellationReasonsRequest;
import dev.marketplace.orders.v1.ListCancellationRequestsRequest;
import dev.marketplace.orders.v1.ListCancellationRequestsResponse;
import dev.marketplace.orders.v1.ListOrdersRequest;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.OrderEvent;
import dev.marketplace.orders.v1.RecordRefundResultRequest;
import dev.marketplace.orders.v1.Refund;
import dev.marketplace.orders.v1.WithdrawCancellationRequestRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * orders.v1.CancellationService end to end: real channel, real tokens, real Guice wiring, MariaDB.
 * Covers every row of SPEC §3's two tables (cancel by order state; request states).
 *
 * <p>Tests share one server and move its clock by minutes at most, so no other test's request ever
 * reaches its 72-hour deadline; tests about the deadline start servers of their own.
 */
class CancellationServiceTest {

  private static final Duration WINDOW = Duration.ofHours(72);
  private static final Duration PAYMENT_RETRY = Duration.ofMinutes(15);
  private static final List<Alternative> AFTER_SHIPMENT =
      List.of(Alternative.TRACK_SHIPMENT, Alternative.CONTACT_SELLER, Alternative.OPEN_DISPUTE, Alternative.RETURN_AFTER_DELIVERY);

  private static GrpcTestServer server;
  private static Marketplace market;
  private static Rows rows;

  @BeforeAll
  static void start() throws Exception {
    server = new GrpcTestServer();
    market = Marketplace.of(server);
    rows = Rows.of(server.dataSource());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static Errors failure(Runnable call) {
    Throwable thrown = catchThrowable(call::run);
    assertThat(thrown).as("the call should have failed").isInstanceOf(StatusRuntimeException.class);
    return Errors.of(thrown);
  }

  private static List<String> alternatives(Errors error) {
    return Arrays.asList(error.errorInfo().getMetadataOrDefault("alternatives", "").split(","));
  }

  // ---------------------------------------------------------------------------------------------
  // SPEC §3, cancellation rules by order state
  // ---------------------------------------------------------------------------------------------

  @Test
  void cancellingAnUnpaidOrder_cancelsItAtOnce_withoutRefund() {
    String buyer = unique("buyer");
    Order order = market.placed(buyer, unique("seller"));
    Instant now = server.clock.instant();

    CancelOrderResponse response =
        market.cancellations(buyer, BUYER).cancelOrder(cancelRequest(order.getOrderId(), Code.ORDERED_BY_ACCIDENT));

    assertThat(response.getOutcome()).isEqualTo(CancelOrderResponse.Outcome.CANCELLED);
    assertThat(response.hasCancellationRequest()).isFalse();
    Order cancelled = response.getOrder();
    assertThat(cancelled.getState()).isEqualTo(Order.State.CANCELLED);
    assertThat(cancelled.hasRefund()).as("nothing was paid, nothing to refund").isFalse();
    Cancellation how = cancelled.getCancellation();
    assertThat(how.getKind()).isEqualTo(Cancellation.Kind.BUYER_CANCELLED_UNPAID);
    assertThat(how.getReason()).isEqualTo(Code.ORDERED_BY_ACCIDENT);
    assertThat(how.getCancelledBy()).isEqualTo(Actor.newBuilder().setSubject(buyer).setRole(Actor.Role.BUYER).build());
    assertThat(instant(how.getCancelTime())).isEqualTo(now);
    assertThat(how.getCancellationRequestId()).isEmpty();

    assertThat(market.order(buyer, BUYER, order.getOrderId())).isEqualTo(cancelled);
    assertThat(rows.refunds(order.getOrderId())).isZero();
    assertThat(rows.requests(order.getOrderId())).isZero();
    OrderEvent last = lastEvent(buyer, BUYER, order.getOrderId());
    assertThat(last.getType()).isEqualTo(OrderEvent.Type.ORDER_CANCELLED);
    assertThat(last.getActor().getSubject()).isEqualTo(buyer);
  }

  @Test
  void cancellingWhilePaymentIsVerified_isRefusedForNow_withRetryInfo() {
    String buyer = unique("buyer");
    Order order = market.processing(buyer, unique("seller"));

    Errors error =
        failure(() -> market.cancellations(buyer, BUYER).cancelOrder(cancelRequest(order.getOrderId(), Code.ORDERED_BY_ACCIDENT)));

    assertThat(error.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(error.reason()).isEqualTo("PAYMENT_VERIFICATION_IN_PROGRESS");
    assertThat(error.errorInfo().getMetadataMap()).containsEntry("orderState", "PAYMENT_PROCESSING");
    RetryInfo retry = error.detail(RetryInfo.class).orElseThrow(() -> new AssertionError("no RetryInfo in " + error.status()));
    assertThat(duration(retry.getRetryDelay())).isEqualTo(PAYMENT_RETRY);
    assertThat(market.order(buyer, BUYER, order.getOrderId())).isEqualTo(order);
    assertThat(rows.requests(order.getOrderId())).isZero();
  }

  @Test
  void cancellingAPaidOrderAwaitingShipment_asksTheSeller_whoHas72HoursToAnswer() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = market.paid(buyer, seller);
    Instant now = server.clock.instant();

    CancelOrderResponse response =
        market.cancellations(buyer, BUYER)
            .cancelOrder(cancelRequest(order.getOrderId(), Code.BETTER_PRICE_ELSEWHERE).toBuilder().setExplanation("half price next door").build());

    assertThat(response.getOutcome()).isEqualTo(CancelOrderResponse.Outcome.REQUESTED);
    assertThat(response.getOrder().getState()).isEqualTo(Order.State.AWAITING_SHIPMENT);
    CancellationRequest request = response.getCancellationRequest();
    assertThat(request.getState()).isEqualTo(CancellationRequest.State.PENDING);
    assertThat(instant(request.getCreateTime())).isEqualTo(now);
    assertThat(instant(request.getRespondByTime())).isEqualTo(now.plus(WINDOW));
    assertThat(request.getReference()).matches("CR-[0-9A-HJKMNP-TV-Z]{10}");
    assertThat(UUID.fromString(request.getCancellationRequestId())).isNotNull();
    assertThat(request.getOrderId()).isEqualTo(order.getOrderId());
    assertThat(request.getBuyerId()).isEqualTo(buyer);
    assertThat(request.getSellerId()).isEqualTo(seller);
    assertThat(request.getReason()).isEqualTo(Code.BETTER_PRICE_ELSEWHERE);
    assertThat(request.getExplanation()).isEqualTo("half price next door");
    assertThat(request.hasResolvedBy()).isFalse();
    assertThat(request.hasResolveTime()).isFalse();
    assertThat(request.hasRefund()).isFalse();

    String id = request.getCancellationRequestId();
    assertThat(market.request(buyer, BUYER, id)).isEqualTo(request);
    assertThat(market.request(seller, SELLER, id)).isEqualTo(request);
    assertThat(market.request("agent-1", SUPPORT, id)).isEqualTo(request);
    assertThat(market.order(buyer, BUYER, order.getOrderId()).getState()).isEqualTo(Order.State.AWAITING_SHIPMENT);
    OrderEvent last = lastEvent(buyer, BUYER, order.getOrderId());
    assertThat(last.getType()).isEqualTo(OrderEvent.Type.CANCELLATION_REQUESTED);
    assertThat(last.getDetailsMap()).containsEntry("reference", request.getReference());
  }

  @Test
  void retryingARequestingCancelWithTheSameRequestId_returnsTheSameRequest_andOpensNoOther() {
    String buyer = unique("buyer");
    Order order = market.paid(buyer, unique("seller"));
    CancelOrderRequest cancel = cancelRequest(order.getOrderId(), Code.WRONG_ITEM_OR_SIZE);
    CancellationServiceBlockingStub stub = market.cancellations(buyer, BUYER);

    CancelOrderResponse first = stub.cancelOrder(cancel);
    server.clock.advance(Duration.ofSeconds(5));
    CancelOrderResponse again = stub.cancelOrder(cancel);

    assertThat(again).isEqualTo(first);
    assertThat(rows.requests(order.getOrderId())).isEqualTo(1);
    assertThat(rows.events(order.getOrderId(), "CANCELLATION_REQUESTED")).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(value = Order.State.class, names = {"SHIPPED", "DELIVERED"})
  void cancellingAfterShipment_isRefused_withTrackContactDisputeAndReturnAsAlternatives(Order.State state) {
    String buyer = unique("buyer");
    Order order = market.inState(state, buyer, unique("seller"));

    Errors error =
        failure(() -> market.cancellations(buyer, BUYER).cancelOrder(cancelRequest(order.getOrderId(), Code.ORDERED_BY_ACCIDENT)));

    assertThat(error.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(error.reason()).isEqualTo("ORDER_ALREADY_SHIPPED");
    assertThat(error.errorInfo().getMetadataMap()).containsEntry("orderState", state.name());
    assertThat(error.detail(PreconditionFailure.class)).isPresent();
    assertThat(market.order(buyer, BUYER, order.getOrderId())).isEqualTo(order);
    // SPEC §3 and the CancellationService contract: the same four alternatives for SHIPPED and DELIVERED.
    assertThat(alternatives(error))
        .containsExactlyInAnyOrderElementsOf(AFTER_SHIPMENT.stream().map(Enum::name).toList());
  }

  @Test
  void cancellingACancelledOrder_isANoOpForTheSameRequestId_andRefusedOtherwise() {
    String buyer = unique("buyer");
    Order order = market.placed(buyer, unique("seller"));
    CancelOrderRequest cancel = cancelRequest(order.getOrderId(), Code.ORDERED_BY_ACCIDENT);
    CancellationServiceBlockingStub stub = market.cancellations(buyer, BUYER);
    CancelOrderResponse first = stub.cancelOrder(cancel);
    long eventsAfterFirst = market.history(buyer, BUYER, order.getOrderId()).size();

    server.clock.advance(Duration.ofSeconds(30));
    CancelOrderResponse replayed = stub.cancelOrder(cancel);

    assertThat(replayed).isEqualTo(first);
    assertThat(market.history(buyer, BUYER, order.getOrderId())).hasSize((int) eventsAfterFirst);
    Errors again = failure(() -> stub.cancelOrder(cancelRequest(order.getOrderId(), Code.ORDERED_BY_ACCIDENT)));
    assertThat(again.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(again.reason()).isEqualTo("ORDER_ALREADY_CANCELLED");
    assertThat(again.errorInfo().getMetadataMap()).containsEntry("orderState", "CANCELLED");
    Errors reused = failure(() -> stub.cancelOrder(cancel.toBuilder().setReason(Code.WRONG_ITEM_OR_SIZE).build()));
    assertThat(reused.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(reused.reason()).isEqualTo("REQUEST_ID_REUSED");
    assertThat(market.order(buyer, BUYER, order.getOrderId())).isEqualTo(first.getOrder());
  }

  // ---------------------------------------------------------------------------------------------
  // SPEC §3, request states
  // ---------------------------------------------------------------------------------------------

  @Test
  void sellerApproves_orderIsCancelled_andTheTotalIsRefundedWithin3To20BusinessDays() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    CancellationRequest request = market.requested(buyer, seller);
    server.clock.advance(Duration.ofMinutes(1));
    Instant now = server.clock.instant();

    CancellationRequest approved = market.approve(seller, request.getCancellationRequestId());

    assertThat(approved.getState()).isEqualTo(CancellationRequest.State.APPROVED);
    assertThat(approved.getResolvedBy()).isEqualTo(Actor.newBuilder().setSubject(seller).setRole(Actor.Role.SELLER).build());
    assertThat(instant(approved.getResolveTime())).isEqualTo(now);
    Refund refund = approved.getRefund();
    assertThat(refund.getState()).isEqualTo(Refund.State.INITIATED);
    assertThat(refund.getAmount()).isEqualTo(Requests.usd(Requests.TOTAL));
    assertThat(refund.getPaymentMethod()).isEqualTo(Order.PaymentMethod.CARD);
    assertThat(refund.getOrderId()).isEqualTo(request.getOrderId());
    assertThat(refund.getCancellationRequestId()).isEqualTo(request.getCancellationRequestId());
    assertThat(refund.getExpectedBusinessDaysMin()).isEqualTo(3);
    assertThat(refund.getExpectedBusinessDaysMax()).isEqualTo(20);
    assertThat(instant(refund.getCreateTime())).isEqualTo(now);
    assertThat(instant(refund.getExpectedArrivalEarliestTime())).isEqualTo(plusBusinessDays(now, 3));
    assertThat(instant(refund.getExpectedArrivalLatestTime())).isEqualTo(plusBusinessDays(now, 20));
    assertThat(refund.hasCompleteTime()).isFalse();

    Order order = market.order(buyer, BUYER, request.getOrderId());
    assertThat(order.getState()).isEqualTo(Order.State.CANCELLED);
    assertThat(order.getCancellation().getKind()).isEqualTo(Cancellation.Kind.SELLER_APPROVED);
    assertThat(order.getCancellation().getCancellationRequestId()).isEqualTo(request.getCancellationRequestId());
    assertThat(order.getCancellation().getCancelledBy().getSubject()).isEqualTo(seller);
    assertThat(order.getCancellation().getReason()).isEqualTo(request.getReason());
    assertThat(order.getRefund()).isEqualTo(refund);
    assertThat(market.request(buyer, BUYER, request.getCancellationRequestId())).isEqualTo(approved);
    assertThat(rows.refunds(request.getOrderId())).isEqualTo(1);
  }

  @Test
  void approvingTwice_sameRequestIdReplays_anotherIsRefused_andThereIsOneRefund() {
    String seller = unique("seller");
    CancellationRequest request = market.requested(unique("buyer"), seller);
    CancellationServiceBlockingStub stub = market.cancellations(seller, SELLER);
    var approve = approveRequest(request.getCancellationRequestId());

    CancellationRequest first = stub.approveCancellationRequest(approve);
    CancellationRequest replayed = stub.approveCancellationRequest(approve);
    Errors second = failure(() -> market.approve(seller, request.getCancellationRequestId()));
    Errors reject =
        failure(() -> market.reject(seller, rejectRequest(request.getCancellationRequestId(), RejectionReason.OTHER).setNote("changed my mind")));

    assertThat(replayed).isEqualTo(first);
    for (Errors error : List.of(second, reject)) {
      assertThat(error.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(error.reason()).isEqualTo("CANCELLATION_REQUEST_NOT_PENDING");
      assertThat(error.errorInfo().getMetadataMap()).containsEntry("requestState", "APPROVED");
    }
    assertThat(rows.refunds(request.getOrderId())).isEqualTo(1);
    assertThat(rows.events(request.getOrderId(), "CANCELLATION_APPROVED")).isEqualTo(1);
  }

  @Test
  void sellerRejectsWithOther_needsANote_orderStaysAwaitingShipment_andTheBuyerMayAskTwiceInAll() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    CancellationRequest first = market.requested(buyer, seller);
    String orderId = first.getOrderId();

    Errors noNote = failure(() -> market.reject(seller, rejectRequest(first.getCancellationRequestId(), RejectionReason.OTHER)));
    assertThat(noNote.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(noNote.violatedFields()).containsExactly("note");
    assertThat(market.request(buyer, BUYER, first.getCancellationRequestId()).getState()).isEqualTo(CancellationRequest.State.PENDING);

    CancellationRequest rejected =
        market.reject(seller, rejectRequest(first.getCancellationRequestId(), RejectionReason.OTHER).setNote("custom engraving started"));
    assertThat(rejected.getState()).isEqualTo(CancellationRequest.State.REJECTED);
    assertThat(rejected.getRejectionReason()).isEqualTo(RejectionReason.OTHER);
    assertThat(rejected.getRejectionNote()).isEqualTo("custom engraving started");
    assertThat(rejected.getResolvedBy().getSubject()).isEqualTo(seller);
    assertThat(rejected.hasResolveTime()).isTrue();
    assertThat(rejected.hasRefund()).isFalse();
    Order order = market.order(buyer, BUYER, orderId);
    assertThat(order.getState()).isEqualTo(Order.State.AWAITING_SHIPMENT);
    assertThat(order.hasRefund()).isFalse();
    CancellationEligibility again = market.eligibility(buyer, BUYER, orderId);
    assertThat(again.getOutcome()).isEqualTo(CancellationEligibility.Outcome.REQUEST_SELLER_APPROVAL);
    assertThat(again.getRequestsRemaining()).isEqualTo(1);

    CancellationRequest second = market.ask(buyer, orderId).getCancellationRequest();
    assertThat(second.getState()).isEqualTo(CancellationRequest.State.PENDING);
    assertThat(second.getCancellationRequestId()).isNotEqualTo(first.getCancellationRequestId());
    market.reject(seller, rejectRequest(second.getCancellationRequestId(), RejectionReason.ALREADY_PREPARED_OR_CUSTOMISED));

    CancellationEligibility exhausted = market.eligibility(buyer, BUYER, orderId);
    assertThat(exhausted.getOutcome()).isEqualTo(CancellationEligibility.Outcome.NOT_CANCELLABLE);
    assertThat(exhausted.getBlockedReason()).isEqualTo(BlockedReason.CANCELLATION_REQUEST_LIMIT_REACHED);
    assertThat(exhausted.getRequestsRemaining()).isZero();
    Errors third = failure(() -> market.ask(buyer, orderId));
    assertThat(third.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(third.reason()).isEqualTo("CANCELLATION_REQUEST_LIMIT_REACHED");
    assertThat(rows.requests(orderId)).isEqualTo(2);
    assertThat(market.order(buyer, BUYER, orderId).getState()).isEqualTo(Order.State.AWAITING_SHIPMENT);
  }

  @Test
  void sellerRejectsAsAlreadyShipped_needsCarrierAndTracking_andTheOrderBecomesShipped() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    CancellationRequest request = market.requested(buyer, seller);
    String id = request.getCancellationRequestId();

    Errors missing = failure(() -> market.reject(seller, rejectRequest(id, RejectionReason.ALREADY_SHIPPED)));
    assertThat(missing.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(missing.violatedFields()).containsExactlyInAnyOrder("carrier", "tracking_number");
    Errors noTracking = failure(() -> market.reject(seller, rejectRequest(id, RejectionReason.ALREADY_SHIPPED).setCarrier("Cainiao")));
    assertThat(noTracking.violatedFields()).containsExactly("tracking_number");
    assertThat(market.order(buyer, BUYER, request.getOrderId()).getState()).isEqualTo(Order.State.AWAITING_SHIPMENT);

    CancellationRequest rejected =
        market.reject(seller, rejectRequest(id, RejectionReason.ALREADY_SHIPPED).setCarrier("Cainiao").setTrackingNumber("LP00999"));

    assertThat(rejected.getState()).isEqualTo(CancellationRequest.State.REJECTED);
    assertThat(rejected.getRejectionReason()).isEqualTo(RejectionReason.ALREADY_SHIPPED);
    Order order = market.order(buyer, BUYER, request.getOrderId());
    assertThat(order.getState()).isEqualTo(Order.State.SHIPPED);
    assertThat(order.getShipment().getCarrier()).isEqualTo("Cainiao");
    assertThat(order.getShipment().getTrackingNumber()).isEqualTo("LP00999");
    assertThat(order.getShipment().hasShipTime()).isTrue();
    List<OrderEvent> history = market.history(buyer, BUYER, request.getOrderId());
    assertThat(history.subList(history.size() - 2, history.size()))
        .extracting(OrderEvent::getType)
        .containsExactly(OrderEvent.Type.CANCELLATION_REJECTED, OrderEvent.Type.ORDER_SHIPPED);
    assertThat(market.eligibility(buyer, BUYER, request.getOrderId()).getBlockedReason()).isEqualTo(BlockedReason.ORDER_ALREADY_SHIPPED);
  }

  @Test
  void buyerWithdraws_requestIsWithdrawn_andTheSellerMayShipAgain() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    CancellationRequest request = market.requested(buyer, seller);

    CancellationRequest withdrawn = market.withdraw(buyer, request.getCancellationRequestId());

    assertThat(withdrawn.getState()).isEqualTo(CancellationRequest.State.WITHDRAWN);
    assertThat(withdrawn.getResolvedBy()).isEqualTo(Actor.newBuilder().setSubject(buyer).setRole(Actor.Role.BUYER).build());
    assertThat(market.request(seller, SELLER, request.getCancellationRequestId())).isEqualTo(withdrawn);
    Errors lateApproval = failure(() -> market.approve(seller, request.getCancellationRequestId()));
    assertThat(lateApproval.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(lateApproval.reason()).isEqualTo("CANCELLATION_REQUEST_NOT_PENDING");
    assertThat(rows.refunds(request.getOrderId())).isZero();
    assertThat(market.orders(seller, SELLER).shipOrder(Requests.ship(request.getOrderId())).getState()).isEqualTo(Order.State.SHIPPED);
  }

  @Test
  void shippingWhileARequestIsPending_isRefused_untilTheSellerAnswers() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    CancellationRequest request = market.requested(buyer, seller);

    for (Runnable ship :
        List.<Runnable>of(
            () -> market.orders(seller, SELLER).shipOrder(Requests.ship(request.getOrderId())),
            () -> market.logistics().shipOrder(Requests.ship(request.getOrderId())))) {
      Errors error = failure(ship);
      assertThat(error.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(error.reason()).isEqualTo("CANCELLATION_REQUEST_PENDING");
      assertThat(error.errorInfo().getMetadataMap()).containsEntry("cancellationRequestId", request.getCancellationRequestId());
    }
    assertThat(market.order(buyer, BUYER, request.getOrderId()).getState()).isEqualTo(Order.State.AWAITING_SHIPMENT);
    assertThat(market.request(buyer, BUYER, request.getCancellationRequestId()).getState()).isEqualTo(CancellationRequest.State.PENDING);
  }

  @Test
  void aSecondCancelWhileARequestIsPending_isRefused_oneRequestPerOrderAtATime() {
    String buyer = unique("buyer");
    CancellationRequest request = market.requested(buyer, unique("seller"));

    Errors error = failure(() -> market.ask(buyer, request.getOrderId()));

    assertThat(error.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(error.reason()).isEqualTo("CANCELLATION_REQUEST_PENDING");
    assertThat(error.errorInfo().getMetadataMap()).containsEntry("cancellationRequestId", request.getCancellationRequestId());
    assertThat(rows.requests(request.getOrderId())).isEqualTo(1);
  }

  // ---------------------------------------------------------------------------------------------
  // Eligibility
  // ---------------------------------------------------------------------------------------------

  @Test
  void eligibility_unpaidOrder_cancelImmediately_withEveryReason() {
    String buyer = unique("buyer");
    Order order = market.placed(buyer, unique("seller"));

    CancellationEligibility eligibility = market.eligibility(buyer, BUYER, order.getOrderId());

    assertThat(eligibility.getOrderId()).isEqualTo(order.getOrderId());
    assertThat(eligibility.getOrderState()).isEqualTo(Order.State.AWAITING_PAYMENT);
    assertThat(eligibility.getOutcome()).isEqualTo(CancellationEligibility.Outcome.CANCEL_IMMEDIATELY);
    assertThat(eligibility.getBlockedReason()).isEqualTo(BlockedReason.BLOCKED_REASON_UNSPECIFIED);
    assertThat(eligibility.getReasonsList()).extracting(CancellationReason::getCode).hasSize(6).contains(Code.OTHER);
    assertThat(eligibility.getRequestsRemaining()).isEqualTo(2);
    assertThat(market.eligibility("agent-2", SUPPORT, order.getOrderId())).isEqualTo(eligibility);
  }

  @Test
  void eligibility_paymentBeingVerified_retryLater_withRetryAfter() {
    String buyer = unique("buyer");
    Order order = market.processing(buyer, unique("seller"));

    CancellationEligibility eligibility = market.eligibility(buyer, BUYER, order.getOrderId());

    assertThat(eligibility.getOutcome()).isEqualTo(CancellationEligibility.Outcome.RETRY_LATER);
    assertThat(eligibility.getBlockedReason()).isEqualTo(BlockedReason.PAYMENT_VERIFICATION_IN_PROGRESS);
    assertThat(duration(eligibility.getRetryAfter())).isEqualTo(PAYMENT_RETRY);
    assertThat(eligibility.getReasonsList()).isEmpty();
  }

  @Test
  void eligibility_paidOrder_requestSellerApproval_withTheDeadlineIfRequestedNow() {
    String buyer = unique("buyer");
    Order order = market.paid(buyer, unique("seller"));
    Instant now = server.clock.instant();

    CancellationEligibility eligibility = market.eligibility(buyer, BUYER, order.getOrderId());

    assertThat(eligibility.getOutcome()).isEqualTo(CancellationEligibility.Outcome.REQUEST_SELLER_APPROVAL);
    assertThat(eligibility.getBlockedReason()).isEqualTo(BlockedReason.BLOCKED_REASON_UNSPECIFIED);
    assertThat(instant(eligibility.getNewRequestRespondByTime())).isEqualTo(now.plus(WINDOW));
    assertThat(eligibility.getReasonsList()).hasSize(6);
    assertThat(eligibility.getRequestsRemaining()).isEqualTo(2);
    assertThat(eligibility.hasPendingRequest()).isFalse();
  }

  @Test
  void eligibility_withARequestPending_showsThePendingRequest_andChangesNothing() {
    String buyer = unique("buyer");
    CancellationRequest request = market.requested(buyer, unique("seller"));
    int historyBefore = market.history(buyer, BUYER, request.getOrderId()).size();

    CancellationEligibility eligibility = market.eligibility(buyer, BUYER, request.getOrderId());

    assertThat(eligibility.getOutcome()).isEqualTo(CancellationEligibility.Outcome.REQUEST_PENDING);
    assertThat(eligibility.getBlockedReason()).isEqualTo(BlockedReason.CANCELLATION_REQUEST_PENDING);
    assertThat(eligibility.getPendingRequest().getCancellationRequestId()).isEqualTo(request.getCancellationRequestId());
    assertThat(eligibility.getPendingRequest().getRespondByTime()).isEqualTo(request.getRespondByTime());
    assertThat(eligibility.getPendingRequest().getState()).isEqualTo(CancellationRequest.State.PENDING);
    assertThat(eligibility.getRequestsRemaining()).isEqualTo(1);
    assertThat(market.history(buyer, BUYER, request.getOrderId())).hasSize(historyBefore);
  }

  @ParameterizedTest
  @EnumSource(value = Order.State.class, names = {"SHIPPED", "DELIVERED"})
  void eligibility_afterShipment_notCancellable_withTheSameAlternativesACancelIsRefusedWith(Order.State state) {
    String buyer = unique("buyer");
    Order order = market.inState(state, buyer, unique("seller"));

    CancellationEligibility eligibility = market.eligibility(buyer, BUYER, order.getOrderId());
    Errors refusal =
        failure(() -> market.cancellations(buyer, BUYER).cancelOrder(cancelRequest(order.getOrderId(), Code.ORDERED_BY_ACCIDENT)));

    assertThat(eligibility.getOrderState()).isEqualTo(state);
    assertThat(eligibility.getOutcome()).isEqualTo(CancellationEligibility.Outcome.NOT_CANCELLABLE);
    assertThat(eligibility.getBlockedReason()).isEqualTo(BlockedReason.ORDER_ALREADY_SHIPPED);
    assertThat(refusal.reason()).isEqualTo(eligibility.getBlockedReason().name());
    assertThat(eligibility.getReasonsList()).isEmpty();
    assertThat(eligibility.getAlternativesList())
        .contains(Alternative.CONTACT_SELLER, Alternative.OPEN_DISPUTE, Alternative.RETURN_AFTER_DELIVERY);
    assertThat(eligibility.getAlternativesList()).extracting(Enum::name).containsExactlyElementsOf(alternatives(refusal));
  }

  @Test
  void eligibility_cancelledOrder_alreadyCancelled() {
    String buyer = unique("buyer");
    Order order = market.placed(buyer, unique("seller"));
    market.cancellations(buyer, BUYER).cancelOrder(cancelRequest(order.getOrderId(), Code.ORDERED_BY_ACCIDENT));

    CancellationEligibility eligibility = market.eligibility(buyer, BUYER, order.getOrderId());

    assertThat(eligibility.getOrderState()).isEqualTo(Order.State.CANCELLED);
    assertThat(eligibility.getOutcome()).isEqualTo(CancellationEligibility.Outcome.ALREADY_CANCELLED);
    assertThat(eligibility.getBlockedReason()).isEqualTo(BlockedReason.ORDER_ALREADY_CANCELLED);
    assertThat(eligibility.getReasonsList()).isEmpty();
    assertThat(eligibility.getRequestsRemaining()).isZero();
  }

  // ---------------------------------------------------------------------------------------------
  // Input, identity and access
  // ---------------------------------------------------------------------------------------------

  @Test
  void reasonOther_needsAnExplanation_ofAtMost1000Characters() {
    String buyer = unique("buyer");
    Order order = market.paid(buyer, unique("seller"));
    CancellationServiceBlockingStub stub = market.cancellations(buyer, BUYER);

    Errors missing = failure(() -> stub.cancelOrder(cancelRequest(order.getOrderId(), Code.OTHER)));
    Errors tooLong =
        failure(() -> stub.cancelOrder(cancelRequest(order.getOrderId(), Code.OTHER).toBuilder().setExplanation("x".repeat(1001)).build()));
    Errors noReason = failure(() -> stub.cancelOrder(cancelRequest(order.getOrderId(), Code.CODE_UNSPECIFIED)));

    assertThat(missing.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(missing.violatedFields()).containsExactly("explanation");
    assertThat(tooLong.violatedFields()).containsExactly("explanation");
    assertThat(noReason.violatedFields()).containsExactly("reason");
    assertThat(rows.requests(order.getOrderId())).isZero();

    CancelOrderResponse explained =
        stub.cancelOrder(cancelRequest(order.getOrderId(), Code.OTHER).toBuilder().setExplanation("x".repeat(1000)).build());
    assertThat(explained.getCancellationRequest().getExplanation()).hasSize(1000);

    List<CancellationReason> reasons =
        market.cancellations(buyer, BUYER).listCancellationReasons(ListCancellationReasonsRequest.getDefaultInstance()).getReasonsList();
    assertThat(reasons)
        .extracting(CancellationReason::getCode)
        .containsExactly(
            Code.ORDERED_BY_ACCIDENT,
            Code.BETTER_PRICE_ELSEWHERE,
            Code.WRONG_ITEM_OR_SIZE,
            Code.CHANGE_DELIVERY_ADDRESS,
            Code.SELLER_POOR_REVIEWS_OR_SLOW_SHIPPING,
            Code.OTHER);
    assertThat(reasons).filteredOn(CancellationReason::getExplanationRequired).extracting(CancellationReason::getCode).containsExactly(Code.OTHER);
    assertThat(reasons).allSatisfy(r -> assertThat(r.getDisplayLabel()).isNotBlank());
  }

  @Test
  void malformedIds_areInvalidArgument_namingEveryBadField() {
    String buyer = unique("buyer");
    CancellationServiceBlockingStub asBuyer = market.cancellations(buyer, BUYER);
    CancellationServiceBlockingStub asSeller = market.cancellations(unique("seller"), SELLER);
    String junk = "1; DROP TABLE orders";

    assertInvalid(
        failure(() -> asBuyer.checkCancellationEligibility(
            dev.marketplace.orders.v1.CheckCancellationEligibilityRequest.newBuilder().setOrderId(junk).build())),
        "order_id");
    assertInvalid(
        failure(() -> asBuyer.cancelOrder(CancelOrderRequest.newBuilder().setRequestId("not-a-uuid").setOrderId(junk).build())),
        "request_id", "order_id", "reason");
    assertInvalid(
        failure(() -> asBuyer.getCancellationRequest(GetCancellationRequestRequest.newBuilder().setCancellationRequestId("").build())),
        "cancellation_request_id");
    assertInvalid(
        failure(() -> asSeller.approveCancellationRequest(
            dev.marketplace.orders.v1.ApproveCancellationRequestRequest.newBuilder().setRequestId("x").setCancellationRequestId(junk).build())),
        "request_id", "cancellation_request_id");
    assertInvalid(
        failure(() -> asSeller.rejectCancellationRequest(
            dev.marketplace.orders.v1.RejectCancellationRequestRequest.newBuilder().setRequestId(Requests.newId()).setCancellationRequestId(junk).build())),
        "cancellation_request_id", "rejection_reason");
    assertInvalid(
        failure(() -> asBuyer.withdrawCancellationRequest(
            WithdrawCancellationRequestRequest.newBuilder().setCancellationRequestId(junk).build())),
        "request_id", "cancellation_request_id");
    assertInvalid(
        failure(() -> asBuyer.listCancellationRequests(
            ListCancellationRequestsRequest.newBuilder().setOrderId(junk).addStatesValue(0).setPageSize(-1).build())),
        "order_id", "states[0]", "page_size");
    assertInvalid(
        failure(() -> asBuyer.listCancellationRequests(ListCancellationRequestsRequest.newBuilder().setPageToken("garbage").build())),
        "page_token");
    assertInvalid(
        failure(() -> market.refunds().recordRefundResult(
            RecordRefundResultRequest.newBuilder().setRequestId(Requests.newId()).setRefundId(junk).build())),
        "refund_id", "outcome");
  }

  private static void assertInvalid(Errors error, String... fields) {
    assertThat(error.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(error.violatedFields()).containsExactlyInAnyOrder(fields);
    assertThat(error.status().getMessage()).doesNotContain("Exception").doesNotContain("SQL");
  }

  @Test
  void anotherBuyerOrSeller_getsNotFound_andCannotTouchTheRequest() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    CancellationRequest request = market.requested(buyer, seller);
    String id = request.getCancellationRequestId();
    String orderId = request.getOrderId();
    String strangerBuyer = unique("stranger");
    String otherShop = unique("other-shop");

    List<Runnable> strangers =
        List.of(
            () -> market.eligibility(strangerBuyer, BUYER, orderId),
            () -> market.ask(strangerBuyer, orderId),
            () -> market.request(strangerBuyer, BUYER, id),
            () -> market.withdraw(strangerBuyer, id),
            () -> market.request(otherShop, SELLER, id),
            () -> market.approve(otherShop, id),
            () -> market.reject(otherShop, rejectRequest(id, RejectionReason.ALREADY_PREPARED_OR_CUSTOMISED)),
            () -> market.request(buyer, BUYER, UUID.randomUUID().toString()),
            () -> market.eligibility(buyer, BUYER, UUID.randomUUID().toString()),
            () -> market.approve(seller, UUID.randomUUID().toString()));
    for (int i = 0; i < strangers.size(); i++) {
      Errors error = failure(strangers.get(i));
      assertThat(error.code()).as("call %d: %s", i, error.status()).isEqualTo(Status.Code.NOT_FOUND);
      assertThat(error.reason()).isIn("ORDER_NOT_FOUND", "CANCELLATION_REQUEST_NOT_FOUND");
    }
    assertThat(market.request(buyer, BUYER, id)).isEqualTo(request);
    assertThat(market.cancellations(strangerBuyer, BUYER).listCancellationRequests(
            ListCancellationRequestsRequest.newBuilder().setOrderId(orderId).build()).getCancellationRequestsList())
        .isEmpty();
  }

  @Test
  void rolesActOnlyOnTheirSide_buyerCannotApprove_sellerCannotCancel_refundsNeedTheirScope() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    CancellationRequest request = market.requested(buyer, seller);
    String id = request.getCancellationRequestId();
    Order unpaid = market.placed(buyer, seller);

    List<Runnable> refused =
        List.of(
            () -> market.cancellations(buyer, BUYER).approveCancellationRequest(approveRequest(id)),
            () -> market.cancellations(buyer, BUYER)
                .rejectCancellationRequest(rejectRequest(id, RejectionReason.ALREADY_PREPARED_OR_CUSTOMISED).build()),
            () -> market.cancellations(seller, SELLER).cancelOrder(cancelRequest(unpaid.getOrderId(), Code.ORDERED_BY_ACCIDENT)),
            () -> market.cancellations(seller, SELLER)
                .withdrawCancellationRequest(
                    WithdrawCancellationRequestRequest.newBuilder().setRequestId(Requests.newId()).setCancellationRequestId(id).build()),
            () -> market.eligibility(seller, SELLER, unpaid.getOrderId()),
            () -> market.cancellations("agent-3", SUPPORT).cancelOrder(cancelRequest(unpaid.getOrderId(), Code.ORDERED_BY_ACCIDENT)),
            () -> market.cancellations("payments", SERVICE, "payments.record").recordRefundResult(completed(UUID.randomUUID().toString())),
            () -> market.cancellations(buyer, BUYER).recordRefundResult(completed(UUID.randomUUID().toString())),
            () -> market.cancellations("reporting", SERVICE, "orders.read").listCancellationRequests(ListCancellationRequestsRequest.getDefaultInstance()));
    for (int i = 0; i < refused.size(); i++) {
      Errors error = failure(refused.get(i));
      assertThat(error.code()).as("call %d: %s", i, error.status()).isEqualTo(Status.Code.PERMISSION_DENIED);
    }
    Errors anonymous =
        failure(() -> CancellationServiceGrpc.newBlockingStub(server.channel())
            .cancelOrder(cancelRequest(unpaid.getOrderId(), Code.ORDERED_BY_ACCIDENT)));
    assertThat(anonymous.code()).isEqualTo(Status.Code.UNAUTHENTICATED);

    assertThat(market.request(buyer, BUYER, id).getState()).isEqualTo(CancellationRequest.State.PENDING);
    assertThat(market.order(buyer, BUYER, unpaid.getOrderId()).getState()).isEqualTo(Order.State.AWAITING_PAYMENT);
  }

  // ---------------------------------------------------------------------------------------------
  // ListCancellationRequests
  // ---------------------------------------------------------------------------------------------

  @Test
  void sellerInbox_listsPendingFirstByDeadline_thenResolved_acrossPages() {
    String seller = unique("seller");
    List<CancellationRequest> made = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      made.add(market.requested(unique("buyer"), seller));
      server.clock.advance(Duration.ofMinutes(1));
    }
    CancellationRequest a = made.get(0);
    CancellationRequest b = made.get(1);
    CancellationRequest c = made.get(2);
    CancellationRequest d = made.get(3);
    market.reject(seller, rejectRequest(a.getCancellationRequestId(), RejectionReason.ALREADY_PREPARED_OR_CUSTOMISED));
    market.withdraw(c.getBuyerId(), c.getCancellationRequestId());
    market.requested(unique("buyer"), unique("another-shop"));

    CancellationServiceBlockingStub inbox = market.cancellations(seller, SELLER);
    List<ListCancellationRequestsResponse> pages = new ArrayList<>();
    String token = "";
    do {
      ListCancellationRequestsResponse page =
          inbox.listCancellationRequests(ListCancellationRequestsRequest.newBuilder().setPageSize(3).setPageToken(token).build());
      pages.add(page);
      token = page.getNextPageToken();
    } while (!token.isEmpty() && pages.size() < 10);

    assertThat(pages).hasSize(2);
    assertThat(pages.get(0).getCancellationRequestsCount()).isEqualTo(3);
    List<CancellationRequest> listed = pages.stream().flatMap(p -> p.getCancellationRequestsList().stream()).toList();
    assertThat(listed)
        .extracting(CancellationRequest::getCancellationRequestId)
        .containsExactly(
            b.getCancellationRequestId(), d.getCancellationRequestId(), a.getCancellationRequestId(), c.getCancellationRequestId());
    assertThat(listed)
        .extracting(CancellationRequest::getState)
        .containsExactly(
            CancellationRequest.State.PENDING,
            CancellationRequest.State.PENDING,
            CancellationRequest.State.REJECTED,
            CancellationRequest.State.WITHDRAWN);

    ListCancellationRequestsResponse pendingOnly =
        inbox.listCancellationRequests(ListCancellationRequestsRequest.newBuilder().addStates(CancellationRequest.State.PENDING).build());
    assertThat(pendingOnly.getCancellationRequestsList())
        .extracting(CancellationRequest::getCancellationRequestId)
        .containsExactly(b.getCancellationRequestId(), d.getCancellationRequestId());
    String firstToken = pages.get(0).getNextPageToken();
    Errors otherFilter =
        failure(() -> inbox.listCancellationRequests(
            ListCancellationRequestsRequest.newBuilder().setPageToken(firstToken).addStates(CancellationRequest.State.REJECTED).build()));
    assertThat(otherFilter.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(otherFilter.violatedFields()).containsExactly("page_token");
  }

  @Test
  void buyerListsOnlyTheirOwnRequests() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    CancellationRequest mine1 = market.requested(buyer, seller);
    CancellationRequest mine2 = market.requested(buyer, unique("seller"));
    CancellationRequest theirs = market.requested(unique("buyer"), seller);

    List<CancellationRequest> listed =
        market.cancellations(buyer, BUYER).listCancellationRequests(ListCancellationRequestsRequest.getDefaultInstance()).getCancellationRequestsList();

    assertThat(listed)
        .extracting(CancellationRequest::getCancellationRequestId)
        .containsExactlyInAnyOrder(mine1.getCancellationRequestId(), mine2.getCancellationRequestId())
        .doesNotContain(theirs.getCancellationRequestId());
  }

  @Test
  void supportListsEveryonesRequests_filteredByState() {
    CancellationRequest pending = market.requested(unique("buyer"), unique("seller"));
    String rejectingSeller = unique("seller");
    CancellationRequest rejected = market.requested(unique("buyer"), rejectingSeller);
    market.reject(rejectingSeller, rejectRequest(rejected.getCancellationRequestId(), RejectionReason.ALREADY_PREPARED_OR_CUSTOMISED));

    List<CancellationRequest> onlyRejected = listAllAsSupport(CancellationRequest.State.REJECTED);
    List<CancellationRequest> pendingOrRejected = listAllAsSupport(CancellationRequest.State.PENDING, CancellationRequest.State.REJECTED);

    assertThat(onlyRejected).allSatisfy(r -> assertThat(r.getState()).isEqualTo(CancellationRequest.State.REJECTED));
    assertThat(onlyRejected)
        .extracting(CancellationRequest::getCancellationRequestId)
        .contains(rejected.getCancellationRequestId())
        .doesNotContain(pending.getCancellationRequestId());
    assertThat(pendingOrRejected)
        .extracting(CancellationRequest::getCancellationRequestId)
        .contains(rejected.getCancellationRequestId(), pending.getCancellationRequestId());
    assertThat(
            market.cancellations("agent-4", SUPPORT)
                .listCancellationRequests(ListCancellationRequestsRequest.newBuilder().setOrderId(pending.getOrderId()).build())
                .getCancellationRequestsList())
        .containsExactly(pending);
  }

  private static List<CancellationRequest> listAllAsSupport(CancellationRequest.State... states) {
    CancellationServiceBlockingStub support = market.cancellations("agent-4", SUPPORT);
    List<CancellationRequest> all = new ArrayList<>();
    String token = "";
    do {
      ListCancellationRequestsResponse page =
          support.listCancellationRequests(
              ListCancellationRequestsRequest.newBuilder().addAllStates(List.of(states)).setPageSize(100).setPageToken(token).build());
      all.addAll(page.getCancellationRequestsList());
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return all;
  }

  // ---------------------------------------------------------------------------------------------
  // Refund results and history
  // ---------------------------------------------------------------------------------------------

  private static RecordRefundResultRequest completed(String refundId) {
    return RecordRefundResultRequest.newBuilder()
        .setRequestId(Requests.newId())
        .setRefundId(refundId)
        .setOutcome(RecordRefundResultRequest.Outcome.COMPLETED)
        .build();
  }

  @Test
  void paymentsReportsTheRefundCompleted_once_andTheOrderShowsIt() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    CancellationRequest request = market.requested(buyer, seller);
    Refund initiated = market.approve(seller, request.getCancellationRequestId()).getRefund();
    server.clock.advance(Duration.ofMinutes(2));
    Instant now = server.clock.instant();
    RecordRefundResultRequest complete = completed(initiated.getRefundId());

    Refund done = market.refunds().recordRefundResult(complete);

    assertThat(done.getState()).isEqualTo(Refund.State.COMPLETED);
    assertThat(instant(done.getCompleteTime())).isEqualTo(now);
    assertThat(done.getAmount()).isEqualTo(initiated.getAmount());
    assertThat(market.order(buyer, BUYER, request.getOrderId()).getRefund()).isEqualTo(done);
    assertThat(market.refunds().recordRefundResult(complete)).as("a retry replays").isEqualTo(done);

    Errors conflicting =
        failure(() -> market.refunds().recordRefundResult(
            RecordRefundResultRequest.newBuilder()
                .setRequestId(Requests.newId())
                .setRefundId(initiated.getRefundId())
                .setOutcome(RecordRefundResultRequest.Outcome.FAILED)
                .setFailureReason("card closed")
                .build()));
    assertThat(conflicting.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(conflicting.reason()).isEqualTo("REFUND_ALREADY_SETTLED");
    assertThat(market.order(buyer, BUYER, request.getOrderId()).getRefund().getState()).isEqualTo(Refund.State.COMPLETED);
    assertThat(rows.events(request.getOrderId(), "REFUND_COMPLETED")).isEqualTo(1);
    assertThat(rows.events(request.getOrderId(), "REFUND_FAILED")).isZero();

    Errors unknown = failure(() -> market.refunds().recordRefundResult(completed(UUID.randomUUID().toString())));
    assertThat(unknown.code()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void paymentsReportsTheRefundFailed_withItsReason() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    CancellationRequest request = market.requested(buyer, seller);
    Refund initiated = market.approve(seller, request.getCancellationRequestId()).getRefund();

    Refund failed =
        market.refunds().recordRefundResult(
            RecordRefundResultRequest.newBuilder()
                .setRequestId(Requests.newId())
                .setRefundId(initiated.getRefundId())
                .setOutcome(RecordRefundResultRequest.Outcome.FAILED)
                .setFailureReason("card closed")
                .build());

    assertThat(failed.getState()).isEqualTo(Refund.State.FAILED);
    assertThat(failed.getFailureReason()).isEqualTo("card closed");
    assertThat(market.order(buyer, BUYER, request.getOrderId()).getRefund()).isEqualTo(failed);
    assertThat(failure(() -> market.refunds().recordRefundResult(completed(initiated.getRefundId()))).reason())
        .isEqualTo("REFUND_ALREADY_SETTLED");
  }

  @Test
  void history_recordsRequestApprovalCancellationAndRefund_withWhoDidEach() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    CancellationRequest request = market.requested(buyer, seller);
    Refund refund = market.approve(seller, request.getCancellationRequestId()).getRefund();
    market.refunds().recordRefundResult(completed(refund.getRefundId()));

    List<OrderEvent> history = market.history(seller, SELLER, request.getOrderId());

    assertThat(history)
        .extracting(OrderEvent::getType)
        .containsExactly(
            OrderEvent.Type.ORDER_CREATED,
            OrderEvent.Type.PAYMENT_CAPTURED,
            OrderEvent.Type.CANCELLATION_REQUESTED,
            OrderEvent.Type.CANCELLATION_APPROVED,
            OrderEvent.Type.ORDER_CANCELLED,
            OrderEvent.Type.REFUND_INITIATED,
            OrderEvent.Type.REFUND_COMPLETED);
    assertThat(history).extracting(OrderEvent::getSequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(history.subList(2, 7))
        .extracting(e -> e.getActor().getSubject() + "/" + e.getActor().getRole())
        .containsExactly(buyer + "/BUYER", seller + "/SELLER", seller + "/SELLER", seller + "/SELLER", "payments/SERVICE");
    assertThat(history.get(2).getDetailsMap()).containsEntry("cancellationRequestId", request.getCancellationRequestId());
    assertThat(history.get(2).getOrderState()).isEqualTo(Order.State.AWAITING_SHIPMENT);
    assertThat(history.get(4).getOrderState()).isEqualTo(Order.State.CANCELLED);
    assertThat(history.get(5).getDetailsMap())
        .containsEntry("refundId", refund.getRefundId())
        .containsEntry("amount", Long.toString(Requests.TOTAL));
    assertThat(history.get(6).getDetailsMap()).containsEntry("refundId", refund.getRefundId());
    assertThat(market.history(buyer, BUYER, request.getOrderId())).isEqualTo(history);
  }

  // ---------------------------------------------------------------------------------------------
  // The seller stays silent (own servers: these move the clock by days)
  // ---------------------------------------------------------------------------------------------

  /**
   * Every read path expires a due request by itself: each order below is first looked at through a
   * different one, with no sweep having run. The deadline falls on a Friday, so the refund window
   * visibly skips the weekend.
   */
  @Test
  void sellerSilentFor72Hours_everyReadAlreadyShowsTheRequestAutoApproved_andTheOrderCancelledAndRefunded() throws Exception {
    try (GrpcTestServer own = new GrpcTestServer()) {
      Marketplace shop = Marketplace.of(own);
      Rows db = Rows.of(own.dataSource());
      ZonedDateTime tuesday =
          own.clock.instant().atZone(ZoneOffset.UTC).plusDays(1).with(TemporalAdjusters.next(DayOfWeek.TUESDAY)).with(LocalTime.of(10, 0));
      own.clock.set(tuesday.toInstant());
      String seller = unique("seller");
      List<CancellationRequest> requests = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        requests.add(shop.requested(unique("buyer-" + i), seller));
      }
      Instant respondBy = instant(requests.get(0).getRespondByTime());
      assertThat(respondBy).isEqualTo(tuesday.plusDays(3).toInstant());

      own.clock.set(respondBy.minusSeconds(1));
      assertThat(shop.request(seller, SELLER, requests.get(0).getCancellationRequestId()).getState())
          .as("one second before the deadline the seller still has time")
          .isEqualTo(CancellationRequest.State.PENDING);

      own.clock.set(respondBy.plusSeconds(1));
      Instant expiredAt = own.clock.instant();

      // 0: GetCancellationRequest
      CancellationRequest viaGet = shop.request(requests.get(0).getBuyerId(), BUYER, requests.get(0).getCancellationRequestId());
      assertThat(viaGet.getState()).isEqualTo(CancellationRequest.State.AUTO_APPROVED);
      assertThat(viaGet.getResolvedBy()).isEqualTo(Actor.newBuilder().setSubject("platform").setRole(Actor.Role.SYSTEM).build());
      assertThat(instant(viaGet.getResolveTime())).isEqualTo(expiredAt);
      assertThat(viaGet.getRefund().getState()).isEqualTo(Refund.State.INITIATED);
      assertThat(viaGet.getRefund().getAmount()).isEqualTo(Requests.usd(Requests.TOTAL));
      ZonedDateTime friday = expiredAt.atZone(ZoneOffset.UTC);
      assertThat(friday.getDayOfWeek()).isEqualTo(DayOfWeek.FRIDAY);
      assertThat(instant(viaGet.getRefund().getExpectedArrivalEarliestTime())).isEqualTo(friday.plusDays(5).toInstant());
      assertThat(instant(viaGet.getRefund().getExpectedArrivalLatestTime())).isEqualTo(friday.plusWeeks(4).toInstant());

      // 1: GetOrder
      Order viaGetOrder = shop.order(requests.get(1).getBuyerId(), BUYER, requests.get(1).getOrderId());
      assertThat(viaGetOrder.getState()).isEqualTo(Order.State.CANCELLED);
      assertThat(viaGetOrder.getCancellation().getKind()).isEqualTo(Cancellation.Kind.AUTO_APPROVED);
      assertThat(viaGetOrder.getCancellation().getCancelledBy().getRole()).isEqualTo(Actor.Role.SYSTEM);
      assertThat(viaGetOrder.getCancellation().getCancellationRequestId()).isEqualTo(requests.get(1).getCancellationRequestId());
      assertThat(viaGetOrder.getRefund().getState()).isEqualTo(Refund.State.INITIATED);

      // 2: CheckCancellationEligibility
      CancellationEligibility viaEligibility = shop.eligibility(requests.get(2).getBuyerId(), BUYER, requests.get(2).getOrderId());
      assertThat(viaEligibility.getOutcome()).isEqualTo(CancellationEligibility.Outcome.ALREADY_CANCELLED);
      assertThat(viaEligibility.getOrderState()).isEqualTo(Order.State.CANCELLED);

      // 3: the seller's inbox (ListCancellationRequests, one order)
      List<CancellationRequest> viaInbox =
          shop.cancellations(seller, SELLER)
              .listCancellationRequests(ListCancellationRequestsRequest.newBuilder().setOrderId(requests.get(3).getOrderId()).build())
              .getCancellationRequestsList();
      assertThat(viaInbox).singleElement().satisfies(r -> {
        assertThat(r.getState()).isEqualTo(CancellationRequest.State.AUTO_APPROVED);
        assertThat(r.getRefund().getState()).isEqualTo(Refund.State.INITIATED);
      });

      // 4: the buyer's "My Orders" (ListOrders)
      List<Order> viaMyOrders =
          shop.orders(requests.get(4).getBuyerId(), BUYER).listOrders(ListOrdersRequest.getDefaultInstance()).getOrdersList();
      assertThat(viaMyOrders).singleElement().satisfies(o -> {
        assertThat(o.getState()).isEqualTo(Order.State.CANCELLED);
        assertThat(o.getRefund().getState()).isEqualTo(Refund.State.INITIATED);
      });

      // 5: the seller answers too late
      Errors late = failure(() -> shop.approve(seller, requests.get(5).getCancellationRequestId()));
      assertThat(late.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(late.reason()).isEqualTo("CANCELLATION_REQUEST_NOT_PENDING");
      assertThat(late.errorInfo().getMetadataMap()).containsEntry("requestState", "AUTO_APPROVED");

      // 6: nobody looked; the sweep finds exactly this one, and the next sweep nothing
      DeadlineExpiry sweep = own.injector.getInstance(DeadlineExpiry.class);
      assertThat(sweep.sweep(50)).isEqualTo(1);
      assertThat(sweep.sweep(50)).isZero();
      assertThat(shop.request(seller, SELLER, requests.get(6).getCancellationRequestId()).getState())
          .isEqualTo(CancellationRequest.State.AUTO_APPROVED);

      for (CancellationRequest r : requests) {
        assertThat(db.refunds(r.getOrderId())).as("refunds of " + r.getReference()).isEqualTo(1);
        assertThat(db.events(r.getOrderId(), "CANCELLATION_AUTO_APPROVED")).isEqualTo(1);
        assertThat(db.events(r.getOrderId(), "ORDER_CANCELLED")).isEqualTo(1);
        assertThat(db.request(r.getCancellationRequestId()).orElseThrow().state()).isEqualTo("AUTO_APPROVED");
      }
      List<OrderEvent> history = shop.history(seller, SELLER, requests.get(0).getOrderId());
      assertThat(history.subList(history.size() - 3, history.size()))
          .allSatisfy(e -> assertThat(e.getActor()).isEqualTo(Actor.newBuilder().setSubject("platform").setRole(Actor.Role.SYSTEM).build()))
          .extracting(OrderEvent::getType)
          .containsExactly(OrderEvent.Type.CANCELLATION_AUTO_APPROVED, OrderEvent.Type.ORDER_CANCELLED, OrderEvent.Type.REFUND_INITIATED);
      Errors ship = failure(() -> shop.orders(seller, SELLER).shipOrder(Requests.ship(requests.get(6).getOrderId())));
      assertThat(ship.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    }
  }

  /** Business days are Monday to Friday, counted from the day after. */
  private static Instant plusBusinessDays(Instant start, int days) {
    ZonedDateTime t = start.atZone(ZoneOffset.UTC);
    int left = days;
    while (left > 0) {
      t = t.plusDays(1);
      if (t.getDayOfWeek() != DayOfWeek.SATURDAY && t.getDayOfWeek() != DayOfWeek.SUNDAY) {
        left--;
      }
    }
    return t.toInstant();
  }

  private static OrderEvent lastEvent(String subject, Role role, String orderId) {
    List<OrderEvent> history = market.history(subject, role, orderId);
    return history.get(history.size() - 1);
  }
}
