package dev.marketplace.orders.server.support;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.domain.access.Role.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.Timestamp;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.server.testing.Checkout;
import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.server.testing.Rows;
import dev.marketplace.orders.v1.AssignSupportCaseRequest;
import dev.marketplace.orders.v1.CancelOrderRequest;
import dev.marketplace.orders.v1.CancellationReason;
import dev.marketplace.orders.v1.CancellationRequest;
import dev.marketplace.orders.v1.Dispute;
import dev.marketplace.orders.v1.EscalateDisputeRequest;
import dev.marketplace.orders.v1.GetOrderRequest;
import dev.marketplace.orders.v1.GetSupportCaseRequest;
import dev.marketplace.orders.v1.ListSupportCasesRequest;
import dev.marketplace.orders.v1.OpenDisputeRequest;
import dev.marketplace.orders.v1.OpenSupportCaseRequest;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.RejectCancellationRequestRequest;
import dev.marketplace.orders.v1.ResolveSupportCaseRequest;
import dev.marketplace.orders.v1.SupportCase;
import io.grpc.StatusRuntimeException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * orders.v1.SupportService end to end: real channel, real tokens, real Guice wiring, MariaDB; each
 * class starts a server of its own on a fresh database. Orders cost {@link Requests#TOTAL}.
 */
abstract class SupportFixture {

  static final String AGENT = "agent-1";
  static final String EVIDENCE = "https://evidence.example/screenshot-1.png";

  static GrpcTestServer server;
  static Rows rows;

  @BeforeAll
  static void start() throws Exception {
    server = new GrpcTestServer();
    rows = new Rows(server.dataSource());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  // ---- orders ----

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

  static Order order(String subject, Role role, String orderId) {
    return server.ordersAs(subject, role).getOrder(GetOrderRequest.newBuilder().setOrderId(orderId).build());
  }

  /** The buyer asks to cancel a paid order: a PENDING request for the seller. */
  static CancellationRequest askToCancel(String buyer, String orderId) {
    return server.cancellationsAs(buyer, BUYER)
        .cancelOrder(
            CancelOrderRequest.newBuilder()
                .setRequestId(Requests.newId())
                .setOrderId(orderId)
                .setReason(CancellationReason.Code.ORDERED_BY_ACCIDENT)
                .build())
        .getCancellationRequest();
  }

  static CancellationRequest rejectCancellation(String seller, String requestId) {
    return server.cancellationsAs(seller, SELLER)
        .rejectCancellationRequest(
            RejectCancellationRequestRequest.newBuilder()
                .setRequestId(Requests.newId())
                .setCancellationRequestId(requestId)
                .setRejectionReason(CancellationRequest.RejectionReason.ALREADY_PREPARED_OR_CUSTOMISED)
                .setNote("already engraved")
                .build());
  }

  // ---- disputes, as far as support sees them ----

  static Dispute openDispute(String buyer, String orderId) {
    return server.disputesAs(buyer, BUYER)
        .openDispute(
            OpenDisputeRequest.newBuilder()
                .setRequestId(Requests.newId())
                .setOrderId(orderId)
                .setReason(Dispute.Reason.NOT_RECEIVED)
                .setDescription("the parcel never came")
                .setFullRefund(true)
                .build());
  }

  static Dispute escalateDispute(String subject, Role role, String disputeId) {
    return server.disputesAs(subject, role)
        .escalateDispute(EscalateDisputeRequest.newBuilder().setRequestId(Requests.newId()).setDisputeId(disputeId).build());
  }

  // ---- support calls ----

  static OpenSupportCaseRequest.Builder caseAbout(String orderId, SupportCase.Kind kind) {
    return OpenSupportCaseRequest.newBuilder()
        .setRequestId(Requests.newId())
        .setOrderId(orderId)
        .setKind(kind)
        .setDescription("the seller never answered and my money is not back")
        .addEvidenceUris(EVIDENCE);
  }

  static SupportCase open(String subject, Role role, OpenSupportCaseRequest.Builder request) {
    return server.supportAs(subject, role).openSupportCase(request.build());
  }

  static SupportCase get(String subject, Role role, String caseId) {
    return server.supportAs(subject, role).getSupportCase(GetSupportCaseRequest.newBuilder().setCaseId(caseId).build());
  }

  static SupportCase byReference(String subject, Role role, String reference) {
    return server.supportAs(subject, role).getSupportCase(GetSupportCaseRequest.newBuilder().setReference(reference).build());
  }

  static List<SupportCase> queue(ListSupportCasesRequest.Builder request) {
    return server.supportAs(AGENT, SUPPORT).listSupportCases(request.build()).getSupportCasesList();
  }

  static SupportCase assign(String caseId, String assignee, String note) {
    return server.supportAs(AGENT, SUPPORT)
        .assignSupportCase(
            AssignSupportCaseRequest.newBuilder().setRequestId(Requests.newId()).setCaseId(caseId).setAssignee(assignee).setNote(note).build());
  }

  static ResolveSupportCaseRequest.Builder resolution(String caseId) {
    return ResolveSupportCaseRequest.newBuilder().setRequestId(Requests.newId()).setCaseId(caseId).setNote("checked the records");
  }

  static ResolveSupportCaseRequest.Builder forceCancellation(String caseId) {
    return resolution(caseId).setForceCancellation(ResolveSupportCaseRequest.ForceCancellation.getDefaultInstance());
  }

  static ResolveSupportCaseRequest.Builder fullRefund(String caseId) {
    return resolution(caseId).setRefund(ResolveSupportCaseRequest.IssueRefund.newBuilder().setFullRefund(true));
  }

  static ResolveSupportCaseRequest.Builder partialRefund(String caseId, long amountMinor) {
    return resolution(caseId).setRefund(ResolveSupportCaseRequest.IssueRefund.newBuilder().setPartialRefund(Requests.usd(amountMinor)));
  }

  static ResolveSupportCaseRequest.Builder noAction(String caseId) {
    return resolution(caseId).setNoAction(ResolveSupportCaseRequest.NoAction.getDefaultInstance());
  }

  static SupportCase resolve(ResolveSupportCaseRequest.Builder request) {
    return server.supportAs(AGENT, SUPPORT).resolveSupportCase(request.build());
  }

  static Errors failure(Runnable call) {
    Throwable thrown = catchThrowable(call::run);
    assertThat(thrown).as("the call should have failed").isInstanceOf(StatusRuntimeException.class);
    return Errors.of(thrown);
  }

  static long events(String orderId, String type) {
    return rows.events(orderId, type);
  }

  static long supportRefunds(String caseId) {
    return rows.count("SELECT COUNT(*) FROM refunds WHERE support_case_id = UNHEX(?)", Rows.hex(caseId));
  }

  static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }
}
