package dev.marketplace.orders.server.cancellation;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.domain.access.Role.SERVICE;
import static dev.marketplace.orders.domain.access.Role.SUPPORT;
import static dev.marketplace.orders.server.cancellation.Marketplace.approveRequest;
import static dev.marketplace.orders.server.cancellation.Marketplace.cancelRequest;
import static dev.marketplace.orders.server.cancellation.Marketplace.rejectRequest;
import static dev.marketplace.orders.server.cancellation.Marketplace.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.CancelOrderRequest;
import dev.marketplace.orders.v1.CancelOrderResponse;
import dev.marketplace.orders.v1.CancellationReason.Code;
import dev.marketplace.orders.v1.CancellationReason;
import dev.marketplace.orders.v1.CancellationRequest.RejectionReason;
import dev.marketplace.orders.v1.CancellationRequest;
import dev.marketplace.orders.v1.CancellationServiceGrpc.CancellationServiceBlockingStub;
import dev.marketplace.orders.v1.CancellationServiceGrpc;
import dev.marketplace.orders.v1.GetCancellationRequestRequest;
import dev.marketplace.orders.v1.ListCancellationReasonsRequest;
import dev.marketplace.orders.v1.ListCancellationRequestsRequest;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.RecordRefundResultRequest;
import dev.marketplace.orders.v1.WithdrawCancellationRequestRequest;
import io.grpc.Status;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Input, identity and access: malformed requests name every bad field; only the order's parties act, each on their side. */
class CancellationInputAndAccessTest extends CancellationServiceFixture {

  @Test
  void reasonOther_needsAnExplanation_ofAtMost1000Characters() {
    String buyer = unique("buyer");
    Order order = market.paid(buyer, unique("seller"));
    CancellationServiceBlockingStub stub = market.cancellations(buyer, BUYER);

    Errors missing = failure(() -> stub.cancelOrder(cancelRequest(order.getOrderId(), Code.OTHER)));
    Errors tooLong =
        failure(() -> stub.cancelOrder(cancelRequest(order.getOrderId(), Code.OTHER).toBuilder().setExplanation("x".repeat(1001)).build()));
    Errors noReason = failure(() -> stub.cancelOrder(cancelRequest(order.getOrderId(), Code.CODE_UNSPECIFIED)));

    assertThat(missing.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(missing.violatedFields()).containsExactly("explanation");
    assertThat(tooLong.violatedFields()).containsExactly("explanation");
    assertThat(noReason.violatedFields()).containsExactly("reason");
    assertThat(rows.requests(order.getOrderId())).isZero();

    CancelOrderResponse explained =
        stub.cancelOrder(cancelRequest(order.getOrderId(), Code.OTHER).toBuilder().setExplanation("x".repeat(1000)).build());
    assertThat(explained.getCancellationRequest().getExplanation()).hasSize(1000);

    List<CancellationReason> reasons =
        market.cancellations(buyer, BUYER).listCancellationReasons(ListCancellationReasonsRequest.getDefaultInstance()).getReasonsList();
    assertThat(reasons)
        .extracting(CancellationReason::getCode)
        .containsExactly(
            Code.ORDERED_BY_ACCIDENT,
            Code.BETTER_PRICE_ELSEWHERE,
            Code.WRONG_ITEM_OR_SIZE,
            Code.CHANGE_DELIVERY_ADDRESS,
            Code.SELLER_POOR_REVIEWS_OR_SLOW_SHIPPING,
            Code.OTHER);
    assertThat(reasons).filteredOn(CancellationReason::getExplanationRequired).extracting(CancellationReason::getCode).containsExactly(Code.OTHER);
    assertThat(reasons).allSatisfy(r -> assertThat(r.getDisplayLabel()).isNotBlank());
  }

  @Test
  void malformedIds_areInvalidArgument_namingEveryBadField() {
    String buyer = unique("buyer");
    CancellationServiceBlockingStub asBuyer = market.cancellations(buyer, BUYER);
    CancellationServiceBlockingStub asSeller = market.cancellations(unique("seller"), SELLER);
    String junk = "1; DROP TABLE orders";

    assertInvalid(
        failure(() -> asBuyer.checkCancellationEligibility(
            dev.marketplace.orders.v1.CheckCancellationEligibilityRequest.newBuilder().setOrderId(junk).build())),
        "order_id");
    assertInvalid(
        failure(() -> asBuyer.cancelOrder(CancelOrderRequest.newBuilder().setRequestId("not-a-uuid").setOrderId(junk).build())),
        "request_id", "order_id", "reason");
    assertInvalid(
        failure(() -> asBuyer.getCancellationRequest(GetCancellationRequestRequest.newBuilder().setCancellationRequestId("").build())),
        "cancellation_request_id");
    assertInvalid(
        failure(() -> asSeller.approveCancellationRequest(
            dev.marketplace.orders.v1.ApproveCancellationRequestRequest.newBuilder().setRequestId("x").setCancellationRequestId(junk).build())),
        "request_id", "cancellation_request_id");
    assertInvalid(
        failure(() -> asSeller.rejectCancellationRequest(
            dev.marketplace.orders.v1.RejectCancellationRequestRequest.newBuilder().setRequestId(Requests.newId()).setCancellationRequestId(junk).build())),
        "cancellation_request_id", "rejection_reason");
    assertInvalid(
        failure(() -> asBuyer.withdrawCancellationRequest(
            WithdrawCancellationRequestRequest.newBuilder().setCancellationRequestId(junk).build())),
        "request_id", "cancellation_request_id");
    assertInvalid(
        failure(() -> asBuyer.listCancellationRequests(
            ListCancellationRequestsRequest.newBuilder().setOrderId(junk).addStatesValue(0).setPageSize(-1).build())),
        "order_id", "states[0]", "page_size");
    assertInvalid(
        failure(() -> asBuyer.listCancellationRequests(ListCancellationRequestsRequest.newBuilder().setPageToken("garbage").build())),
        "page_token");
    assertInvalid(
        failure(() -> market.refunds().recordRefundResult(
            RecordRefundResultRequest.newBuilder().setRequestId(Requests.newId()).setRefundId(junk).build())),
        "refund_id", "outcome");
  }

  private static void assertInvalid(Errors error, String... fields) {
    assertThat(error.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(error.violatedFields()).containsExactlyInAnyOrder(fields);
    assertThat(error.status().getMessage()).doesNotContain("Exception").doesNotContain("SQL");
  }

  @Test
  void anotherBuyerOrSeller_getsNotFound_andCannotTouchTheRequest() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    CancellationRequest request = market.requested(buyer, seller);
    String id = request.getCancellationRequestId();
    String orderId = request.getOrderId();
    String strangerBuyer = unique("stranger");
    String otherShop = unique("other-shop");

    List<Runnable> strangers =
        List.of(
            () -> market.eligibility(strangerBuyer, BUYER, orderId),
            () -> market.ask(strangerBuyer, orderId),
            () -> market.request(strangerBuyer, BUYER, id),
            () -> market.withdraw(strangerBuyer, id),
            () -> market.request(otherShop, SELLER, id),
            () -> market.approve(otherShop, id),
            () -> market.reject(otherShop, rejectRequest(id, RejectionReason.ALREADY_PREPARED_OR_CUSTOMISED)),
            () -> market.request(buyer, BUYER, UUID.randomUUID().toString()),
            () -> market.eligibility(buyer, BUYER, UUID.randomUUID().toString()),
            () -> market.approve(seller, UUID.randomUUID().toString()));
    for (int i = 0; i < strangers.size(); i++) {
      Errors error = failure(strangers.get(i));
      assertThat(error.code()).as("call %d: %s", i, error.status()).isEqualTo(Status.Code.NOT_FOUND);
      assertThat(error.reason()).isIn("ORDER_NOT_FOUND", "CANCELLATION_REQUEST_NOT_FOUND");
    }
    assertThat(market.request(buyer, BUYER, id)).isEqualTo(request);
    assertThat(market.cancellations(strangerBuyer, BUYER).listCancellationRequests(
            ListCancellationRequestsRequest.newBuilder().setOrderId(orderId).build()).getCancellationRequestsList())
        .isEmpty();
  }

  @Test
  void rolesActOnlyOnTheirSide_buyerCannotApprove_sellerCannotCancel_refundsNeedTheirScope() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    CancellationRequest request = market.requested(buyer, seller);
    String id = request.getCancellationRequestId();
    Order unpaid = market.placed(buyer, seller);

    List<Runnable> refused =
        List.of(
            () -> market.cancellations(buyer, BUYER).approveCancellationRequest(approveRequest(id)),
            () -> market.cancellations(buyer, BUYER)
                .rejectCancellationRequest(rejectRequest(id, RejectionReason.ALREADY_PREPARED_OR_CUSTOMISED).build()),
            () -> market.cancellations(seller, SELLER).cancelOrder(cancelRequest(unpaid.getOrderId(), Code.ORDERED_BY_ACCIDENT)),
            () -> market.cancellations(seller, SELLER)
                .withdrawCancellationRequest(
                    WithdrawCancellationRequestRequest.newBuilder().setRequestId(Requests.newId()).setCancellationRequestId(id).build()),
            () -> market.eligibility(seller, SELLER, unpaid.getOrderId()),
            () -> market.cancellations("agent-3", SUPPORT).cancelOrder(cancelRequest(unpaid.getOrderId(), Code.ORDERED_BY_ACCIDENT)),
            () -> market.cancellations("payments", SERVICE, "payments.record").recordRefundResult(completed(UUID.randomUUID().toString())),
            () -> market.cancellations(buyer, BUYER).recordRefundResult(completed(UUID.randomUUID().toString())),
            () -> market.cancellations("reporting", SERVICE, "orders.read").listCancellationRequests(ListCancellationRequestsRequest.getDefaultInstance()));
    for (int i = 0; i < refused.size(); i++) {
      Errors error = failure(refused.get(i));
      assertThat(error.code()).as("call %d: %s", i, error.status()).isEqualTo(Status.Code.PERMISSION_DENIED);
    }
    Errors anonymous =
        failure(() -> CancellationServiceGrpc.newBlockingStub(server.channel())
            .cancelOrder(cancelRequest(unpaid.getOrderId(), Code.ORDERED_BY_ACCIDENT)));
    assertThat(anonymous.code()).isEqualTo(Status.Code.UNAUTHENTICATED);

    assertThat(market.request(buyer, BUYER, id).getState()).isEqualTo(CancellationRequest.State.PENDING);
    assertThat(market.order(buyer, BUYER, unpaid.getOrderId()).getState()).isEqualTo(Order.State.AWAITING_PAYMENT);
  }
}
