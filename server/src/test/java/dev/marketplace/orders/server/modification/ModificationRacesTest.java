package dev.marketplace.orders.server.modification;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.domain.access.Role.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.testing.InvariantVerifier;
import dev.marketplace.orders.server.testing.Race;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.AcceptModificationRequest;
import dev.marketplace.orders.v1.ForceCancelOrderRequest;
import dev.marketplace.orders.v1.Modification;
import dev.marketplace.orders.v1.Order;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * A cheaper change to a paid order, accepted by the seller several times over (distinct request ids
 * and retries of each), while logistics ships and support force-cancels it, all started together:
 * the money moves once per cause - at most one refund of the difference, exactly one when accepted -
 * the loser hears FAILED_PRECONDITION or ABORTED (never INTERNAL), and every invariant holds.
 */
class ModificationRacesTest extends ModificationFixture {

  private static ExecutorService pool;

  @BeforeAll
  static void threads() {
    pool = Executors.newFixedThreadPool(12);
  }

  @AfterAll
  static void stopThreads() {
    pool.shutdownNow();
  }

  /** What one contender did: its name and the code it got. */
  @RepeatedTest(4)
  void acceptRetriesShipAndForceCancel_race_theDifferenceIsRefundedOnceIfAccepted() throws Exception {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = paid(buyer, seller);
    Modification proposed = propose(buyer, BUYER, quantity(order.getOrderId(), 0, 1));
    List<AcceptModificationRequest> accepts = List.of(acceptRequest(proposed.getModificationId()), acceptRequest(proposed.getModificationId()));

    List<Callable<Race.Outcome>> contenders = new ArrayList<>();
    for (AcceptModificationRequest accept : accepts) {
      for (int retry = 0; retry < 3; retry++) {
        contenders.add(() -> Race.call("accept " + accept.getRequestId(), () -> server.modificationsAs(seller, SELLER).acceptModification(accept)));
      }
    }
    contenders.add(() -> Race.call("ship", () -> ship(order.getOrderId())));
    contenders.add(
        () ->
            Race.call(
                "force-cancel",
                () ->
                    server.cancellationsAs("agent-1", SUPPORT)
                        .forceCancelOrder(
                            ForceCancelOrderRequest.newBuilder()
                                .setRequestId(Requests.newId())
                                .setOrderId(order.getOrderId())
                                .setReason("race")
                                .build())));
    List<Race.Outcome> outcomes = Race.runTogether(pool, contenders);

    assertThat(outcomes).extracting(Race.Outcome::code).allMatch(c -> c == Status.Code.OK || c == Status.Code.FAILED_PRECONDITION || c == Status.Code.ABORTED);
    long acceptedIds =
        outcomes.stream().filter(o -> o.who().startsWith("accept") && o.code() == Status.Code.OK).map(Race.Outcome::who).distinct().count();
    assertThat(acceptedIds).as("request ids whose acceptance succeeded").isLessThanOrEqualTo(1);
    Modification after = get(buyer, BUYER, proposed.getModificationId());
    long modificationRefunds =
        count("SELECT COUNT(*) FROM refunds WHERE modification_id = UNHEX(?)", hex(proposed.getModificationId()));
    if (after.getState() == Modification.State.ACCEPTED) {
      assertThat(acceptedIds).isEqualTo(1);
      assertThat(modificationRefunds).isEqualTo(1);
      assertThat(after.getRefund().getAmount().getAmountMinor()).isEqualTo(LINE_0_UNIT);
    } else {
      assertThat(after.getState()).as("only a cancel closes it otherwise").isEqualTo(Modification.State.CANCELLED_WITH_ORDER);
      assertThat(modificationRefunds).isZero();
    }
    Order finalOrder = order(buyer, BUYER, order.getOrderId());
    boolean shipped = outcomes.stream().anyMatch(o -> o.who().equals("ship") && o.code() == Status.Code.OK);
    boolean cancelled = outcomes.stream().anyMatch(o -> o.who().equals("force-cancel") && o.code() == Status.Code.OK);
    assertThat(shipped && cancelled).as("shipped and cancelled both").isFalse();
    long refunded = finalOrder.getRefundsList().stream().mapToLong(r -> r.getAmount().getAmountMinor()).sum();
    assertThat(refunded).isLessThanOrEqualTo(Requests.TOTAL);
    if (cancelled) {
      assertThat(refunded).as("a cancelled order gets back exactly what was captured").isEqualTo(Requests.TOTAL);
    }
    InvariantVerifier.verify(server.dataSource()).assertHolds();
  }

  @Test
  void twoProposalsAtOnce_oneOpens_theOtherIsRefused() throws Exception {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = placed(buyer, seller);

    List<Race.Outcome> outcomes =
        Race.runTogether(pool, 
            List.of(
                () -> Race.call("buyer", () -> propose(buyer, BUYER, quantity(order.getOrderId(), 0, 3))),
                () -> Race.call("seller", () -> propose(seller, SELLER, address(order.getOrderId()))),
                () ->
                    Race.call(
                        "cancel-request",
                        () -> server.cancellationsAs(buyer, BUYER)
                            .cancelOrder(
                                dev.marketplace.orders.v1.CancelOrderRequest.newBuilder()
                                    .setRequestId(Requests.newId())
                                    .setOrderId(order.getOrderId())
                                    .setReason(dev.marketplace.orders.v1.CancellationReason.Code.ORDERED_BY_ACCIDENT)
                                    .build()))));

    long proposals = outcomes.stream().filter(o -> !o.who().equals("cancel-request") && o.code() == Status.Code.OK).count();
    boolean cancelled = outcomes.stream().anyMatch(o -> o.who().equals("cancel-request") && o.code() == Status.Code.OK);
    assertThat(cancelled).as("an unpaid order's cancel always goes ahead").isTrue();
    assertThat(proposals).isLessThanOrEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM modification_requests WHERE open_order_id = UNHEX(?)", hex(order.getOrderId()))).isZero();
    InvariantVerifier.verify(server.dataSource()).assertHolds();
  }
}
