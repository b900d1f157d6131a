package dev.marketplace.orders.server.modification;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.domain.access.Role.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.usecase.DeadlineExpiry;
import dev.marketplace.orders.server.jobs.DeadlineSweeper;
import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.Actor;
import dev.marketplace.orders.v1.CancelOrderRequest;
import dev.marketplace.orders.v1.CancelOrderResponse;
import dev.marketplace.orders.v1.CancellationReason;
import dev.marketplace.orders.v1.ListModificationsRequest;
import dev.marketplace.orders.v1.Modification;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.OrderEvent;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A modification nobody answers expires by itself at `respond_by_time`: once, durably, by the
 * background sweep or by the first call that reads or acts on the order, whichever comes first.
 * Each test moves the shared clock past the window, so every test proposes on its own orders.
 */
class ModificationExpiryTest extends ModificationFixture {

  private static final Duration WINDOW = Duration.ofHours(72);

  @Test
  void unanswered_theSweepExpiresItOnce_andTheOrderMayShipAgain() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = paid(buyer, seller);
    Modification open = propose(buyer, BUYER, address(order.getOrderId()));
    DeadlineExpiry expiry = server.injector.getInstance(DeadlineExpiry.class);

    server.clock.set(instant(open.getRespondByTime()).minusSeconds(1));
    assertThat(expiry.sweepModifications(50)).as("before the deadline").isZero();
    server.clock.set(instant(open.getRespondByTime()));
    int expired = new DeadlineSweeper(expiry).sweepAll();

    assertThat(expired).isGreaterThanOrEqualTo(1);
    assertThat(expiry.sweepModifications(50)).as("a second sweep finds nothing").isZero();
    Modification closed = get(buyer, BUYER, open.getModificationId());
    assertThat(closed.getState()).isEqualTo(Modification.State.EXPIRED);
    assertThat(closed.getResolvedBy()).isEqualTo(Actor.newBuilder().setSubject("platform").setRole(Actor.Role.SYSTEM).build());
    assertThat(events(order.getOrderId(), OrderEvent.Type.MODIFICATION_EXPIRED.name())).isEqualTo(1);
    Order after = order(buyer, BUYER, order.getOrderId());
    assertThat(after.getShippingAddress()).as("expired, not applied").isNotEqualTo(newAddress());
    assertThat(ship(order.getOrderId()).getState()).isEqualTo(Order.State.SHIPPED);
  }

  @Test
  void unanswered_readersNeverSeeItProposedAfterTheDeadline_withoutASweep() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = placed(buyer, seller);
    Modification open = propose(seller, SELLER, quantity(order.getOrderId(), 0, 1));

    server.clock.set(instant(open.getRespondByTime()).plusMillis(1));

    assertThat(
            server.modificationsAs(buyer, BUYER)
                .listModifications(ListModificationsRequest.newBuilder().addStates(Modification.State.PROPOSED).build())
                .getModificationsList())
        .as("the buyer's open proposals")
        .isEmpty();
    assertThat(get("agent-1", SUPPORT, open.getModificationId()).getState()).isEqualTo(Modification.State.EXPIRED);
    assertThat(events(order.getOrderId(), OrderEvent.Type.MODIFICATION_EXPIRED.name())).isEqualTo(1);
  }

  @Test
  void anOrderRead_settlesItsDueModification() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = placed(buyer, seller);
    Modification open = propose(seller, SELLER, quantity(order.getOrderId(), 0, 1));
    server.clock.set(instant(open.getRespondByTime()));

    order(buyer, BUYER, order.getOrderId());

    assertThat(count("SELECT COUNT(*) FROM modification_requests WHERE id = UNHEX(?) AND state = 'EXPIRED'", hex(open.getModificationId())))
        .isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM orders WHERE id = UNHEX(?) AND open_modification_id IS NULL", hex(order.getOrderId())))
        .isEqualTo(1);
  }

  @Test
  void anAnswerAtTheDeadline_isRefusedAsExpired_andTheExpiryStays() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = paid(buyer, seller);
    Modification open = propose(buyer, BUYER, quantity(order.getOrderId(), 0, 1));
    server.clock.set(instant(open.getRespondByTime()));

    Errors late = failure(() -> accept(seller, SELLER, open.getModificationId()));

    assertThat(late.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(late.reason()).isEqualTo("MODIFICATION_NOT_OPEN");
    assertThat(late.errorInfo().getMetadataMap()).containsEntry("modificationState", "EXPIRED");
    assertThat(events(order.getOrderId(), OrderEvent.Type.MODIFICATION_EXPIRED.name())).isEqualTo(1);
    assertThat(refunds(order.getOrderId())).isZero();
    assertThat(order(buyer, BUYER, order.getOrderId()).getTotal().getAmountMinor()).isEqualTo(Requests.TOTAL);
  }

  @Test
  void aCancelAfterTheDeadline_settlesTheModificationFirst_andIsAskedOfTheSeller() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = paid(buyer, seller);
    Modification open = propose(seller, SELLER, address(order.getOrderId()));
    server.clock.set(instant(open.getRespondByTime()).plus(Duration.ofMinutes(1)));

    CancelOrderResponse asked =
        server.cancellationsAs(buyer, BUYER)
            .cancelOrder(
                CancelOrderRequest.newBuilder()
                    .setRequestId(Requests.newId())
                    .setOrderId(order.getOrderId())
                    .setReason(CancellationReason.Code.ORDERED_BY_ACCIDENT)
                    .build());

    assertThat(asked.getOutcome()).isEqualTo(CancelOrderResponse.Outcome.REQUESTED);
    assertThat(get(buyer, BUYER, open.getModificationId()).getState()).isEqualTo(Modification.State.EXPIRED);
    assertThat(instant(open.getRespondByTime())).isEqualTo(instant(open.getCreateTime()).plus(WINDOW));
  }

  private static Instant instant(com.google.protobuf.Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
