package dev.marketplace.orders.server.modification;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.domain.access.Role.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.AcceptModificationRequest;
import dev.marketplace.orders.v1.Actor;
import dev.marketplace.orders.v1.Modification;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.OrderEvent;
import dev.marketplace.orders.v1.RecordPaymentRequest;
import dev.marketplace.orders.v1.Refund;
import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Proposing and answering: who may do what, what each answer does to the order, idempotency. */
class ProposeAndAnswerTest extends ModificationFixture {

  @Test
  void buyerProposesMoreUnits_sellerAccepts_unpaidOrderGetsTheNewTotal_historyNamesBothParties() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = placed(buyer, seller);

    Modification proposed = propose(buyer, BUYER, quantity(order.getOrderId(), 0, 5));

    assertThat(proposed.getState()).isEqualTo(Modification.State.PROPOSED);
    assertThat(proposed.getProposedBy()).isEqualTo(Actor.newBuilder().setSubject(buyer).setRole(Actor.Role.BUYER).build());
    assertThat(proposed.getTotalBefore().getAmountMinor()).isEqualTo(Requests.TOTAL);
    assertThat(proposed.getTotalAfter().getAmountMinor()).isEqualTo(Requests.TOTAL + 3 * LINE_0_UNIT);
    assertThat(proposed.getRespondByTime().getSeconds() - proposed.getCreateTime().getSeconds()).isEqualTo(72 * 3600);

    Modification accepted = accept(seller, SELLER, proposed.getModificationId());

    assertThat(accepted.getState()).isEqualTo(Modification.State.ACCEPTED);
    assertThat(accepted.getResolvedBy().getSubject()).isEqualTo(seller);
    assertThat(accepted.hasRefund()).as("nothing was paid, nothing to refund").isFalse();
    Order after = order(buyer, BUYER, order.getOrderId());
    assertThat(after.getLineItems(0).getQuantity()).isEqualTo(5);
    assertThat(after.getTotal().getAmountMinor()).isEqualTo(Requests.TOTAL + 3 * LINE_0_UNIT);
    assertThat(after.getEtag()).isNotEqualTo(order.getEtag());
    OrderEvent modified = lastEvent(buyer, order.getOrderId());
    assertThat(modified.getType()).isEqualTo(OrderEvent.Type.ORDER_MODIFIED);
    assertThat(modified.getDetailsMap())
        .containsEntry("proposedBy", buyer)
        .containsEntry("acceptedBy", seller)
        .containsEntry("totalBefore", Long.toString(Requests.TOTAL))
        .containsEntry("totalAfter", Long.toString(Requests.TOTAL + 3 * LINE_0_UNIT));

    // Payments now captures the new total: the old one no longer matches.
    Errors oldTotal = failure(() -> pay(order.getOrderId(), RecordPaymentRequest.Outcome.CAPTURED));
    assertThat(oldTotal.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void sellerProposesAnAddress_onlyTheBuyerAnswers_andAcceptingMovesTheOrder() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = paid(buyer, seller);
    Modification proposed = propose(seller, SELLER, address(order.getOrderId()));
    assertThat(proposed.getShippingAddressChange()).isEqualTo(newAddress());

    Errors bySeller = failure(() -> accept(seller, SELLER, proposed.getModificationId()));
    Errors bySupport = failure(() -> accept("agent-1", SUPPORT, proposed.getModificationId()));
    Errors byStranger = failure(() -> accept(unique("buyer"), BUYER, proposed.getModificationId()));

    assertThat(bySeller.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(bySeller.reason()).isEqualTo("NOT_THE_COUNTERPART");
    assertThat(bySupport.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(byStranger.code()).isEqualTo(Status.Code.NOT_FOUND);

    Modification accepted = accept(buyer, BUYER, proposed.getModificationId());
    assertThat(accepted.getState()).isEqualTo(Modification.State.ACCEPTED);
    Order after = order(seller, SELLER, order.getOrderId());
    assertThat(after.getShippingAddress()).isEqualTo(newAddress());
    assertThat(after.getTotal().getAmountMinor()).as("an address costs nothing").isEqualTo(Requests.TOTAL);
    assertThat(refunds(order.getOrderId())).isZero();
  }

  @Test
  void declinedVariant_leavesTheOrderAsItWas() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = placed(buyer, seller);
    Modification proposed = propose(buyer, BUYER, variant(order.getOrderId(), 0, "colour", "blue"));
    assertThat(proposed.getVariantChange().getVariantAttributesMap()).containsExactlyEntriesOf(java.util.Map.of("colour", "blue"));

    Modification declined = decline(seller, SELLER, proposed.getModificationId());

    assertThat(declined.getState()).isEqualTo(Modification.State.DECLINED);
    Order after = order(buyer, BUYER, order.getOrderId());
    assertThat(after.getLineItems(0).getVariantAttributesMap()).containsEntry("colour", "red");
    assertThat(after.getEtag()).isEqualTo(order.getEtag());
    assertThat(lastEvent(buyer, order.getOrderId()).getType()).isEqualTo(OrderEvent.Type.MODIFICATION_DECLINED);
    Errors again = failure(() -> accept(seller, SELLER, proposed.getModificationId()));
    assertThat(again.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(again.reason()).isEqualTo("MODIFICATION_NOT_OPEN");
    assertThat(again.errorInfo().getMetadataMap()).containsEntry("modificationState", "DECLINED");
  }

  @Test
  void acceptedVariant_changesTheLine() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = paid(buyer, seller);
    Modification proposed = propose(buyer, BUYER, variant(order.getOrderId(), 1, "length", "2m"));

    accept(seller, SELLER, proposed.getModificationId());

    Order after = order(buyer, BUYER, order.getOrderId());
    assertThat(after.getLineItems(1).getVariantAttributesMap()).containsExactlyEntriesOf(java.util.Map.of("length", "2m"));
    assertThat(after.getLineItems(0).getVariantAttributesMap()).containsEntry("colour", "red");
    assertThat(refunds(order.getOrderId())).isZero();
  }

  @Test
  void onlyTheProposerWithdraws() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = placed(buyer, seller);
    Modification proposed = propose(buyer, BUYER, quantity(order.getOrderId(), 1, 2));

    Errors bySeller = failure(() -> withdraw(seller, SELLER, proposed.getModificationId()));
    assertThat(bySeller.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(bySeller.reason()).isEqualTo("NOT_THE_PROPOSER");

    Modification withdrawn = withdraw(buyer, BUYER, proposed.getModificationId());
    assertThat(withdrawn.getState()).isEqualTo(Modification.State.WITHDRAWN);
    assertThat(withdrawn.getResolvedBy().getRole()).isEqualTo(Actor.Role.BUYER);
    assertThat(order(buyer, BUYER, order.getOrderId()).getLineItems(1).getQuantity()).isEqualTo(1);
  }

  @Test
  void anotherPartysOrder_isNotFound_andSupportOnlyReads() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = placed(buyer, seller);

    Errors stranger = failure(() -> propose(unique("buyer"), BUYER, quantity(order.getOrderId(), 0, 3)));
    Errors otherShop = failure(() -> propose(unique("seller"), SELLER, quantity(order.getOrderId(), 0, 3)));
    Errors agent = failure(() -> propose("agent-1", SUPPORT, quantity(order.getOrderId(), 0, 3)));

    assertThat(stranger.code()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(otherShop.code()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(agent.code()).isEqualTo(Status.Code.PERMISSION_DENIED);

    Modification proposed = propose(buyer, BUYER, quantity(order.getOrderId(), 0, 3));
    assertThat(get("agent-1", SUPPORT, proposed.getModificationId()).getState()).isEqualTo(Modification.State.PROPOSED);
    assertThat(failure(() -> get(unique("buyer"), BUYER, proposed.getModificationId())).code()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void aRetriedAcceptance_answersTheSame_andChangesTheOrderOnce() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = placed(buyer, seller);
    Modification proposed = propose(buyer, BUYER, quantity(order.getOrderId(), 0, 3));
    AcceptModificationRequest request = acceptRequest(proposed.getModificationId());

    Modification first = server.modificationsAs(seller, SELLER).acceptModification(request);
    Modification retried = server.modificationsAs(seller, SELLER).acceptModification(request);

    assertThat(retried).isEqualTo(first);
    assertThat(events(order.getOrderId(), "ORDER_MODIFIED")).isEqualTo(1);
    assertThat(order(buyer, BUYER, order.getOrderId()).getEtag()).isEqualTo("v" + (Integer.parseInt(order.getEtag().substring(1)) + 1));
  }

  @Test
  void aPaidOrder_mayNotCostMore_refusedWhenProposedWithTheAmounts() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = paid(buyer, seller);

    Errors refused = failure(() -> propose(buyer, BUYER, quantity(order.getOrderId(), 0, 3)));

    assertThat(refused.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(refused.reason()).isEqualTo("MODIFICATION_RAISES_PAID_TOTAL");
    assertThat(refused.errorInfo().getMetadataMap())
        .containsEntry("currentTotal", Long.toString(Requests.TOTAL))
        .containsEntry("proposedTotal", Long.toString(Requests.TOTAL + LINE_0_UNIT))
        .containsEntry("currencyCode", "USD");
    assertThat(count("SELECT COUNT(*) FROM modification_requests WHERE order_id = UNHEX(?)", hex(order.getOrderId()))).isZero();
  }

  @Test
  void aPaidOrderThatBecomesCheaper_isRefundedTheDifferenceOnce_andACancelRefundsTheRest() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = paid(buyer, seller);
    Modification proposed = propose(buyer, BUYER, quantity(order.getOrderId(), 0, 1));
    AcceptModificationRequest request = acceptRequest(proposed.getModificationId());

    Modification accepted = server.modificationsAs(seller, SELLER).acceptModification(request);
    Modification retried = server.modificationsAs(seller, SELLER).acceptModification(request);

    assertThat(retried).isEqualTo(accepted);
    Refund refund = accepted.getRefund();
    assertThat(refund.getKind()).isEqualTo(Refund.Kind.MODIFICATION);
    assertThat(refund.getModificationId()).isEqualTo(proposed.getModificationId());
    assertThat(refund.getAmount().getAmountMinor()).isEqualTo(LINE_0_UNIT);
    assertThat(refund.getState()).isEqualTo(Refund.State.INITIATED);
    assertThat(get(buyer, BUYER, proposed.getModificationId()).getRefund()).isEqualTo(refund);
    assertThat(refunds(order.getOrderId())).isEqualTo(1);
    Order after = order(buyer, BUYER, order.getOrderId());
    assertThat(after.getTotal().getAmountMinor()).isEqualTo(Requests.TOTAL - LINE_0_UNIT);
    assertThat(after.getRefundsList()).extracting(Refund::getRefundId).containsExactly(refund.getRefundId());
    assertThat(events(order.getOrderId(), "REFUND_INITIATED")).isEqualTo(1);

    Order cancelled =
        server.cancellationsAs("agent-1", SUPPORT)
            .forceCancelOrder(
                dev.marketplace.orders.v1.ForceCancelOrderRequest.newBuilder()
                    .setRequestId(Requests.newId())
                    .setOrderId(order.getOrderId())
                    .setReason("buyer changed their mind after all")
                    .build());
    assertThat(cancelled.getRefundsList())
        .extracting(r -> r.getAmount().getAmountMinor())
        .containsExactly(LINE_0_UNIT, Requests.TOTAL - LINE_0_UNIT);
  }

  @Test
  void aRaiseProposedBeforePayment_isRefusedWhenAcceptedAfterIt_andStaysOpen() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = placed(buyer, seller);
    Modification proposed = propose(seller, SELLER, quantity(order.getOrderId(), 0, 4));
    pay(order.getOrderId(), RecordPaymentRequest.Outcome.CAPTURED);

    Errors refused = failure(() -> accept(buyer, BUYER, proposed.getModificationId()));

    assertThat(refused.reason()).isEqualTo("MODIFICATION_RAISES_PAID_TOTAL");
    assertThat(get(buyer, BUYER, proposed.getModificationId()).getState()).isEqualTo(Modification.State.PROPOSED);
    assertThat(order(buyer, BUYER, order.getOrderId()).getTotal().getAmountMinor()).isEqualTo(Requests.TOTAL);
    assertThat(decline(buyer, BUYER, proposed.getModificationId()).getState()).isEqualTo(Modification.State.DECLINED);
  }

  @Test
  void whilePaymentIsVerified_theTotalStays_butTheAddressMayChange() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = pay(placed(buyer, seller).getOrderId(), RecordPaymentRequest.Outcome.PROCESSING);

    Errors refused = failure(() -> propose(buyer, BUYER, quantity(order.getOrderId(), 0, 1)));

    assertThat(refused.reason()).isEqualTo("PAYMENT_VERIFICATION_IN_PROGRESS");
    assertThat(refused.detail(com.google.rpc.RetryInfo.class)).isPresent();
    Modification moved = accept(seller, SELLER, propose(buyer, BUYER, address(order.getOrderId())).getModificationId());
    assertThat(moved.getState()).isEqualTo(Modification.State.ACCEPTED);
  }

  @Test
  void shippedAndCancelledOrders_cannotChange() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order shipped = ship(paid(buyer, seller).getOrderId());
    Order cancelled = placed(buyer, seller);
    server.cancellationsAs(buyer, BUYER)
        .cancelOrder(
            dev.marketplace.orders.v1.CancelOrderRequest.newBuilder()
                .setRequestId(Requests.newId())
                .setOrderId(cancelled.getOrderId())
                .setReason(dev.marketplace.orders.v1.CancellationReason.Code.ORDERED_BY_ACCIDENT)
                .build());

    Errors afterShipping = failure(() -> propose(buyer, BUYER, address(shipped.getOrderId())));
    Errors afterCancelling = failure(() -> propose(buyer, BUYER, address(cancelled.getOrderId())));

    assertThat(afterShipping.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(afterShipping.reason()).isEqualTo("ORDER_ALREADY_SHIPPED");
    assertThat(afterCancelling.reason()).isEqualTo("ORDER_ALREADY_CANCELLED");
  }

  @Test
  void badChanges_areInvalidArguments_andNoChangeIsRefused() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = placed(buyer, seller);

    Errors noLine = failure(() -> propose(buyer, BUYER, quantity(order.getOrderId(), 2, 1)));
    Errors zero = failure(() -> propose(buyer, BUYER, quantity(order.getOrderId(), 0, 0)));
    Errors tooMany = failure(() -> propose(buyer, BUYER, quantity(order.getOrderId(), 0, 10_001)));
    Errors noChange =
        failure(
            () ->
                propose(
                    buyer,
                    BUYER,
                    dev.marketplace.orders.v1.ProposeModificationRequest.newBuilder()
                        .setRequestId(Requests.newId())
                        .setOrderId(order.getOrderId())));
    Errors badAddress =
        failure(
            () ->
                propose(
                    buyer,
                    BUYER,
                    address(order.getOrderId()).setShippingAddressChange(newAddress().toBuilder().setRegionCode("XX"))));
    Errors same = failure(() -> propose(buyer, BUYER, quantity(order.getOrderId(), 0, 2)));

    assertThat(noLine.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(noLine.violatedFields()).containsExactly("quantity_change.line_index");
    assertThat(zero.violatedFields()).containsExactly("quantity_change.quantity");
    assertThat(tooMany.violatedFields()).containsExactly("quantity_change.quantity");
    assertThat(noChange.violatedFields()).containsExactly("change");
    assertThat(badAddress.violatedFields()).containsExactly("shipping_address_change.region_code");
    assertThat(same.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(same.reason()).isEqualTo("MODIFICATION_CHANGES_NOTHING");
  }

  private static OrderEvent lastEvent(String buyer, String orderId) {
    List<OrderEvent> history = history(buyer, BUYER, orderId);
    return history.get(history.size() - 1);
  }
}
