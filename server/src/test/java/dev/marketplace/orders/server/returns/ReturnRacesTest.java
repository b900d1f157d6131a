package dev.marketplace.orders.server.returns;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.usecase.DeadlineExpiry;
import dev.marketplace.orders.server.testing.Race;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.server.testing.Rows;
import dev.marketplace.orders.v1.ConfirmReturnReceivedRequest;
import dev.marketplace.orders.v1.Dispute;
import dev.marketplace.orders.v1.OpenDisputeRequest;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.RespondToDisputeRequest;
import dev.marketplace.orders.v1.Return;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;

/**
 * A shipped-back return is received (the seller, several request ids each retried, and the receipt
 * deadline's sweep) while the seller accepts the buyer's full-refund dispute, all started together:
 * the order's refunds never exceed what was captured - together they return exactly it - the return
 * is received once and the dispute resolved once, the losers hear FAILED_PRECONDITION or ABORTED
 * (never INTERNAL), and every invariant holds (checked after each repetition).
 */
class ReturnRacesTest extends ReturnFixture {

  private static ExecutorService pool;

  @BeforeAll
  static void threads() {
    pool = Executors.newFixedThreadPool(12);
  }

  @AfterAll
  static void stopThreads() {
    pool.shutdownNow();
  }

  @RepeatedTest(4)
  void receiptAndADisputesRefund_race_refundsNeverExceedTheCapture_oneOutcomeEach() throws Exception {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = delivered(buyer, seller);
    Return shipped = shippedBack(buyer, seller, order);
    // A day later, so that the dispute's own deadline (15 days) comes after the return's receipt deadline.
    server.clock.advance(Duration.ofDays(1));
    Dispute dispute =
        server.disputesAs(buyer, BUYER)
            .openDispute(
                OpenDisputeRequest.newBuilder()
                    .setRequestId(Requests.newId())
                    .setOrderId(order.getOrderId())
                    .setReason(Dispute.Reason.NOT_AS_DESCRIBED)
                    .setDescription("nothing works")
                    .addEvidenceUris(EVIDENCE)
                    .setFullRefund(true)
                    .build());
    Instant deadline = instant(shipped.getReceiveByTime());
    server.clock.set(deadline.minus(Duration.ofMillis(5)));
    DeadlineExpiry expiry = server.injector.getInstance(DeadlineExpiry.class);
    List<ConfirmReturnReceivedRequest> receipts = List.of(receivedRequest(shipped.getReturnId()), receivedRequest(shipped.getReturnId()));
    RespondToDisputeRequest accept =
        RespondToDisputeRequest.newBuilder()
            .setRequestId(Requests.newId())
            .setDisputeId(dispute.getDisputeId())
            .setAccept(RespondToDisputeRequest.Accept.getDefaultInstance())
            .build();

    List<Callable<Race.Outcome>> contenders = new ArrayList<>();
    for (ConfirmReturnReceivedRequest receipt : receipts) {
      for (int retry = 0; retry < 3; retry++) {
        contenders.add(() -> Race.call("receipt " + receipt.getRequestId(), () -> server.returnsAs(seller, SELLER).confirmReturnReceived(receipt)));
      }
    }
    for (int retry = 0; retry < 2; retry++) {
      contenders.add(() -> Race.call("dispute", () -> server.disputesAs(seller, SELLER).respondToDispute(accept)));
    }
    contenders.add(
        () ->
            Race.call(
                "deadline",
                () -> {
                  server.clock.set(deadline);
                  expiry.sweepReturns(50);
                }));
    List<Race.Outcome> outcomes = Race.runTogether(pool, contenders);

    assertThat(outcomes)
        .extracting(Race.Outcome::code)
        .allMatch(c -> c == Status.Code.OK || c == Status.Code.FAILED_PRECONDITION || c == Status.Code.ABORTED);
    long receivedIds =
        outcomes.stream().filter(o -> o.who().startsWith("receipt") && o.code() == Status.Code.OK).map(Race.Outcome::who).distinct().count();
    assertThat(receivedIds).as("request ids whose receipt succeeded").isLessThanOrEqualTo(1);
    assertThat(outcomes)
        .as("the dispute's acceptance, retried: it wins (a concurrent retry of it may hear ABORTED)")
        .filteredOn(o -> o.who().equals("dispute"))
        .extracting(Race.Outcome::code)
        .contains(Status.Code.OK)
        .allMatch(c -> c == Status.Code.OK || c == Status.Code.ABORTED);

    Return after = get(buyer, BUYER, shipped.getReturnId());
    assertThat(after.getState()).isEqualTo(Return.State.RECEIVED);
    assertThat(events(order.getOrderId(), "RETURN_RECEIVED") + events(order.getOrderId(), "RETURN_AUTO_RECEIVED")).as("received once").isEqualTo(1);
    assertThat(events(order.getOrderId(), "DISPUTE_ACCEPTED_BY_SELLER")).as("resolved once").isEqualTo(1);
    assertThat(returnRefunds(shipped.getReturnId())).isLessThanOrEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM refunds WHERE dispute_id = UNHEX(?)", Rows.hex(dispute.getDisputeId()))).isEqualTo(1);
    long refunded = count("SELECT COALESCE(SUM(amount_minor), 0) FROM refunds WHERE order_id = UNHEX(?)", Rows.hex(order.getOrderId()));
    assertThat(refunded).as("together the refunds return exactly the capture").isEqualTo(Requests.TOTAL);
    if (after.hasRefund()) {
      assertThat(after.getRefund().getAmount().getAmountMinor()).as("the return went first: its whole share").isEqualTo(LINE_1_UNIT);
    }
  }
}
