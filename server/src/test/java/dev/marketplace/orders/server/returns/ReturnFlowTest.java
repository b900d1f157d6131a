package dev.marketplace.orders.server.returns;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.domain.access.Role.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.ListReturnsRequest;
import dev.marketplace.orders.v1.ListReturnsResponse;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.Refund;
import dev.marketplace.orders.v1.RequestReturnRequest;
import dev.marketplace.orders.v1.Return;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The steps of a return that go as planned: request, answer, parcel, receipt and its refund; listings. */
class ReturnFlowTest extends ReturnFixture {

  @Test
  void requestApproveShipReceive_refundsTheUnitsShareOnce_andCountsThemReturned() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = delivered(buyer, seller);

    Return requested = request(buyer, requestOf(order.getOrderId(), 0, 1));
    assertThat(requested.getState()).isEqualTo(Return.State.REQUESTED);
    assertThat(requested.getLinesList()).extracting(Return.Line::getLineIndex, Return.Line::getQuantity).containsExactly(org.assertj.core.groups.Tuple.tuple(0, 1));
    assertThat(instant(requested.getRespondByTime())).isEqualTo(instant(requested.getCreateTime()).plus(java.time.Duration.ofDays(3)));

    Return approved = approve(seller, requested.getReturnId());
    assertThat(approved.getState()).isEqualTo(Return.State.APPROVED);
    assertThat(approved.getDecidedBy().getSubject()).isEqualTo(seller);
    assertThat(approved.getSellerNote()).isEqualTo("send it to the depot");

    Return shipped = ship(buyer, requested.getReturnId());
    assertThat(shipped.getState()).isEqualTo(Return.State.SHIPPED);
    assertThat(shipped.getCarrier()).isEqualTo("Cainiao");
    assertThat(shipped.getTrackingNumber()).isEqualTo("LP0012345678");
    assertThat(instant(shipped.getReceiveByTime())).isEqualTo(instant(shipped.getShipTime()).plus(java.time.Duration.ofDays(15)));

    Return received = confirmReceived(seller, requested.getReturnId());
    assertThat(received.getState()).isEqualTo(Return.State.RECEIVED);
    assertThat(received.getReceivedBy().getSubject()).isEqualTo(seller);
    assertThat(received.getShare().getAmountMinor()).isEqualTo(LINE_0_UNIT);
    assertThat(received.getRefund().getKind()).isEqualTo(Refund.Kind.RETURN);
    assertThat(received.getRefund().getReturnId()).isEqualTo(requested.getReturnId());
    assertThat(received.getRefund().getAmount().getAmountMinor()).isEqualTo(LINE_0_UNIT);
    assertThat(received.getRefund().getExpectedBusinessDaysMax()).isPositive();

    Order after = order(buyer, BUYER, order.getOrderId());
    assertThat(after.getLineItems(0).getReturnedQuantity()).isEqualTo(1);
    assertThat(after.getLineItems(0).getRemainingQuantity()).isEqualTo(1);
    assertThat(after.getLineItems(1).getReturnedQuantity()).isZero();
    assertThat(after.getState()).isEqualTo(Order.State.DELIVERED);
    assertThat(returnRefunds(requested.getReturnId())).isEqualTo(1);
    for (String type : List.of("RETURN_REQUESTED", "RETURN_APPROVED", "RETURN_SHIPPED", "RETURN_RECEIVED")) {
      assertThat(events(order.getOrderId(), type)).as(type).isEqualTo(1);
    }
    assertThat(events(order.getOrderId(), "REFUND_INITIATED")).isEqualTo(1);
    assertThat(platformMessages(order.getOrderId())).as("one per step").isEqualTo(4);
    assertThat(get(seller, SELLER, requested.getReturnId())).isEqualTo(received);
  }

  @Test
  void aRetriedRequest_returnsTheFirstResponse_andOpensOneReturn() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = delivered(buyer, seller);
    RequestReturnRequest.Builder request = requestOf(order.getOrderId(), 1, 1);

    Return first = request(buyer, request);
    Return again = request(buyer, request);

    assertThat(again).isEqualTo(first);
    assertThat(count("SELECT COUNT(*) FROM returns WHERE order_id = UNHEX(?)", dev.marketplace.orders.server.testing.Rows.hex(order.getOrderId())))
        .isEqualTo(1);
    assertThat(events(order.getOrderId(), "RETURN_REQUESTED")).isEqualTo(1);
  }

  @Test
  void rejected_pointsTheBuyerToADispute_andAnotherReturnMayBeAsked() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = delivered(buyer, seller);
    Return requested = request(buyer, requestOf(order.getOrderId(), 1, 1));

    Return rejected = reject(seller, requested.getReturnId());

    assertThat(rejected.getState()).isEqualTo(Return.State.REJECTED);
    assertThat(rejected.getNextStep()).isEqualTo(Return.NextStep.OPEN_DISPUTE);
    assertThat(rejected.getSellerNote()).isEqualTo("it was fine when sent");
    assertThat(rejected.hasCloseTime()).isTrue();
    assertThat(returnRefunds(requested.getReturnId())).isZero();
    assertThat(events(order.getOrderId(), "RETURN_REJECTED")).isEqualTo(1);
    assertThat(request(buyer, requestOf(order.getOrderId(), 1, 1)).getState()).as("the order has no open return any more").isEqualTo(Return.State.REQUESTED);
  }

  @Test
  void withdrawn_beforeReceipt_refundsNothing_andStepsAfterItAreRefused() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = delivered(buyer, seller);
    Return shipped = shippedBack(buyer, seller, order);

    Return withdrawn = withdraw(buyer, shipped.getReturnId());

    assertThat(withdrawn.getState()).isEqualTo(Return.State.WITHDRAWN);
    assertThat(failure(() -> confirmReceived(seller, shipped.getReturnId())).reason()).isEqualTo("RETURN_STATE_CONFLICT");
    assertThat(returnRefunds(shipped.getReturnId())).isZero();
    assertThat(order(buyer, BUYER, order.getOrderId()).getLineItems(1).getReturnedQuantity()).isZero();
    assertThat(events(order.getOrderId(), "RETURN_WITHDRAWN")).isEqualTo(1);
  }

  @Test
  void theSellerMayConfirmReceipt_beforeTheBuyerRecordsTheParcel() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = delivered(buyer, seller);
    Return requested = request(buyer, requestOf(order.getOrderId(), 0, 2));
    approve(seller, requested.getReturnId());

    Return received = confirmReceived(seller, requested.getReturnId());

    assertThat(received.getRefund().getAmount().getAmountMinor()).isEqualTo(2 * LINE_0_UNIT);
    assertThat(order(buyer, BUYER, order.getOrderId()).getLineItems(0).getRemainingQuantity()).isZero();
  }

  @Test
  void afterAReceivedReturn_onlyTheUnitsLeftMayGoBack() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = delivered(buyer, seller);
    Return first = request(buyer, requestOf(order.getOrderId(), 0, 1));
    approve(seller, first.getReturnId());
    confirmReceived(seller, first.getReturnId());

    assertThat(failure(() -> request(buyer, requestOf(order.getOrderId(), 0, 2))).reason()).isEqualTo("RETURN_EXCEEDS_REMAINING");
    Return second = request(buyer, requestOf(order.getOrderId(), 0, 1));
    approve(seller, second.getReturnId());
    assertThat(confirmReceived(seller, second.getReturnId()).getRefund().getAmount().getAmountMinor()).isEqualTo(LINE_0_UNIT);
    assertThat(order(buyer, BUYER, order.getOrderId()).getPayment().getRefundedAmount().getAmountMinor()).isEqualTo(2 * LINE_0_UNIT);
  }

  @Test
  void listings_theBuyersTheSellersAndSupports_pageWithStableTokens() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Order order = delivered(buyer, seller);
      ids.add(request(buyer, requestOf(order.getOrderId(), 1, 1)).getReturnId());
      server.clock.advance(java.time.Duration.ofSeconds(1)); // oldest first: each a second after the last
    }
    reject(seller, ids.get(0));
    String stranger = unique("buyer");
    request(stranger, requestOf(delivered(stranger, seller).getOrderId(), 1, 1));

    List<String> seen = new ArrayList<>();
    ListReturnsResponse page = server.returnsAs(buyer, BUYER).listReturns(ListReturnsRequest.newBuilder().setPageSize(2).build());
    page.getReturnsList().forEach(r -> seen.add(r.getReturnId()));
    assertThat(page.getNextPageToken()).isNotEmpty();
    page = server.returnsAs(buyer, BUYER).listReturns(ListReturnsRequest.newBuilder().setPageSize(2).setPageToken(page.getNextPageToken()).build());
    page.getReturnsList().forEach(r -> seen.add(r.getReturnId()));
    assertThat(page.getNextPageToken()).isEmpty();
    assertThat(seen).as("open first (oldest first), then closed").containsExactly(ids.get(1), ids.get(2), ids.get(0));

    assertThat(server.returnsAs(seller, SELLER).listReturns(ListReturnsRequest.newBuilder().addStates(Return.State.REQUESTED).build()).getReturnsList())
        .hasSize(3);
    assertThat(server.returnsAs("agent-1", SUPPORT).listReturns(ListReturnsRequest.newBuilder().addStates(Return.State.REJECTED).build()).getReturnsList())
        .extracting(Return::getReturnId)
        .contains(ids.get(0));
    String token = server.returnsAs(buyer, BUYER).listReturns(ListReturnsRequest.newBuilder().setPageSize(1).build()).getNextPageToken();
    assertThat(
            failure(
                    () ->
                        server.returnsAs(buyer, BUYER)
                            .listReturns(ListReturnsRequest.newBuilder().setPageSize(1).addStates(Return.State.REJECTED).setPageToken(token).build()))
                .code())
        .as("a token is bound to its filters")
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void anotherBuyer_doesNotSeeTheReturn() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Return requested = request(buyer, requestOf(delivered(buyer, seller).getOrderId(), 1, 1));

    assertThat(failure(() -> get(unique("buyer"), BUYER, requested.getReturnId())).code()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(failure(() -> approve(unique("seller"), requested.getReturnId())).code()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(get("agent-1", SUPPORT, requested.getReturnId()).getReturnId()).isEqualTo(requested.getReturnId());
    assertThat(Requests.TOTAL).isEqualTo(2 * LINE_0_UNIT + LINE_1_UNIT);
  }
}
