package dev.marketplace.orders.server.modification;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.domain.access.Role.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.testing.InvariantVerifier;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.AcceptModificationRequest;
import dev.marketplace.orders.v1.ForceCancelOrderRequest;
import dev.marketplace.orders.v1.Modification;
import dev.marketplace.orders.v1.Order;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
  private record Outcome(String who, Status.Code code) {}

  @RepeatedTest(4)
  void acceptRetriesShipAndForceCancel_race_theDifferenceIsRefundedOnceIfAccepted() throws Exception {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = paid(buyer, seller);
    Modification proposed = propose(buyer, BUYER, quantity(order.getOrderId(), 0, 1));
    List<AcceptModificationRequest> accepts = List.of(acceptRequest(proposed.getModificationId()), acceptRequest(proposed.getModificationId()));

    List<Callable<Outcome>> contenders = new ArrayList<>();
    for (AcceptModificationRequest accept : accepts) {
      for (int retry = 0; retry < 3; retry++) {
        contenders.add(() -> call("accept " + accept.getRequestId(), () -> server.modificationsAs(seller, SELLER).acceptModification(accept)));
      }
    }
    contenders.add(() -> call("ship", () -> ship(order.getOrderId())));
    contenders.add(
        () ->
            call(
                "force-cancel",
                () ->
                    server.cancellationsAs("agent-1", SUPPORT)
                        .forceCancelOrder(
                            ForceCancelOrderRequest.newBuilder()
                                .setRequestId(Requests.newId())
                                .setOrderId(order.getOrderId())
                                .setReason("race")
                                .build())));
    List<Outcome> outcomes = runTogether(contenders);

    assertThat(outcomes).extracting(Outcome::code).allMatch(c -> c == Status.Code.OK || c == Status.Code.FAILED_PRECONDITION || c == Status.Code.ABORTED);
    long acceptedIds =
        outcomes.stream().filter(o -> o.who().startsWith("accept") && o.code() == Status.Code.OK).map(Outcome::who).distinct().count();
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

    List<Outcome> outcomes =
        runTogether(
            List.of(
                () -> call("buyer", () -> propose(buyer, BUYER, quantity(order.getOrderId(), 0, 3))),
                () -> call("seller", () -> propose(seller, SELLER, address(order.getOrderId()))),
                () ->
                    call(
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

  private static Outcome call(String who, Runnable call) {
    try {
      call.run();
      return new Outcome(who, Status.Code.OK);
    } catch (StatusRuntimeException e) {
      return new Outcome(who, e.getStatus().getCode());
    }
  }

  private static List<Outcome> runTogether(List<Callable<Outcome>> contenders) throws Exception {
    CountDownLatch ready = new CountDownLatch(contenders.size());
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Outcome>> futures = new ArrayList<>();
    for (Callable<Outcome> contender : contenders) {
      futures.add(
          pool.submit(
              () -> {
                ready.countDown();
                go.await();
                return contender.call();
              }));
    }
    assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
    go.countDown();
    List<Outcome> outcomes = new ArrayList<>();
    for (Future<Outcome> future : futures) {
      outcomes.add(future.get(60, TimeUnit.SECONDS));
    }
    return outcomes;
  }
}
