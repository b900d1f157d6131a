package dev.marketplace.orders.server.cancellation;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.server.cancellation.Marketplace.approveRequest;
import static dev.marketplace.orders.server.cancellation.Marketplace.cancelRequest;
import static dev.marketplace.orders.server.cancellation.Marketplace.instant;
import static dev.marketplace.orders.server.cancellation.Marketplace.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.usecase.DeadlineExpiry;
import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.CancelOrderResponse;
import dev.marketplace.orders.v1.Cancellation;
import dev.marketplace.orders.v1.CancellationReason.Code;
import dev.marketplace.orders.v1.CancellationRequest;
import dev.marketplace.orders.v1.CancellationServiceGrpc.CancellationServiceBlockingStub;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.OrderServiceGrpc.OrderServiceBlockingStub;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * Competing answers to one order, started together over real channels: exactly one may win, the
 * loser hears FAILED_PRECONDITION or ABORTED (never INTERNAL), and the money moves at most once.
 */
class CancellationRacesTest {

  private static final Map<String, AtomicInteger> WINNERS = new ConcurrentHashMap<>();

  private static GrpcTestServer server;
  private static Marketplace market;
  private static Rows rows;
  private static ExecutorService pool;

  @BeforeAll
  static void start() throws Exception {
    server = new GrpcTestServer();
    market = Marketplace.of(server);
    rows = Rows.of(server.dataSource());
    pool = Executors.newFixedThreadPool(8);
  }

  @AfterAll
  static void stop() throws Exception {
    pool.shutdownNow();
    server.close();
    System.out.println("race winners: " + WINNERS);
  }

  /** Starts every call at once; each result is the response or the StatusRuntimeException it failed with. */
  private static List<Object> together(List<Callable<?>> calls) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Object>> futures = new ArrayList<>();
    for (Callable<?> call : calls) {
      futures.add(
          pool.submit(
              () -> {
                go.await();
                try {
                  return call.call();
                } catch (StatusRuntimeException e) {
                  return e;
                }
              }));
    }
    go.countDown();
    List<Object> results = new ArrayList<>();
    for (Future<Object> future : futures) {
      results.add(future.get(30, TimeUnit.SECONDS));
    }
    return results;
  }

  private static Errors lost(Object result) {
    assertThat(result).as("the losing call's outcome").isInstanceOf(StatusRuntimeException.class);
    Errors error = Errors.of((Throwable) result);
    assertThat(error.code())
        .as("a lost race is a state conflict or a retryable abort, never INTERNAL: %s", error.status())
        .isIn(Status.Code.FAILED_PRECONDITION, Status.Code.ABORTED);
    return error;
  }

  private static void count(String winner) {
    WINNERS.computeIfAbsent(winner, k -> new AtomicInteger()).incrementAndGet();
  }

  /**
   * The seller approves just as the 72 hours run out while the sweep runs: one of APPROVED and
   * AUTO_APPROVED, one refund, one approval event. The deadline thread starts after a varying delay
   * so that both sides get to win across the repetitions.
   */
  @RepeatedTest(20)
  void sellerApprovalRacingTheDeadline_exactlyOneOutcome_oneRefund(RepetitionInfo repetition) throws Exception {
    String buyer = unique("buyer");
    String seller = unique("seller");
    server.clock.advance(Duration.ofSeconds(1));
    CancellationRequest request = market.requested(buyer, seller);
    String orderId = request.getOrderId();
    Instant respondBy = instant(request.getRespondByTime());
    server.clock.set(respondBy.minusMillis(1));
    DeadlineExpiry expiry = server.injector.getInstance(DeadlineExpiry.class);
    // Requests other tests of this class left pending are older than this one: expire them now, so
    // that the sweep in the race can only be about this request.
    expiry.sweep(1000);
    CancellationServiceBlockingStub sellerStub = market.cancellations(seller, SELLER);
    long delayNanos = TimeUnit.MILLISECONDS.toNanos(repetition.getCurrentRepetition() % 10);

    List<Object> results =
        together(
            List.of(
                () -> sellerStub.approveCancellationRequest(approveRequest(request.getCancellationRequestId())),
                () -> {
                  LockSupport.parkNanos(delayNanos); // not a condition: the head start that varies who wins the race
                  server.clock.set(respondBy.plusSeconds(1));
                  return expiry.sweep(50);
                }));

    Object approval = results.get(0);
    int swept = (Integer) results.get(1);
    CancellationRequest after = market.request(seller, SELLER, request.getCancellationRequestId());
    Order order = market.order(buyer, BUYER, orderId);
    if (approval instanceof CancellationRequest approved) {
      count("seller");
      assertThat(approved.getState()).isEqualTo(CancellationRequest.State.APPROVED);
      assertThat(after.getState()).isEqualTo(CancellationRequest.State.APPROVED);
      assertThat(swept).as("the sweep must not expire an approved request").isZero();
      assertThat(order.getCancellation().getKind()).isEqualTo(Cancellation.Kind.SELLER_APPROVED);
      assertThat(order.getRefund()).isEqualTo(approved.getRefund());
    } else {
      count("deadline");
      lost(approval);
      assertThat(after.getState()).isEqualTo(CancellationRequest.State.AUTO_APPROVED);
      assertThat(order.getCancellation().getKind()).isEqualTo(Cancellation.Kind.AUTO_APPROVED);
    }
    assertThat(order.getState()).isEqualTo(Order.State.CANCELLED);
    assertThat(rows.refunds(orderId)).as("refunds").isEqualTo(1);
    assertThat(rows.events(orderId, "CANCELLATION_APPROVED") + rows.events(orderId, "CANCELLATION_AUTO_APPROVED"))
        .as("approval events")
        .isEqualTo(1);
    assertThat(rows.events(orderId, "ORDER_CANCELLED")).isEqualTo(1);
    assertThat(rows.events(orderId, "REFUND_INITIATED")).isEqualTo(1);
  }

  /** The buyer cancels as the seller ships: the parcel leaves or the request opens, never both. */
  @RepeatedTest(20)
  void buyerCancelRacingSellerShipment_exactlyOneWins() throws Exception {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = market.paid(buyer, seller);
    CancellationServiceBlockingStub buyerStub = market.cancellations(buyer, BUYER);
    OrderServiceBlockingStub sellerStub = market.orders(seller, SELLER);

    List<Object> results =
        together(
            List.of(
                () -> buyerStub.cancelOrder(cancelRequest(order.getOrderId(), Code.CHANGE_DELIVERY_ADDRESS)),
                () -> sellerStub.shipOrder(Requests.ship(order.getOrderId()))));

    Object cancel = results.get(0);
    Object ship = results.get(1);
    Order after = market.order(buyer, BUYER, order.getOrderId());
    assertThat(cancel instanceof CancelOrderResponse ^ ship instanceof Order).as("exactly one of cancel and ship succeeds: %s", results).isTrue();
    if (cancel instanceof CancelOrderResponse requested) {
      count("cancel");
      assertThat(requested.getOutcome()).isEqualTo(CancelOrderResponse.Outcome.REQUESTED);
      assertThat(lost(ship).reason()).isEqualTo("CANCELLATION_REQUEST_PENDING");
      assertThat(after.getState()).isEqualTo(Order.State.AWAITING_SHIPMENT);
      assertThat(after.hasShipment()).isFalse();
      assertThat(rows.requests(order.getOrderId())).isEqualTo(1);
      assertThat(rows.events(order.getOrderId(), "ORDER_SHIPPED")).isZero();
    } else {
      count("ship");
      assertThat(lost(cancel).reason()).isEqualTo("ORDER_ALREADY_SHIPPED");
      assertThat(after.getState()).isEqualTo(Order.State.SHIPPED);
      assertThat(rows.requests(order.getOrderId())).isZero();
    }
  }

  /** The seller approves and ships at once (two devices): shipping is blocked, the approval stands. */
  @RepeatedTest(10)
  void sellerApprovalRacingShipment_approvalWins_andTheOrderNeverShips() throws Exception {
    String buyer = unique("buyer");
    String seller = unique("seller");
    CancellationRequest request = market.requested(buyer, seller);
    CancellationServiceBlockingStub approver = market.cancellations(seller, SELLER);
    OrderServiceBlockingStub shipper = market.orders(seller, SELLER);

    List<Object> results =
        together(
            List.of(
                () -> approver.approveCancellationRequest(approveRequest(request.getCancellationRequestId())),
                () -> shipper.shipOrder(Requests.ship(request.getOrderId()))));

    assertThat(results.get(0)).isInstanceOf(CancellationRequest.class);
    lost(results.get(1));
    Order after = market.order(buyer, BUYER, request.getOrderId());
    assertThat(after.getState()).isEqualTo(Order.State.CANCELLED);
    assertThat(rows.refunds(request.getOrderId())).isEqualTo(1);
    assertThat(rows.events(request.getOrderId(), "ORDER_SHIPPED")).isZero();
  }

  /** Eight cancels with different request ids on one paid order: one request opens, the rest are told one is pending. */
  @Test
  void concurrentCancelsOfOneOrder_openExactlyOnePendingRequest() throws Exception {
    String buyer = unique("buyer");
    Order order = market.paid(buyer, unique("seller"));
    CancellationServiceBlockingStub buyerStub = market.cancellations(buyer, BUYER);
    List<Callable<?>> cancels = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      cancels.add(() -> buyerStub.cancelOrder(cancelRequest(order.getOrderId(), Code.ORDERED_BY_ACCIDENT)));
    }

    List<Object> results = together(cancels);

    assertThat(results).filteredOn(r -> r instanceof CancelOrderResponse).hasSize(1);
    results.stream()
        .filter(r -> !(r instanceof CancelOrderResponse))
        .forEach(r -> assertThat(lost(r).reason()).isIn("CANCELLATION_REQUEST_PENDING", "CANCELLATION_REQUEST_CHANGED_CONCURRENTLY"));
    assertThat(rows.requests(order.getOrderId())).isEqualTo(1);
    assertThat(rows.events(order.getOrderId(), "CANCELLATION_REQUESTED")).isEqualTo(1);
  }
}
