package dev.marketplace.orders.server.security;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.domain.access.Role.SERVICE;
import static dev.marketplace.orders.server.security.AuthorizationMatrix.B1;
import static dev.marketplace.orders.server.security.AuthorizationMatrix.LOGISTICS_SHIP;
import static dev.marketplace.orders.server.security.AuthorizationMatrix.ORDERS_CREATE;
import static dev.marketplace.orders.server.security.AuthorizationMatrix.PAYMENTS_RECORD;
import static dev.marketplace.orders.server.security.AuthorizationMatrix.RUN;
import static dev.marketplace.orders.server.security.AuthorizationMatrix.S1;
import static dev.marketplace.orders.server.security.AuthorizationMatrix.cancelRequest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.server.security.AuthorizationMatrix.Target;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.ApproveCancellationRequestRequest;
import dev.marketplace.orders.v1.CancelOrderResponse;
import dev.marketplace.orders.v1.CancellationRequest;
import dev.marketplace.orders.v1.CancellationServiceGrpc;
import dev.marketplace.orders.v1.CancellationServiceGrpc.CancellationServiceBlockingStub;
import dev.marketplace.orders.v1.ConversationServiceGrpc;
import dev.marketplace.orders.v1.Dispute;
import dev.marketplace.orders.v1.DisputeServiceGrpc;
import dev.marketplace.orders.v1.SupportCase;
import dev.marketplace.orders.v1.SupportServiceGrpc;
import dev.marketplace.orders.v1.ApproveReturnRequest;
import dev.marketplace.orders.v1.Return;
import dev.marketplace.orders.v1.ReturnServiceGrpc;
import dev.marketplace.orders.v1.EscalateDisputeRequest;
import dev.marketplace.orders.v1.Modification;
import dev.marketplace.orders.v1.ModificationServiceGrpc;
import dev.marketplace.orders.v1.OrderServiceGrpc;
import dev.marketplace.orders.v1.OrderServiceGrpc.OrderServiceBlockingStub;
import dev.marketplace.orders.v1.RecordPaymentRequest;
import dev.marketplace.orders.v1.RespondToDisputeRequest;
import dev.marketplace.orders.v1.Refund;
import dev.marketplace.orders.v1.SendMessageRequest;
import io.grpc.ClientInterceptor;
import java.util.concurrent.TimeUnit;

/**
 * What a call of the matrix acts on, prepared through the real API as checkout, payments, logistics
 * and the parties would: a fresh target for every mutating call; read-only calls share one.
 */
final class Targets {

  private final GrpcTestServer server;
  private final ClientInterceptor counting;
  private Target shared;
  private Target sharedModification;
  private Target sharedDispute;
  private Target sharedCase;
  private Target sharedReturn;

  /** {@code counting} goes on every stub, so that the report counts the preparation's calls too. */
  Targets(GrpcTestServer server, ClientInterceptor counting) {
    this.server = server;
    this.counting = counting;
  }

  private OrderServiceBlockingStub ordersAs(String subject, Role role, String... scopes) {
    return OrderServiceGrpc.newBlockingStub(server.channel())
        .withInterceptors(counting, GrpcTestServer.bearer(server.token(subject, role, scopes)))
        .withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  private CancellationServiceBlockingStub cancellationsAs(String subject, Role role, String... scopes) {
    return CancellationServiceGrpc.newBlockingStub(server.channel())
        .withInterceptors(counting, GrpcTestServer.bearer(server.token(subject, role, scopes)))
        .withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  /** A placed order of B1 at S1 whose conversation has B1's first message. */
  Target conversation() {
    String orderId = placed();
    String messageId =
        ConversationServiceGrpc.newBlockingStub(server.channel())
            .withInterceptors(counting, GrpcTestServer.bearer(server.token(B1, BUYER)))
            .withDeadlineAfter(20, TimeUnit.SECONDS)
            .sendMessage(SendMessageRequest.newBuilder().setRequestId(Requests.newId()).setOrderId(orderId).setText("Is it in stock?").build())
            .getMessageId();
    return new Target(orderId, "", "", messageId, "");
  }

  Target nothing() {
    return new Target("", "", "");
  }

  String placed() {
    return ordersAs("checkout-" + RUN, SERVICE, ORDERS_CREATE).createOrder(Requests.create(B1, S1)).getOrderId();
  }

  String paid() {
    String orderId = placed();
    ordersAs("payments-" + RUN, SERVICE, PAYMENTS_RECORD)
        .recordPayment(Requests.payment(orderId, RecordPaymentRequest.Outcome.CAPTURED));
    return orderId;
  }

  String shipped() {
    String orderId = paid();
    ordersAs("logistics-" + RUN, SERVICE, LOGISTICS_SHIP).shipOrder(Requests.ship(orderId));
    return orderId;
  }

  String delivered() {
    String orderId = shipped();
    ordersAs("logistics-" + RUN, SERVICE, LOGISTICS_SHIP).confirmDelivery(Requests.deliver(orderId));
    return orderId;
  }

  /** A paid order of B1 at S1 with B1's PENDING request to cancel it. */
  Target pendingRequest() {
    String orderId = paid();
    CancelOrderResponse asked = cancellationsAs(B1, BUYER).cancelOrder(cancelRequest(orderId));
    assertThat(asked.getOutcome()).isEqualTo(CancelOrderResponse.Outcome.REQUESTED);
    return new Target(orderId, asked.getCancellationRequest().getCancellationRequestId(), "");
  }

  /** A cancellation S1 approved, with its refund INITIATED. */
  Target refund() {
    Target pending = pendingRequest();
    CancellationRequest approved =
        cancellationsAs(S1, SELLER)
            .approveCancellationRequest(
                ApproveCancellationRequestRequest.newBuilder()
                    .setRequestId(Requests.newId())
                    .setCancellationRequestId(pending.cancellationRequestId())
                    .build());
    assertThat(approved.getRefund().getState()).isEqualTo(Refund.State.INITIATED);
    return new Target(pending.orderId(), pending.cancellationRequestId(), approved.getRefund().getRefundId());
  }

  /** An unpaid order of B1 at S1 with B1's PROPOSED modification (S1 answers it). */
  Target openModification() {
    String orderId = placed();
    Modification proposed =
        ModificationServiceGrpc.newBlockingStub(server.channel())
            .withInterceptors(counting, GrpcTestServer.bearer(server.token(B1, BUYER)))
            .withDeadlineAfter(20, TimeUnit.SECONDS)
            .proposeModification(AuthorizationMatrix.proposeRequest(orderId));
    return new Target(orderId, "", "", "", proposed.getModificationId());
  }

  /** Read-only modification RPCs share one, prepared once. */
  synchronized Target sharedModification() {
    if (sharedModification == null) {
      sharedModification = openModification();
    }
    return sharedModification;
  }

  /** A shipped order of B1 at S1 with B1's OPEN dispute asking a full refund. */
  Target openDispute() {
    String orderId = shipped();
    Dispute opened = disputesAs(B1, BUYER).openDispute(AuthorizationMatrix.openDisputeRequest(orderId));
    return Target.dispute(orderId, opened.getDisputeId());
  }

  /** An open dispute S1 answered with a partial offer. */
  Target offeredDispute() {
    Target open = openDispute();
    Dispute offered =
        disputesAs(S1, SELLER)
            .respondToDispute(
                RespondToDisputeRequest.newBuilder()
                    .setRequestId(Requests.newId())
                    .setDisputeId(open.disputeId())
                    .setOffer(RespondToDisputeRequest.Offer.newBuilder().setAmount(Requests.usd(100)))
                    .build());
    assertThat(offered.getState()).isEqualTo(Dispute.State.OFFERED);
    return open;
  }

  /** An open dispute B1 escalated (the matrix's server has no escalation delay). */
  Target escalatedDispute() {
    Target open = openDispute();
    Dispute escalated =
        disputesAs(B1, BUYER).escalateDispute(EscalateDisputeRequest.newBuilder().setRequestId(Requests.newId()).setDisputeId(open.disputeId()).build());
    assertThat(escalated.getState()).isEqualTo(Dispute.State.ESCALATED);
    return open;
  }

  /** Read-only dispute RPCs share one, prepared once. */
  synchronized Target sharedDispute() {
    if (sharedDispute == null) {
      sharedDispute = openDispute();
    }
    return sharedDispute;
  }

  /** A shipped order of B1 at S1 with B1's OPEN support case (kind OTHER). */
  Target openCase() {
    String orderId = shipped();
    SupportCase opened =
        SupportServiceGrpc.newBlockingStub(server.channel())
            .withInterceptors(counting, GrpcTestServer.bearer(server.token(B1, BUYER)))
            .withDeadlineAfter(20, TimeUnit.SECONDS)
            .openSupportCase(AuthorizationMatrix.openCaseRequest(orderId));
    return Target.supportCase(orderId, opened.getCaseId());
  }

  /** Read-only support RPCs share one case, prepared once. */
  synchronized Target sharedCase() {
    if (sharedCase == null) {
      sharedCase = openCase();
    }
    return sharedCase;
  }

  /** A delivered order of B1 at S1 with B1's REQUESTED return of one unit. */
  Target requestedReturn() {
    String orderId = delivered();
    Return requested = returnsAs(B1, BUYER).requestReturn(AuthorizationMatrix.requestReturnRequest(orderId));
    return Target.ret(orderId, requested.getReturnId());
  }

  /** A requested return S1 approved. */
  Target approvedReturn() {
    Target requested = requestedReturn();
    Return approved =
        returnsAs(S1, SELLER).approveReturn(ApproveReturnRequest.newBuilder().setRequestId(Requests.newId()).setReturnId(requested.returnId()).build());
    assertThat(approved.getState()).isEqualTo(Return.State.APPROVED);
    return requested;
  }

  /** Read-only return RPCs share one, prepared once. */
  synchronized Target sharedReturn() {
    if (sharedReturn == null) {
      sharedReturn = requestedReturn();
    }
    return sharedReturn;
  }

  private ReturnServiceGrpc.ReturnServiceBlockingStub returnsAs(String subject, Role role) {
    return ReturnServiceGrpc.newBlockingStub(server.channel())
        .withInterceptors(counting, GrpcTestServer.bearer(server.token(subject, role)))
        .withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  private DisputeServiceGrpc.DisputeServiceBlockingStub disputesAs(String subject, Role role) {
    return DisputeServiceGrpc.newBlockingStub(server.channel())
        .withInterceptors(counting, GrpcTestServer.bearer(server.token(subject, role)))
        .withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  /** Read-only RPCs share one target, prepared once: a paid order with a pending request. */
  synchronized Target sharedTarget() {
    if (shared == null) {
      shared = pendingRequest();
    }
    return shared;
  }
}
