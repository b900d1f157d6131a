package dev.marketplace.orders.server.dispute;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.server.testing.Checkout;
import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.server.testing.Rows;
import dev.marketplace.orders.v1.AcceptDisputeOfferRequest;
import dev.marketplace.orders.v1.CancelOrderRequest;
import dev.marketplace.orders.v1.CancellationReason;
import dev.marketplace.orders.v1.CancellationRequest;
import dev.marketplace.orders.v1.Dispute;
import dev.marketplace.orders.v1.EscalateDisputeRequest;
import dev.marketplace.orders.v1.GetDisputeRequest;
import dev.marketplace.orders.v1.GetOrderRequest;
import dev.marketplace.orders.v1.OpenDisputeRequest;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.RejectCancellationRequestRequest;
import dev.marketplace.orders.v1.ResolveDisputeRequest;
import dev.marketplace.orders.v1.RespondToDisputeRequest;
import dev.marketplace.orders.v1.WithdrawDisputeRequest;
import io.grpc.StatusRuntimeException;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * orders.v1.DisputeService end to end: real channel, real tokens, real Guice wiring, MariaDB; each
 * class starts a server of its own on a fresh database. The order of {@link Requests#order} costs
 * {@link Requests#TOTAL} (2 x 4.99 + 1 x 15.00).
 */
abstract class DisputeFixture {

  static final String EVIDENCE = "https://evidence.example/photo-1.jpg";

  static GrpcTestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new GrpcTestServer();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  // ---- orders in each state ----

  static Order placed(String buyer, String seller) {
    return new Checkout(server).placed(buyer, seller);
  }

  static Order paid(String buyer, String seller) {
    return new Checkout(server).paid(buyer, seller);
  }

  static Order shipped(String buyer, String seller) {
    return new Checkout(server).shipped(buyer, seller);
  }

  static Order delivered(String buyer, String seller) {
    return new Checkout(server).delivered(buyer, seller);
  }

  /** A paid order whose buyer asked to cancel and whose seller rejected the request. */
  static Order rejectedCancellation(String buyer, String seller) {
    Order order = paid(buyer, seller);
    CancellationRequest request =
        server.cancellationsAs(buyer, BUYER)
            .cancelOrder(
                CancelOrderRequest.newBuilder()
                    .setRequestId(Requests.newId())
                    .setOrderId(order.getOrderId())
                    .setReason(CancellationReason.Code.ORDERED_BY_ACCIDENT)
                    .build())
            .getCancellationRequest();
    server.cancellationsAs(seller, SELLER)
        .rejectCancellationRequest(
            RejectCancellationRequestRequest.newBuilder()
                .setRequestId(Requests.newId())
                .setCancellationRequestId(request.getCancellationRequestId())
                .setRejectionReason(CancellationRequest.RejectionReason.ALREADY_PREPARED_OR_CUSTOMISED)
                .setNote("already engraved")
                .build());
    return order(buyer, BUYER, order.getOrderId());
  }

  static Order order(String subject, Role role, String orderId) {
    return server.ordersAs(subject, role).getOrder(GetOrderRequest.newBuilder().setOrderId(orderId).build());
  }

  // ---- dispute calls ----

  static OpenDisputeRequest.Builder full(String orderId, Dispute.Reason reason) {
    return OpenDisputeRequest.newBuilder()
        .setRequestId(Requests.newId())
        .setOrderId(orderId)
        .setReason(reason)
        .setDescription("the parcel never came")
        .setFullRefund(true);
  }

  static OpenDisputeRequest.Builder partial(String orderId, long amountMinor) {
    return OpenDisputeRequest.newBuilder()
        .setRequestId(Requests.newId())
        .setOrderId(orderId)
        .setReason(Dispute.Reason.DAMAGED)
        .setDescription("one case is cracked")
        .addEvidenceUris(EVIDENCE)
        .setPartialRefund(Requests.usd(amountMinor));
  }

  static Dispute open(String buyer, OpenDisputeRequest.Builder request) {
    return server.disputesAs(buyer, BUYER).openDispute(request.build());
  }

  static RespondToDisputeRequest acceptRequest(String disputeId) {
    return RespondToDisputeRequest.newBuilder()
        .setRequestId(Requests.newId())
        .setDisputeId(disputeId)
        .setAccept(RespondToDisputeRequest.Accept.newBuilder().setNote("sorry"))
        .build();
  }

  static Dispute accept(String seller, String disputeId) {
    return server.disputesAs(seller, SELLER).respondToDispute(acceptRequest(disputeId));
  }

  static Dispute offer(String seller, String disputeId, long amountMinor) {
    return server.disputesAs(seller, SELLER)
        .respondToDispute(
            RespondToDisputeRequest.newBuilder()
                .setRequestId(Requests.newId())
                .setDisputeId(disputeId)
                .setOffer(RespondToDisputeRequest.Offer.newBuilder().setAmount(Requests.usd(amountMinor)).setNote("half of it"))
                .build());
  }

  static Dispute reject(String seller, String disputeId) {
    return server.disputesAs(seller, SELLER)
        .respondToDispute(
            RespondToDisputeRequest.newBuilder()
                .setRequestId(Requests.newId())
                .setDisputeId(disputeId)
                .setReject(RespondToDisputeRequest.Reject.newBuilder().setNote("tracking says delivered").addEvidenceUris(EVIDENCE))
                .build());
  }

  static Dispute acceptOffer(String buyer, String disputeId) {
    return server.disputesAs(buyer, BUYER)
        .acceptDisputeOffer(AcceptDisputeOfferRequest.newBuilder().setRequestId(Requests.newId()).setDisputeId(disputeId).build());
  }

  static EscalateDisputeRequest escalateRequest(String disputeId) {
    return EscalateDisputeRequest.newBuilder().setRequestId(Requests.newId()).setDisputeId(disputeId).build();
  }

  static Dispute escalate(String subject, Role role, String disputeId) {
    return server.disputesAs(subject, role).escalateDispute(escalateRequest(disputeId));
  }

  static Dispute resolve(String disputeId, ResolveDisputeRequest.Decision decision, long amountMinor) {
    ResolveDisputeRequest.Builder request =
        ResolveDisputeRequest.newBuilder()
            .setRequestId(Requests.newId())
            .setDisputeId(disputeId)
            .setDecision(decision)
            .setNote("decided on the evidence");
    if (decision == ResolveDisputeRequest.Decision.PARTIAL_REFUND) {
      request.setRefundAmount(Requests.usd(amountMinor));
    }
    return server.disputesAs("agent-1", Role.SUPPORT).resolveDispute(request.build());
  }

  static WithdrawDisputeRequest withdrawRequest(String disputeId) {
    return WithdrawDisputeRequest.newBuilder().setRequestId(Requests.newId()).setDisputeId(disputeId).build();
  }

  static Dispute withdraw(String buyer, String disputeId) {
    return server.disputesAs(buyer, BUYER).withdrawDispute(withdrawRequest(disputeId));
  }

  static Dispute get(String subject, Role role, String disputeId) {
    return server.disputesAs(subject, role).getDispute(GetDisputeRequest.newBuilder().setDisputeId(disputeId).build());
  }

  static Errors failure(Runnable call) {
    Throwable thrown = catchThrowable(call::run);
    assertThat(thrown).as("the call should have failed").isInstanceOf(StatusRuntimeException.class);
    return Errors.of(thrown);
  }

  static long count(String sql, Object... params) {
    return new Rows(server.dataSource()).count(sql, params);
  }

  static String hex(String uuid) {
    return Rows.hex(uuid);
  }

  static long events(String orderId, String type) {
    return new Rows(server.dataSource()).events(orderId, type);
  }

  static long disputeRefunds(String disputeId) {
    return count("SELECT COUNT(*) FROM refunds WHERE dispute_id = UNHEX(?)", hex(disputeId));
  }

  static long platformMessages(String orderId) {
    return new Rows(server.dataSource()).platformMessages(orderId);
  }
}
