package dev.marketplace.orders.server.cancellation;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.server.cancellation.Marketplace.instant;
import static dev.marketplace.orders.server.cancellation.Marketplace.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.testing.InvariantVerifier;
import dev.marketplace.orders.domain.usecase.DeadlineExpiry;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Race;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.CancellationRequest;
import dev.marketplace.orders.v1.LineQuantity;
import dev.marketplace.orders.v1.Modification;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.ProposeModificationRequest;
import dev.marketplace.orders.v1.Refund;
import io.grpc.Status;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * A partial request nobody answers is approved by the platform at the deadline - by the sweep or by
 * the first read, exactly once - and a partial approval racing the deadline or a modification has one
 * outcome. These tests move the clock by days, so each starts a server of its own.
 */
class PartialCancellationDeadlineAndRacesTest {

  static final long CASE = 499;

  static LineQuantity units(int lineIndex, int quantity) {
    return LineQuantity.newBuilder().setLineIndex(lineIndex).setQuantity(quantity).build();
  }

  static CancellationRequest askFor(Marketplace shop, String buyer, String orderId, LineQuantity... lines) {
    return shop.cancellations(buyer, BUYER)
        .cancelOrder(
            Marketplace.cancelRequest(orderId, dev.marketplace.orders.v1.CancellationReason.Code.WRONG_ITEM_OR_SIZE).toBuilder()
                .addAllLineItems(List.of(lines))
                .build())
        .getCancellationRequest();
  }

  @Test
  void sellerSilent_theSweepApprovesThePartialRequestOnce_refundsItsShare_theOrderGoesOn() throws Exception {
    try (GrpcTestServer own = new GrpcTestServer()) {
      Marketplace shop = Marketplace.of(own);
      Rows db = Rows.of(own.dataSource());
      String buyer = unique("buyer");
      String seller = unique("seller");
      Order paid = shop.paid(buyer, seller);
      CancellationRequest request = askFor(shop, buyer, paid.getOrderId(), units(0, 2));
      DeadlineExpiry expiry = own.injector.getInstance(DeadlineExpiry.class);

      own.clock.set(instant(request.getRespondByTime()).minusSeconds(1));
      assertThat(expiry.sweep(50)).as("not due yet").isZero();
      own.clock.set(instant(request.getRespondByTime()));
      assertThat(expiry.sweep(50)).isEqualTo(1);
      assertThat(expiry.sweep(50)).as("exactly once").isZero();

      CancellationRequest after = shop.request(buyer, BUYER, request.getCancellationRequestId());
      assertThat(after.getState()).isEqualTo(CancellationRequest.State.AUTO_APPROVED);
      assertThat(after.getRefund().getKind()).isEqualTo(Refund.Kind.PARTIAL);
      assertThat(after.getRefund().getAmount().getAmountMinor()).isEqualTo(2 * CASE);
      Order order = shop.order(buyer, BUYER, paid.getOrderId());
      assertThat(order.getState()).isEqualTo(Order.State.AWAITING_SHIPMENT);
      assertThat(order.getLineItems(0).getCancelledQuantity()).isEqualTo(2);
      assertThat(order.getTotal().getAmountMinor()).isEqualTo(Requests.TOTAL - 2 * CASE);
      assertThat(db.events(paid.getOrderId(), "ORDER_PARTIALLY_CANCELLED")).isEqualTo(1);
      assertThat(db.events(paid.getOrderId(), "CANCELLATION_AUTO_APPROVED")).isEqualTo(1);
      assertThat(db.refunds(paid.getOrderId())).isEqualTo(1);
      InvariantVerifier.verify(own.dataSource()).assertHolds();
    }
  }

  @Test
  void sellerSilent_theFirstReadSettlesThePartialRequest_everyLaterReadAndTheSweepFindItDone() throws Exception {
    try (GrpcTestServer own = new GrpcTestServer()) {
      Marketplace shop = Marketplace.of(own);
      Rows db = Rows.of(own.dataSource());
      String buyer = unique("buyer");
      String seller = unique("seller");
      Order paid = shop.paid(buyer, seller);
      CancellationRequest request = askFor(shop, buyer, paid.getOrderId(), units(1, 1));
      own.clock.set(instant(request.getRespondByTime()).plusSeconds(5));

      Order read = shop.order(buyer, BUYER, paid.getOrderId());
      assertThat(read.getLineItems(1).getCancelledQuantity()).isEqualTo(1);
      assertThat(read.getState()).isEqualTo(Order.State.AWAITING_SHIPMENT);
      assertThat(shop.eligibility(buyer, BUYER, paid.getOrderId()).getOutcome())
          .isEqualTo(dev.marketplace.orders.v1.CancellationEligibility.Outcome.REQUEST_SELLER_APPROVAL);
      assertThat(shop.request(seller, SELLER, request.getCancellationRequestId()).getState()).isEqualTo(CancellationRequest.State.AUTO_APPROVED);
      assertThat(own.injector.getInstance(DeadlineExpiry.class).sweep(50)).isZero();
      assertThat(db.events(paid.getOrderId(), "ORDER_PARTIALLY_CANCELLED")).isEqualTo(1);
      assertThat(db.refunds(paid.getOrderId())).isEqualTo(1);
      assertThat(shop.order(buyer, BUYER, paid.getOrderId()).getRefunds(0).getAmount().getAmountMinor()).isEqualTo(1500);
      InvariantVerifier.verify(own.dataSource()).assertHolds();
    }
  }

  /** The seller approves a partial request just as the deadline passes and the sweep runs: one approval, one refund. */
  @RepeatedTest(8)
  void partialApprovalRacingTheDeadline_exactlyOneOutcome_oneShareRefunded() throws Exception {
    try (GrpcTestServer own = new GrpcTestServer()) {
      Marketplace shop = Marketplace.of(own);
      Rows db = Rows.of(own.dataSource());
      String buyer = unique("buyer");
      String seller = unique("seller");
      Order paid = shop.paid(buyer, seller);
      CancellationRequest request = askFor(shop, buyer, paid.getOrderId(), units(0, 1));
      Instant respondBy = instant(request.getRespondByTime());
      own.clock.set(respondBy);
      DeadlineExpiry expiry = own.injector.getInstance(DeadlineExpiry.class);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Race.Outcome> outcomes =
            Race.runTogether(
                pool,
                List.of(
                    () -> Race.call("seller", () -> shop.approve(seller, request.getCancellationRequestId())),
                    () -> Race.call("sweep", () -> expiry.sweep(50))));
        assertThat(outcomes).extracting(Race.Outcome::code).allMatch(c -> c == Status.Code.OK || c == Status.Code.FAILED_PRECONDITION);
      } finally {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
      }
      CancellationRequest after = shop.request(buyer, BUYER, request.getCancellationRequestId());
      assertThat(after.getState()).isIn(CancellationRequest.State.APPROVED, CancellationRequest.State.AUTO_APPROVED);
      Order order = shop.order(buyer, BUYER, paid.getOrderId());
      assertThat(order.getLineItems(0).getCancelledQuantity()).isEqualTo(1);
      assertThat(db.refunds(paid.getOrderId())).isEqualTo(1);
      assertThat(order.getPayment().getRefundedAmount().getAmountMinor()).isEqualTo(CASE);
      assertThat(db.events(paid.getOrderId(), "ORDER_PARTIALLY_CANCELLED")).isEqualTo(1);
      InvariantVerifier.verify(own.dataSource()).assertHolds();
    }
  }

  /**
   * The seller approves a partial request while the buyer, who withdrew nothing, proposes a quantity
   * change and the seller's answer to it races too: one open request per order, so either the
   * proposal is refused (the request was pending) or it comes after the approval and sees the cancelled units.
   */
  @RepeatedTest(8)
  void partialApprovalRacingAModificationProposal_exactlyOneOutcome_refundsWithinTheCapture() throws Exception {
    try (GrpcTestServer own = new GrpcTestServer()) {
      Marketplace shop = Marketplace.of(own);
      String buyer = unique("buyer");
      String seller = unique("seller");
      Order paid = shop.paid(buyer, seller);
      CancellationRequest request = askFor(shop, buyer, paid.getOrderId(), units(0, 1));
      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<Race.Outcome> outcomes;
      try {
        outcomes =
            Race.runTogether(
                pool,
                List.of(
                    () -> Race.call("approve", () -> shop.approve(seller, request.getCancellationRequestId())),
                    () ->
                        Race.call(
                            "propose",
                            () ->
                                own.modificationsAs(buyer, BUYER)
                                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                                    .proposeModification(
                                        ProposeModificationRequest.newBuilder()
                                            .setRequestId(Requests.newId())
                                            .setOrderId(paid.getOrderId())
                                            .setQuantityChange(Modification.QuantityChange.newBuilder().setLineIndex(0).setQuantity(1))
                                            .build()))));
      } finally {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
      }
      assertThat(outcomes.get(0).code()).as("the approval").isEqualTo(Status.Code.OK);
      Order order = shop.order(buyer, BUYER, paid.getOrderId());
      assertThat(order.getLineItems(0).getCancelledQuantity()).isEqualTo(1);
      long refunded = order.getRefundsList().stream().mapToLong(r -> r.getAmount().getAmountMinor()).sum();
      assertThat(refunded).isEqualTo(CASE);
      assertThat(refunded).isLessThanOrEqualTo(order.getPayment().getCapturedAmount().getAmountMinor());
      if (outcomes.get(1).code() == Status.Code.OK) {
        // After the approval: quantity 1 with 1 cancelled keeps the line at no unit bought (a lower total: allowed while paid).
        assertThat(order.getState()).isEqualTo(Order.State.AWAITING_SHIPMENT);
      } else {
        assertThat(outcomes.get(1).code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      }
      InvariantVerifier.verify(own.dataSource()).assertHolds();
    }
  }
}
