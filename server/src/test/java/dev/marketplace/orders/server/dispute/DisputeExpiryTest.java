package dev.marketplace.orders.server.dispute;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.marketplace.orders.domain.testing.InvariantVerifier;
import dev.marketplace.orders.domain.usecase.DeadlineExpiry;
import dev.marketplace.orders.server.jobs.DeadlineSweeper;
import dev.marketplace.orders.v1.Dispute;
import dev.marketplace.orders.v1.ListDisputesRequest;
import dev.marketplace.orders.v1.Order;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A dispute its parties have not agreed by {@code respond_by_time} escalates to support by itself,
 * exactly once: by the background sweep or by the first call that reads or acts on it.
 */
class DisputeExpiryTest extends DisputeFixture {

  @Test
  void notAgreed_theSweepEscalatesItOnce() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = shipped(buyer, seller);
    Dispute open = open(buyer, full(order.getOrderId(), Dispute.Reason.NOT_RECEIVED));
    offer(seller, open.getDisputeId(), 100);
    DeadlineExpiry expiry = server.injector.getInstance(DeadlineExpiry.class);

    server.clock.set(instant(open.getRespondByTime()).minusSeconds(1));
    assertThat(expiry.sweepDisputes(50)).as("before the deadline").isZero();
    server.clock.set(instant(open.getRespondByTime()));
    assertThat(new DeadlineSweeper(expiry).sweepAll()).isGreaterThanOrEqualTo(1);
    assertThat(expiry.sweepDisputes(50)).as("a second sweep finds nothing").isZero();

    Dispute escalated = get(buyer, BUYER, open.getDisputeId());
    assertThat(escalated.getState()).isEqualTo(Dispute.State.ESCALATED);
    assertThat(escalated.getEscalatedBy().getSubject()).isEqualTo("platform");
    assertThat(events(order.getOrderId(), "DISPUTE_AUTO_ESCALATED")).isEqualTo(1);
    assertThat(platformMessages(order.getOrderId())).isEqualTo(3);
    InvariantVerifier.verify(server.dataSource()).assertHolds();
  }

  @Test
  void notAgreed_aReadEscalatesIt_withoutTheSweep() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = shipped(buyer, seller);
    Dispute open = open(buyer, full(order.getOrderId(), Dispute.Reason.NOT_RECEIVED));
    server.clock.set(instant(open.getRespondByTime()));

    assertThat(get(seller, SELLER, open.getDisputeId()).getState()).isEqualTo(Dispute.State.ESCALATED);
    assertThat(events(order.getOrderId(), "DISPUTE_AUTO_ESCALATED")).isEqualTo(1);
    assertThat(get(buyer, BUYER, open.getDisputeId()).getState()).isEqualTo(Dispute.State.ESCALATED);
    assertThat(events(order.getOrderId(), "DISPUTE_AUTO_ESCALATED")).as("once").isEqualTo(1);
  }

  @Test
  void notAgreed_aListingShowsItEscalated() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Dispute open = open(buyer, full(shipped(buyer, seller).getOrderId(), Dispute.Reason.NOT_RECEIVED));
    server.clock.set(instant(open.getRespondByTime()));

    assertThat(
            server.disputesAs(seller, SELLER)
                .listDisputes(ListDisputesRequest.newBuilder().addStates(Dispute.State.OPEN).build())
                .getDisputesList())
        .extracting(Dispute::getDisputeId)
        .doesNotContain(open.getDisputeId());
  }

  @Test
  void theSellersLateAcceptance_isRefused_butTheEscalationStays() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = shipped(buyer, seller);
    Dispute open = open(buyer, full(order.getOrderId(), Dispute.Reason.NOT_RECEIVED));
    server.clock.set(instant(open.getRespondByTime()));

    assertThat(failure(() -> accept(seller, open.getDisputeId())).reason()).isEqualTo("DISPUTE_STATE_CONFLICT");

    assertThat(events(order.getOrderId(), "DISPUTE_AUTO_ESCALATED")).isEqualTo(1);
    assertThat(disputeRefunds(open.getDisputeId())).isZero();
    assertThat(get(buyer, BUYER, open.getDisputeId()).getState()).isEqualTo(Dispute.State.ESCALATED);
    InvariantVerifier.verify(server.dataSource()).assertHolds();
  }

  private static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
