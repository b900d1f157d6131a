package dev.marketplace.orders.server.dispute;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.testing.InvariantVerifier;
import dev.marketplace.orders.domain.usecase.DeadlineExpiry;
import dev.marketplace.orders.server.testing.Race;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.Dispute;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.RespondToDisputeRequest;
import dev.marketplace.orders.v1.WithdrawDisputeRequest;
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
 * The seller accepts (several request ids, each retried) while the deadline passes and the sweep
 * escalates, while the buyer withdraws, all started together: exactly one outcome wins, the money
 * moves at most once (exactly once when accepted), the losers hear FAILED_PRECONDITION or ABORTED
 * (never INTERNAL), and every invariant holds.
 */
class DisputeRacesTest extends DisputeFixture {

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
  void acceptDeadlineAndWithdraw_race_oneOutcome_atMostOneRefund() throws Exception {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = shipped(buyer, seller);
    Dispute open = open(buyer, full(order.getOrderId(), Dispute.Reason.NOT_RECEIVED));
    Instant deadline = Instant.ofEpochSecond(open.getRespondByTime().getSeconds(), open.getRespondByTime().getNanos());
    server.clock.set(deadline.minus(Duration.ofMillis(5)));
    DeadlineExpiry expiry = server.injector.getInstance(DeadlineExpiry.class);
    List<RespondToDisputeRequest> accepts = List.of(acceptRequest(open.getDisputeId()), acceptRequest(open.getDisputeId()));
    WithdrawDisputeRequest withdraw = withdrawRequest(open.getDisputeId());

    List<Callable<Race.Outcome>> contenders = new ArrayList<>();
    for (RespondToDisputeRequest accept : accepts) {
      for (int retry = 0; retry < 3; retry++) {
        contenders.add(() -> Race.call("accept " + accept.getRequestId(), () -> server.disputesAs(seller, SELLER).respondToDispute(accept)));
      }
    }
    contenders.add(() -> Race.call("withdraw", () -> server.disputesAs(buyer, BUYER).withdrawDispute(withdraw)));
    contenders.add(
        () ->
            Race.call(
                "deadline",
                () -> {
                  server.clock.set(deadline);
                  expiry.sweepDisputes(50);
                }));
    List<Race.Outcome> outcomes = Race.runTogether(pool, contenders);

    assertThat(outcomes)
        .extracting(Race.Outcome::code)
        .allMatch(c -> c == Status.Code.OK || c == Status.Code.FAILED_PRECONDITION || c == Status.Code.ABORTED);
    long acceptedIds =
        outcomes.stream().filter(o -> o.who().startsWith("accept") && o.code() == Status.Code.OK).map(Race.Outcome::who).distinct().count();
    assertThat(acceptedIds).as("request ids whose acceptance succeeded").isLessThanOrEqualTo(1);
    Dispute after = get(buyer, BUYER, open.getDisputeId());
    long refunds = disputeRefunds(open.getDisputeId());
    long accepted = events(order.getOrderId(), "DISPUTE_ACCEPTED_BY_SELLER");
    long withdrawn = events(order.getOrderId(), "DISPUTE_WITHDRAWN");
    long escalated = events(order.getOrderId(), "DISPUTE_AUTO_ESCALATED");
    assertThat(accepted + withdrawn).as("one closing outcome at most").isLessThanOrEqualTo(1);
    assertThat(escalated).isLessThanOrEqualTo(1);
    switch (after.getState()) {
      case RESOLVED -> {
        assertThat(after.getOutcome()).isEqualTo(Dispute.Outcome.SELLER_ACCEPTED);
        assertThat(acceptedIds).isEqualTo(1);
        assertThat(refunds).isEqualTo(1);
        assertThat(after.getRefund().getAmount().getAmountMinor()).isEqualTo(Requests.TOTAL);
        assertThat(escalated).isZero();
      }
      case WITHDRAWN -> {
        assertThat(refunds).isZero();
        assertThat(acceptedIds).isZero();
      }
      case ESCALATED -> {
        assertThat(refunds).isZero();
        assertThat(accepted + withdrawn).isZero();
        assertThat(escalated).isEqualTo(1);
      }
      default -> throw new AssertionError("unexpected state " + after.getState());
    }
    InvariantVerifier.verify(server.dataSource()).assertHolds();
  }
}
