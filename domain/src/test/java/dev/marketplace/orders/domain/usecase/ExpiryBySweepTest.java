package dev.marketplace.orders.domain.usecase;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.cancellation.CancellationRequest;
import dev.marketplace.orders.domain.cancellation.CancellationRequestState;
import dev.marketplace.orders.domain.cancellation.Rejection;
import dev.marketplace.orders.domain.cancellation.RejectionReason;
import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.persistence.Transactor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The sweep expires due requests once each, a batch at a time; answers after the deadline find them settled. */
class ExpiryBySweepTest extends DeadlineExpiryFixture {

  // --- the sweep --------------------------------------------------------------------------------

  @Test
  void sweep_expiresEachDueRequestExactlyOnce_andLeavesTheOthersPending() {
    List<UUID> due = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      UUID id = paidOrder(buyer);
      requestCancellation(buyer, id);
      due.add(id);
    }
    clock.advance(Duration.ofHours(2));
    UUID notYetDue = paidOrder(buyer);
    CancellationRequest later = requestCancellation(buyer, notYetDue);
    clock.set(later.respondBy().minus(Duration.ofMinutes(30)));
    // A replica started after the deadline passed: nothing was running when it did.
    DeadlineExpiry restarted = new DeadlineExpiry(Transactor.over(dataSource, clock), clock, SETTINGS);

    int first = restarted.sweep(50);
    int second = restarted.sweep(50);

    assertThat(first).isEqualTo(3);
    assertThat(second).isZero();
    for (UUID id : due) {
      assertThat(refundRowsOf(id)).as("refunds of %s", id).isEqualTo(1);
      assertThat(eventRowsOf(id, "CANCELLATION_AUTO_APPROVED")).isEqualTo(1);
      assertThat(eventRowsOf(id, "ORDER_CANCELLED")).isEqualTo(1);
      assertThat(orders.get(buyer, id).state()).isEqualTo(OrderState.CANCELLED);
    }
    assertThat(cancellations.get(buyer, later.id()).request().state()).isEqualTo(CancellationRequestState.PENDING);
    assertThat(refundRowsOf(notYetDue)).isZero();

    clock.set(later.respondBy());
    assertThat(restarted.sweep(50)).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM refunds")).isEqualTo(4);
  }

  @Test
  void sweep_takesAtMostABatch_oldestDeadlineFirst() {
    List<CancellationRequest> requests = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofMinutes(10));
      requests.add(requestCancellation(buyer, paidOrder(buyer)));
    }
    clock.set(requests.get(2).respondBy());

    assertThat(expiry.sweep(2)).isEqualTo(2);
    assertThat(stateRowOf(requests.get(0).id())).isEqualTo("AUTO_APPROVED");
    assertThat(stateRowOf(requests.get(1).id())).isEqualTo("AUTO_APPROVED");
    assertThat(stateRowOf(requests.get(2).id())).isEqualTo("PENDING");
    assertThat(expiry.sweep(2)).isEqualTo(1);
    assertThat(expiry.sweep(2)).isZero();
  }

  @Test
  void sellerAnsweringAfterTheDeadline_findsTheRequestAlreadyAutoApproved() {
    UUID id = paidOrder(buyer);
    CancellationRequest request = requestCancellation(buyer, id);
    clock.set(request.respondBy().plus(Duration.ofMinutes(1)));

    StateConflictException approve = thrown(StateConflictException.class, () -> approve(request.id()));
    StateConflictException reject =
        thrown(
            StateConflictException.class,
            () -> {
              Rejection rejection = new Rejection(request.id(), RejectionReason.OTHER, "too late", "", "");
              cancellations.reject(seller, key(seller, "RejectCancellationRequest", rejection), rejection, requestResponses);
            });
    StateConflictException withdraw =
        thrown(
            StateConflictException.class,
            () -> cancellations.withdraw(buyer, key(buyer, "WithdrawCancellationRequest", request.id()), request.id(), requestResponses));
    StateConflictException ship =
        thrown(
            StateConflictException.class,
            () -> orders.ship(seller, key(seller, "ShipOrder", id), id, "UPS", "1Z", OptionalInt.empty(), orderResponses));

    for (StateConflictException refused : List.of(approve, reject, withdraw)) {
      assertThat(refused.reason()).isEqualTo("CANCELLATION_REQUEST_NOT_PENDING");
      assertThat(refused.metadata()).containsEntry("requestState", "AUTO_APPROVED");
    }
    assertThat(ship.metadata()).containsEntry("orderState", "CANCELLED");
    assertThat(refundRowsOf(id)).isEqualTo(1);
    assertThat(eventRowsOf(id, "CANCELLATION_AUTO_APPROVED")).isEqualTo(1);
    assertThat(eventRowsOf(id, "CANCELLATION_APPROVED")).isZero();
  }

  /**
   * The deadline is settled under the order's lock, in the answer's own transaction: there is no
   * moment between settling and acting in which the deadline could pass. An answer at the very
   * microsecond of the deadline finds the platform's approval, which commits although the answer is
   * refused.
   */
  @Test
  void answersAtTheDeadlineInstant_findTheRequestAutoApproved_andThePlatformsApprovalCommits() {
    UUID id = paidOrder(buyer);
    CancellationRequest request = requestCancellation(buyer, id);
    clock.set(request.respondBy());
    Rejection rejection = new Rejection(request.id(), RejectionReason.OTHER, "no", "", "");

    StateConflictException approve =
        thrown(
            StateConflictException.class,
            () -> cancellations.approve(seller, key(seller, "ApproveCancellationRequest", request.id()), request.id(), requestResponses));
    assertThat(approve.reason()).isEqualTo("CANCELLATION_REQUEST_NOT_PENDING");
    assertThat(approve.metadata()).containsEntry("requestState", "AUTO_APPROVED");
    assertThat(stateRowOf(request.id())).as("committed by the refused approval's transaction").isEqualTo("AUTO_APPROVED");
    assertThat(refundRowsOf(id)).isEqualTo(1);

    for (Runnable answer :
        List.<Runnable>of(
            () -> cancellations.reject(seller, key(seller, "RejectCancellationRequest", rejection), rejection, requestResponses),
            () -> cancellations.withdraw(buyer, key(buyer, "WithdrawCancellationRequest", request.id()), request.id(), requestResponses))) {
      StateConflictException refused = thrown(StateConflictException.class, answer::run);
      assertThat(refused.metadata()).containsEntry("requestState", "AUTO_APPROVED");
    }
    assertThat(refundRowsOf(id)).isEqualTo(1);
    assertThat(eventRowsOf(id, "CANCELLATION_AUTO_APPROVED")).isEqualTo(1);
  }

  @Test
  void aRefusedCallThatSettledTheDeadline_leavesNoIdempotencyRecord_soItsRetryRunsAfresh() {
    UUID id = paidOrder(buyer);
    CancellationRequest request = requestCancellation(buyer, id);
    clock.set(request.respondBy().plus(Duration.ofSeconds(1)));
    var approval = key(seller, "ApproveCancellationRequest", request.id());

    StateConflictException first =
        thrown(StateConflictException.class, () -> cancellations.approve(seller, approval, request.id(), requestResponses));
    StateConflictException retry =
        thrown(StateConflictException.class, () -> cancellations.approve(seller, approval, request.id(), requestResponses));

    assertThat(first.metadata()).containsEntry("requestState", "AUTO_APPROVED");
    assertThat(retry.metadata()).as("evaluated again, not replayed").containsEntry("requestState", "AUTO_APPROVED");
    assertThat(refundRowsOf(id)).isEqualTo(1);
  }
}
