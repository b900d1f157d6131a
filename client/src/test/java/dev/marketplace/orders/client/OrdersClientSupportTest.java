package dev.marketplace.orders.client;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import dev.marketplace.orders.v1.AssignSupportCaseRequest;
import dev.marketplace.orders.v1.GetSupportCaseRequest;
import dev.marketplace.orders.v1.ListSupportCasesRequest;
import dev.marketplace.orders.v1.ListSupportCasesResponse;
import dev.marketplace.orders.v1.Money;
import dev.marketplace.orders.v1.OpenSupportCaseRequest;
import dev.marketplace.orders.v1.ResolveSupportCaseRequest;
import dev.marketplace.orders.v1.SupportCase;
import io.grpc.InsecureServerCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The SupportService methods of the client against the fake (the real server's SupportService is
 * written separately): which RPC each reaches, with which request_id and token, and the typed refusals.
 */
@Timeout(30)
class OrdersClientSupportTest {

  private static final OpenSupportCaseRequest OPEN =
      OpenSupportCaseRequest.newBuilder()
          .setOrderId("o-1")
          .setKind(SupportCase.Kind.CANCELLATION_NOT_PROCESSED)
          .setDescription("The seller never answered my cancellation request.")
          .build();
  private static final AssignSupportCaseRequest ASSIGN =
      AssignSupportCaseRequest.newBuilder().setCaseId("case-1").setAssignee("agent-7").build();
  private static final ResolveSupportCaseRequest RESOLVE =
      ResolveSupportCaseRequest.newBuilder()
          .setCaseId("case-1")
          .setNoAction(ResolveSupportCaseRequest.NoAction.getDefaultInstance())
          .setNote("The order was cancelled and refunded already.")
          .build();

  private FakeOrdersServer fake;
  private OrdersClient client;

  @BeforeEach
  void start() throws IOException {
    fake = new FakeOrdersServer(InsecureServerCredentials.create());
    client = OrdersClient.builder().target(fake.target()).plaintext().tokenSupplier(() -> "agent-token").build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    client.close();
    fake.close();
  }

  @Test
  void openSupportCase_withoutRequestId_fillsOne_andSendsTheToken() {
    SupportCase opened = client.openSupportCase(OPEN);

    OpenSupportCaseRequest sent = (OpenSupportCaseRequest) single(fake.supportRequests());
    assertThat(UUID.fromString(sent.getRequestId())).isNotNull();
    assertThat(sent.toBuilder().clearRequestId().build()).isEqualTo(OPEN);
    assertThat(opened.getCaseId()).isEqualTo("case-for-" + sent.getRequestId());
    assertThat(fake.authorizations()).containsExactly("Bearer agent-token");
  }

  @Test
  void mutations_withoutRequestId_getAFreshOneEachCall() {
    client.openSupportCase(OPEN);
    client.openSupportCase(OPEN);
    client.assignSupportCase(ASSIGN);
    client.resolveSupportCase(RESOLVE);

    List<String> ids =
        fake.supportRequests().stream()
            .map(r -> (String) r.getField(r.getDescriptorForType().findFieldByName("request_id")))
            .toList();
    assertThat(ids).hasSize(4).doesNotHaveDuplicates().allSatisfy(id -> assertThat(UUID.fromString(id)).isNotNull());
    assertThat(fake.supportRequests())
        .extracting(r -> r.getClass().getSimpleName())
        .containsExactly("OpenSupportCaseRequest", "OpenSupportCaseRequest", "AssignSupportCaseRequest", "ResolveSupportCaseRequest");
  }

  @Test
  void mutations_withARequestId_keepIt() {
    OpenSupportCaseRequest open = OPEN.toBuilder().setRequestId("rid-open").build();
    AssignSupportCaseRequest assign = ASSIGN.toBuilder().setRequestId("rid-assign").build();
    ResolveSupportCaseRequest resolve = RESOLVE.toBuilder().setRequestId("rid-resolve").build();

    SupportCase opened = client.openSupportCase(open);
    SupportCase assigned = client.assignSupportCase(assign);
    SupportCase resolved = client.resolveSupportCase(resolve);

    assertThat(fake.supportRequests()).containsExactly(open, assign, resolve);
    assertThat(opened.getCaseId()).isEqualTo("case-for-rid-open");
    assertThat(assigned.getState()).isEqualTo(SupportCase.State.ASSIGNED);
    assertThat(assigned.getAssignee()).isEqualTo("agent-7");
    assertThat(resolved.getState()).isEqualTo(SupportCase.State.RESOLVED);
    assertThat(resolved.getResolutionNote()).isEqualTo(RESOLVE.getNote());
  }

  @Test
  void getSupportCase_looksUpByIdOrByReference() {
    SupportCase byId = client.getSupportCase("case-1");
    SupportCase byReference = client.getSupportCaseByReference("sc-0000abcd1234");

    assertThat(fake.supportRequests())
        .containsExactly(
            GetSupportCaseRequest.newBuilder().setCaseId("case-1").build(),
            GetSupportCaseRequest.newBuilder().setReference("sc-0000abcd1234").build());
    assertThat(byId.getCaseId()).isEqualTo("case-1");
    assertThat(byReference.getReference()).isEqualTo("sc-0000abcd1234");
  }

  @Test
  void listSupportCases_sendsTheRequestAsGiven() {
    ListSupportCasesRequest request =
        ListSupportCasesRequest.newBuilder()
            .addStates(SupportCase.State.OPEN)
            .addKinds(SupportCase.Kind.ESCALATED_DISPUTE)
            .setUnassigned(true)
            .setOrderId("o-1")
            .setPageSize(5)
            .build();

    ListSupportCasesResponse page = client.listSupportCases(request);

    assertThat(fake.supportRequests()).containsExactly(request);
    assertThat(page.getSupportCasesList()).extracting(SupportCase::getOrderId).containsExactly("o-1");
  }

  @Test
  void unavailable_isRetriedWithTheSameRequestId() {
    fake.failNext(Status.Code.UNAVAILABLE, Status.Code.UNAVAILABLE);

    SupportCase opened = client.openSupportCase(OPEN);

    List<String> ids =
        fake.supportRequests().stream().map(r -> ((OpenSupportCaseRequest) r).getRequestId()).toList();
    assertThat(ids).hasSize(3).containsOnly(ids.get(0));
    assertThat(opened.getCaseId()).isEqualTo("case-for-" + ids.get(0));
  }

  @Test
  void aSecondOpenCase_isSupportCaseNotAllowed_namingTheOpenOne() {
    fake.refuseNext(refusal(Code.FAILED_PRECONDITION, "SUPPORT_CASE_ALREADY_OPEN", Map.of("caseId", "case-1", "reference", "SC-0000ABCD1234", "orderId", "o-1")));

    SupportCaseNotAllowedException e = thrown(SupportCaseNotAllowedException.class, () -> client.openSupportCase(OPEN));

    assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(e.reason()).isEqualTo("SUPPORT_CASE_ALREADY_OPEN");
    assertThat(e.caseId()).contains("case-1");
    assertThat(e.reference()).contains("SC-0000ABCD1234");
    assertThat(e.orderId()).contains("o-1");
    assertThat(e.isRetryable()).isFalse();
    assertThat(fake.supportRequests()).hasSize(1);
  }

  @Test
  void resolvingAnEscalatedDisputesCase_isSupportCaseNotAllowed_namingTheDispute() {
    fake.refuseNext(refusal(Code.FAILED_PRECONDITION, "SUPPORT_CASE_IS_DISPUTE", Map.of("caseId", "case-1", "disputeId", "d-1")));

    SupportCaseNotAllowedException e = thrown(SupportCaseNotAllowedException.class, () -> client.resolveSupportCase(RESOLVE));

    assertThat(e.reason()).isEqualTo("SUPPORT_CASE_IS_DISPUTE");
    assertThat(e.caseId()).contains("case-1");
    assertThat(e.disputeId()).contains("d-1");
    assertThat(e.caseState()).isEmpty();
  }

  @Test
  void assigningAResolvedCase_isSupportCaseNotAllowed_withTheCaseState() {
    fake.refuseNext(
        refusal(
            Code.FAILED_PRECONDITION,
            "SUPPORT_CASE_STATE_CONFLICT",
            Map.of("caseId", "case-1", "reference", "SC-0000ABCD1234", "caseState", "RESOLVED", "orderId", "o-1")));

    SupportCaseNotAllowedException e = thrown(SupportCaseNotAllowedException.class, () -> client.assignSupportCase(ASSIGN));

    assertThat(e.reason()).isEqualTo("SUPPORT_CASE_STATE_CONFLICT");
    assertThat(e.caseState()).contains("RESOLVED");
    assertThat(e.reference()).contains("SC-0000ABCD1234");
    assertThat(e.orderId()).contains("o-1");
  }

  @Test
  void aRefundBeyondTheRefundable_isAPlainFailedPrecondition() {
    fake.refuseNext(refusal(Code.FAILED_PRECONDITION, "REFUND_EXCEEDS_REFUNDABLE", Map.of("refundableMinor", "100")));
    ResolveSupportCaseRequest refund =
        RESOLVE.toBuilder()
            .setRefund(
                ResolveSupportCaseRequest.IssueRefund.newBuilder()
                    .setPartialRefund(Money.newBuilder().setCurrencyCode("USD").setAmountMinor(5000)))
            .build();

    FailedPreconditionException e = thrown(FailedPreconditionException.class, () -> client.resolveSupportCase(refund));

    assertThat(e).isExactlyInstanceOf(FailedPreconditionException.class);
    assertThat(e.reason()).isEqualTo("REFUND_EXCEEDS_REFUNDABLE");
  }

  @Test
  void anUnknownCase_isNotFound() {
    fake.refuseNext(refusal(Code.NOT_FOUND, "SUPPORT_CASE_NOT_FOUND", Map.of("reference", "SC-000000000000")));

    NotFoundException e = thrown(NotFoundException.class, () -> client.getSupportCaseByReference("SC-000000000000"));

    assertThat(e.reason()).isEqualTo("SUPPORT_CASE_NOT_FOUND");
    assertThat(e.metadata()).containsEntry("reference", "SC-000000000000");
  }

  private static <T> T single(List<T> items) {
    assertThat(items).hasSize(1);
    return items.get(0);
  }

  private static StatusRuntimeException refusal(Code code, String reason, Map<String, String> metadata) {
    return StatusProto.toStatusRuntimeException(
        com.google.rpc.Status.newBuilder()
            .setCode(code.getNumber())
            .setMessage("refused")
            .addDetails(Any.pack(ErrorInfo.newBuilder().setReason(reason).setDomain("orders.marketplace.dev").putAllMetadata(metadata).build()))
            .build());
  }
}
