package dev.marketplace.orders.server.modification;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.domain.access.Role.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.CancelOrderRequest;
import dev.marketplace.orders.v1.CancelOrderResponse;
import dev.marketplace.orders.v1.CancellationEligibility;
import dev.marketplace.orders.v1.CancellationReason;
import dev.marketplace.orders.v1.CheckCancellationEligibilityRequest;
import dev.marketplace.orders.v1.ForceCancelOrderRequest;
import dev.marketplace.orders.v1.ListModificationsRequest;
import dev.marketplace.orders.v1.ListModificationsResponse;
import dev.marketplace.orders.v1.Modification;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.OrderEvent;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

/**
 * One open request of any kind per order: a modification and a cancellation request never wait at
 * the same time, shipping waits for both, and cancelling the order closes a waiting modification.
 */
class OneOpenRequestTest extends ModificationFixture {

  @Test
  void whileAModificationWaits_aPaidOrdersCancelIsRefusedNamingIt_andEligibilitySaysSo() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = paid(buyer, seller);
    Modification open = propose(seller, SELLER, quantity(order.getOrderId(), 0, 1));

    Errors refused = failure(() -> cancel(buyer, order.getOrderId()));
    CancellationEligibility eligibility = eligibility(buyer, order.getOrderId());

    assertThat(refused.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(refused.reason()).isEqualTo("OPEN_MODIFICATION_REQUEST");
    assertThat(refused.errorInfo().getMetadataMap())
        .containsEntry("modificationId", open.getModificationId())
        .containsKey("respondBy");
    assertThat(eligibility.getOutcome()).isEqualTo(CancellationEligibility.Outcome.MODIFICATION_PENDING);
    assertThat(eligibility.getBlockedReason()).isEqualTo(CancellationEligibility.BlockedReason.OPEN_MODIFICATION_REQUEST);
    assertThat(eligibility.getOpenModificationId()).isEqualTo(open.getModificationId());

    decline(buyer, BUYER, open.getModificationId());
    assertThat(eligibility(buyer, order.getOrderId()).getOutcome()).isEqualTo(CancellationEligibility.Outcome.REQUEST_SELLER_APPROVAL);
    assertThat(cancel(buyer, order.getOrderId()).getOutcome()).isEqualTo(CancelOrderResponse.Outcome.REQUESTED);
  }

  @Test
  void whileACancellationRequestWaits_aProposalIsRefusedNamingIt() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = paid(buyer, seller);
    CancelOrderResponse asked = cancel(buyer, order.getOrderId());

    Errors bySeller = failure(() -> propose(seller, SELLER, address(order.getOrderId())));
    Errors byBuyer = failure(() -> propose(buyer, BUYER, quantity(order.getOrderId(), 0, 1)));

    assertThat(bySeller.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(bySeller.reason()).isEqualTo("OPEN_CANCELLATION_REQUEST");
    assertThat(bySeller.errorInfo().getMetadataMap())
        .containsEntry("cancellationRequestId", asked.getCancellationRequest().getCancellationRequestId());
    assertThat(byBuyer.reason()).isEqualTo("OPEN_CANCELLATION_REQUEST");
  }

  @Test
  void aSecondProposal_isRefusedNamingTheFirst() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = placed(buyer, seller);
    Modification first = propose(buyer, BUYER, quantity(order.getOrderId(), 0, 3));

    Errors second = failure(() -> propose(seller, SELLER, address(order.getOrderId())));

    assertThat(second.reason()).isEqualTo("OPEN_MODIFICATION_REQUEST");
    assertThat(second.errorInfo().getMetadataMap()).containsEntry("modificationId", first.getModificationId());
    withdraw(buyer, BUYER, first.getModificationId());
    assertThat(propose(seller, SELLER, address(order.getOrderId())).getState()).isEqualTo(Modification.State.PROPOSED);
  }

  @Test
  void shipping_waitsForTheAnswer() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = paid(buyer, seller);
    Modification open = propose(buyer, BUYER, address(order.getOrderId()));

    Errors refused = failure(() -> ship(order.getOrderId()));

    assertThat(refused.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(refused.reason()).isEqualTo("OPEN_MODIFICATION_REQUEST");
    assertThat(refused.errorInfo().getMetadataMap()).containsEntry("modificationId", open.getModificationId());
    accept(seller, SELLER, open.getModificationId());
    Order shipped = ship(order.getOrderId());
    assertThat(shipped.getState()).isEqualTo(Order.State.SHIPPED);
    assertThat(shipped.getShippingAddress()).isEqualTo(newAddress());
  }

  @Test
  void anUnpaidOrdersInstantCancel_goesAhead_andClosesTheWaitingModification() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = placed(buyer, seller);
    Modification open = propose(seller, SELLER, quantity(order.getOrderId(), 1, 3));
    CancellationEligibility eligibility = eligibility(buyer, order.getOrderId());
    assertThat(eligibility.getOutcome()).isEqualTo(CancellationEligibility.Outcome.CANCEL_IMMEDIATELY);
    assertThat(eligibility.getOpenModificationId()).isEqualTo(open.getModificationId());

    CancelOrderResponse cancelled = cancel(buyer, order.getOrderId());

    assertThat(cancelled.getOutcome()).isEqualTo(CancelOrderResponse.Outcome.CANCELLED);
    Modification closed = get(seller, SELLER, open.getModificationId());
    assertThat(closed.getState()).isEqualTo(Modification.State.CANCELLED_WITH_ORDER);
    assertThat(closed.getResolvedBy().getSubject()).isEqualTo(buyer);
    assertThat(events(order.getOrderId(), OrderEvent.Type.MODIFICATION_CANCELLED_WITH_ORDER.name())).isEqualTo(1);
    assertThat(failure(() -> accept(buyer, BUYER, open.getModificationId())).reason()).isEqualTo("MODIFICATION_NOT_OPEN");
    assertThat(failure(() -> withdraw(seller, SELLER, open.getModificationId())).reason()).isEqualTo("MODIFICATION_NOT_OPEN");
  }

  @Test
  void supportsForcedCancel_closesTheWaitingModification() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = paid(buyer, seller);
    Modification open = propose(buyer, BUYER, quantity(order.getOrderId(), 0, 1));

    Order cancelled =
        server.cancellationsAs("agent-1", SUPPORT)
            .forceCancelOrder(
                ForceCancelOrderRequest.newBuilder()
                    .setRequestId(Requests.newId())
                    .setOrderId(order.getOrderId())
                    .setReason("duplicate order")
                    .build());

    assertThat(cancelled.getState()).isEqualTo(Order.State.CANCELLED);
    Modification closed = get(buyer, BUYER, open.getModificationId());
    assertThat(closed.getState()).isEqualTo(Modification.State.CANCELLED_WITH_ORDER);
    assertThat(closed.getResolvedBy().getRole()).isEqualTo(dev.marketplace.orders.v1.Actor.Role.SUPPORT);
    assertThat(refunds(order.getOrderId())).as("the cancellation's refund only").isEqualTo(1);
  }

  @Test
  void listings_showEachPartyTheirOwn_openFirst_inPages() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order first = placed(buyer, seller);
    Order second = placed(buyer, seller);
    Order third = placed(buyer, unique("seller"));
    Modification declined = propose(buyer, BUYER, quantity(first.getOrderId(), 0, 3));
    decline(seller, SELLER, declined.getModificationId());
    Modification open = propose(seller, SELLER, address(second.getOrderId()));
    Modification elsewhere = propose(buyer, BUYER, address(third.getOrderId()));

    ListModificationsResponse sellers = list(seller, SELLER, ListModificationsRequest.newBuilder().setPageSize(1));
    ListModificationsResponse sellersNext =
        list(seller, SELLER, ListModificationsRequest.newBuilder().setPageSize(1).setPageToken(sellers.getNextPageToken()));
    ListModificationsResponse buyersOpen =
        list(buyer, BUYER, ListModificationsRequest.newBuilder().addStates(Modification.State.PROPOSED));
    ListModificationsResponse oneOrder =
        list("agent-1", SUPPORT, ListModificationsRequest.newBuilder().setOrderId(first.getOrderId()));

    assertThat(sellers.getModificationsList()).extracting(Modification::getModificationId).containsExactly(open.getModificationId());
    assertThat(sellersNext.getModificationsList()).extracting(Modification::getModificationId).containsExactly(declined.getModificationId());
    assertThat(sellersNext.getNextPageToken()).isEmpty();
    assertThat(buyersOpen.getModificationsList())
        .extracting(Modification::getModificationId)
        .containsExactlyInAnyOrder(open.getModificationId(), elsewhere.getModificationId());
    assertThat(oneOrder.getModificationsList()).extracting(Modification::getModificationId).containsExactly(declined.getModificationId());
    Errors otherFilters =
        failure(
            () ->
                list(
                    seller,
                    SELLER,
                    ListModificationsRequest.newBuilder().setPageSize(1).addStates(Modification.State.DECLINED).setPageToken(sellers.getNextPageToken())));
    assertThat(otherFilters.violatedFields()).containsExactly("page_token");
  }

  private static CancelOrderResponse cancel(String buyer, String orderId) {
    return server.cancellationsAs(buyer, BUYER)
        .cancelOrder(
            CancelOrderRequest.newBuilder()
                .setRequestId(Requests.newId())
                .setOrderId(orderId)
                .setReason(CancellationReason.Code.CHANGE_DELIVERY_ADDRESS)
                .build());
  }

  private static CancellationEligibility eligibility(String buyer, String orderId) {
    return server.cancellationsAs(buyer, BUYER)
        .checkCancellationEligibility(CheckCancellationEligibilityRequest.newBuilder().setOrderId(orderId).build());
  }

  private static ListModificationsResponse list(String subject, dev.marketplace.orders.domain.access.Role role, ListModificationsRequest.Builder request) {
    return server.modificationsAs(subject, role).listModifications(request.build());
  }
}
