package dev.marketplace.orders.server.returns;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.usecase.DeadlineExpiry;
import dev.marketplace.orders.server.jobs.DeadlineSweeper;
import dev.marketplace.orders.v1.ListReturnsRequest;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.Return;
import org.junit.jupiter.api.Test;

/**
 * The seller's silence decides, exactly once, by the background sweep or by the first call that reads
 * or acts on the return: unanswered by {@code respond_by_time} the return is approved; receipt
 * unconfirmed by {@code receive_by_time} it is accepted and refunded - the platform the actor.
 */
class ReturnExpiryTest extends ReturnFixture {

  @Test
  void unanswered_theSweepApprovesItOnce() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = delivered(buyer, seller);
    Return requested = request(buyer, requestOf(order.getOrderId(), 1, 1));
    DeadlineExpiry expiry = server.injector.getInstance(DeadlineExpiry.class);

    server.clock.set(instant(requested.getRespondByTime()).minusSeconds(1));
    assertThat(expiry.sweepReturns(50)).as("before the deadline").isZero();
    server.clock.set(instant(requested.getRespondByTime()));
    assertThat(new DeadlineSweeper(expiry).sweepAll()).isGreaterThanOrEqualTo(1);
    assertThat(expiry.sweepReturns(50)).as("a second sweep finds nothing").isZero();

    Return approved = get(buyer, BUYER, requested.getReturnId());
    assertThat(approved.getState()).isEqualTo(Return.State.APPROVED);
    assertThat(approved.getDecidedBy().getSubject()).isEqualTo("platform");
    assertThat(approved.getDecidedBy().getRole()).isEqualTo(dev.marketplace.orders.v1.Actor.Role.SYSTEM);
    assertThat(events(order.getOrderId(), "RETURN_AUTO_APPROVED")).isEqualTo(1);
    assertThat(events(order.getOrderId(), "RETURN_APPROVED")).isZero();
    assertThat(platformMessages(order.getOrderId())).isEqualTo(2);
  }

  @Test
  void unanswered_aReadApprovesIt_withoutTheSweep_once() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = delivered(buyer, seller);
    Return requested = request(buyer, requestOf(order.getOrderId(), 1, 1));
    server.clock.set(instant(requested.getRespondByTime()));

    assertThat(get(seller, SELLER, requested.getReturnId()).getState()).isEqualTo(Return.State.APPROVED);
    assertThat(get(buyer, BUYER, requested.getReturnId()).getState()).isEqualTo(Return.State.APPROVED);
    assertThat(events(order.getOrderId(), "RETURN_AUTO_APPROVED")).as("once").isEqualTo(1);
  }

  @Test
  void theSellersLateRejection_isRefused_butTheApprovalStays() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = delivered(buyer, seller);
    Return requested = request(buyer, requestOf(order.getOrderId(), 1, 1));
    server.clock.set(instant(requested.getRespondByTime()));

    assertThat(failure(() -> reject(seller, requested.getReturnId())).reason()).isEqualTo("RETURN_STATE_CONFLICT");

    assertThat(events(order.getOrderId(), "RETURN_AUTO_APPROVED")).isEqualTo(1);
    assertThat(events(order.getOrderId(), "RETURN_REJECTED")).isZero();
    assertThat(get(buyer, BUYER, requested.getReturnId()).getState()).isEqualTo(Return.State.APPROVED);
  }

  @Test
  void receiptUnconfirmed_theSweepAcceptsAndRefundsOnce() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = delivered(buyer, seller);
    Return shipped = shippedBack(buyer, seller, order);
    DeadlineExpiry expiry = server.injector.getInstance(DeadlineExpiry.class);

    server.clock.set(instant(shipped.getReceiveByTime()).minusSeconds(1));
    assertThat(expiry.sweepReturns(50)).isZero();
    server.clock.set(instant(shipped.getReceiveByTime()));
    assertThat(expiry.sweepReturns(50)).isEqualTo(1);
    assertThat(expiry.sweepReturns(50)).isZero();

    Return received = get(seller, SELLER, shipped.getReturnId());
    assertThat(received.getState()).isEqualTo(Return.State.RECEIVED);
    assertThat(received.getReceivedBy().getSubject()).isEqualTo("platform");
    assertThat(received.getRefund().getAmount().getAmountMinor()).isEqualTo(LINE_1_UNIT);
    assertThat(returnRefunds(shipped.getReturnId())).isEqualTo(1);
    assertThat(events(order.getOrderId(), "RETURN_AUTO_RECEIVED")).isEqualTo(1);
    assertThat(order(buyer, BUYER, order.getOrderId()).getLineItems(1).getReturnedQuantity()).isEqualTo(1);
  }

  @Test
  void receiptUnconfirmed_aListingAcceptsIt_andTheSellersLateConfirmationIsRefused() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = delivered(buyer, seller);
    Return shipped = shippedBack(buyer, seller, order);
    server.clock.set(instant(shipped.getReceiveByTime()));

    assertThat(
            server.returnsAs(buyer, BUYER)
                .listReturns(ListReturnsRequest.newBuilder().setOrderId(order.getOrderId()).build())
                .getReturnsList())
        .extracting(Return::getState)
        .containsExactly(Return.State.RECEIVED);
    assertThat(failure(() -> confirmReceived(seller, shipped.getReturnId())).reason()).isEqualTo("RETURN_STATE_CONFLICT");
    assertThat(events(order.getOrderId(), "RETURN_AUTO_RECEIVED")).isEqualTo(1);
    assertThat(events(order.getOrderId(), "RETURN_RECEIVED")).isZero();
    assertThat(returnRefunds(shipped.getReturnId())).isEqualTo(1);
  }

  @Test
  void receiptUnconfirmed_theBuyersWithdrawalSettlesFirst_andIsRefused() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = delivered(buyer, seller);
    Return shipped = shippedBack(buyer, seller, order);
    server.clock.set(instant(shipped.getReceiveByTime()));

    assertThat(failure(() -> withdraw(buyer, shipped.getReturnId())).reason()).isEqualTo("RETURN_STATE_CONFLICT");
    assertThat(returnRefunds(shipped.getReturnId())).isEqualTo(1);
    assertThat(get(buyer, BUYER, shipped.getReturnId()).getState()).isEqualTo(Return.State.RECEIVED);
  }
}
