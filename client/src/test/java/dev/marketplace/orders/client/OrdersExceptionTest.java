package dev.marketplace.orders.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.PreconditionFailure;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Translation of statuses the real server cannot easily be made to send (RetryInfo, overload, bare statuses). */
class OrdersExceptionTest {

  @ParameterizedTest
  @CsvSource({
    "INVALID_ARGUMENT, InvalidRequestException",
    "NOT_FOUND, NotFoundException",
    "FAILED_PRECONDITION, FailedPreconditionException",
    "ABORTED, ConflictException",
    "UNAUTHENTICATED, UnauthenticatedException",
    "PERMISSION_DENIED, PermissionDeniedException",
    "UNAVAILABLE, UnavailableException",
    "DEADLINE_EXCEEDED, UnavailableException",
    "RESOURCE_EXHAUSTED, ResourceExhaustedException",
    "INTERNAL, OrdersException",
    "UNKNOWN, OrdersException",
    "CANCELLED, OrdersException",
  })
  void from_picksTheTypeByStatusCode(Status.Code code, String type) {
    OrdersException e = OrdersException.from(Status.fromCode(code).asRuntimeException());

    assertThat(e.getClass().getSimpleName()).isEqualTo(type);
    assertThat(e.code()).isEqualTo(code);
  }

  @Test
  void richStatus_exposesEveryDetail() {
    StatusRuntimeException sent =
        StatusProto.toStatusRuntimeException(
            com.google.rpc.Status.newBuilder()
                .setCode(Code.FAILED_PRECONDITION_VALUE)
                .setMessage("payment is still being processed")
                .addDetails(
                    Any.pack(
                        ErrorInfo.newBuilder()
                            .setReason("PAYMENT_PROCESSING")
                            .setDomain("orders.marketplace.dev")
                            .putMetadata("orderState", "PAYMENT_PROCESSING")
                            .build()))
                .addDetails(
                    Any.pack(
                        PreconditionFailure.newBuilder()
                            .addViolations(
                                PreconditionFailure.Violation.newBuilder()
                                    .setType("STATE")
                                    .setSubject("orders/o-1")
                                    .setDescription("settles first"))
                            .build()))
                .addDetails(
                    Any.pack(
                        RetryInfo.newBuilder()
                            .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(30).setNanos(5))
                            .build()))
                .build());

    OrdersException e = OrdersException.from(sent);

    assertThat(e).isInstanceOf(FailedPreconditionException.class).hasCause(sent);
    assertThat(e).hasMessage("FAILED_PRECONDITION: payment is still being processed [PAYMENT_PROCESSING]");
    assertThat(e.reason()).isEqualTo("PAYMENT_PROCESSING");
    assertThat(e.errorDomain()).isEqualTo("orders.marketplace.dev");
    assertThat(e.metadata()).containsExactlyEntriesOf(Map.of("orderState", "PAYMENT_PROCESSING"));
    assertThat(e.preconditionViolations())
        .containsExactly(new OrdersException.PreconditionViolation("STATE", "orders/o-1", "settles first"));
    assertThat(e.retryDelay()).contains(Duration.ofSeconds(30, 5));
    assertThat(e.isRetryable()).isTrue();
  }

  @Test
  void modificationRefusals_areTyped_withTheirAmountsAndIds() {
    OrdersException raise = OrdersException.from(refusal("MODIFICATION_RAISES_PAID_TOTAL", Map.of("currentTotal", "2498", "proposedTotal", "2997", "currencyCode", "USD")));
    OrdersException cancellationWaits = OrdersException.from(refusal("OPEN_CANCELLATION_REQUEST", Map.of("cancellationRequestId", "r-1")));
    OrdersException modificationWaits = OrdersException.from(refusal("OPEN_MODIFICATION_REQUEST", Map.of("modificationId", "m-1")));

    assertThat(raise).isInstanceOf(ModificationNotAllowedException.class);
    assertThat(((ModificationNotAllowedException) raise).currentTotalMinor()).contains(2498L);
    assertThat(((ModificationNotAllowedException) raise).proposedTotalMinor()).contains(2997L);
    assertThat(((ModificationNotAllowedException) raise).currencyCode()).contains("USD");
    assertThat(((ModificationNotAllowedException) cancellationWaits).openCancellationRequestId()).contains("r-1");
    assertThat(modificationWaits).isInstanceOf(CancellationNotAllowedException.class);
    assertThat(((CancellationNotAllowedException) modificationWaits).openModificationId()).contains("m-1");
  }

  @Test
  void disputeRefusals_areTyped_withTheirStatesAndIds() {
    OrdersException open = OrdersException.from(refusal("DISPUTE_ALREADY_OPEN", Map.of("disputeId", "d-1", "disputeState", "OFFERED")));
    OrdersException early = OrdersException.from(refusal("DISPUTE_ESCALATION_TOO_EARLY", Map.of("disputeId", "d-2", "escalableFrom", "2026-01-04T00:00:00Z")));
    OrdersException tooMuch = OrdersException.from(refusal("REFUND_EXCEEDS_REFUNDABLE", Map.of("refundableMinor", "100")));

    assertThat(open).isInstanceOf(DisputeNotAllowedException.class);
    assertThat(((DisputeNotAllowedException) open).disputeId()).contains("d-1");
    assertThat(((DisputeNotAllowedException) open).disputeState()).contains("OFFERED");
    assertThat(((DisputeNotAllowedException) early).escalableFrom()).contains("2026-01-04T00:00:00Z");
    assertThat(tooMuch).isExactlyInstanceOf(FailedPreconditionException.class);
  }

  @Test
  void supportCaseRefusals_areTyped_withTheirCasesAndStates() {
    OrdersException open = OrdersException.from(refusal("SUPPORT_CASE_ALREADY_OPEN", Map.of("caseId", "c-1", "reference", "SC-0000ABCD1234", "orderId", "o-1")));
    OrdersException dispute = OrdersException.from(refusal("SUPPORT_CASE_IS_DISPUTE", Map.of("caseId", "c-2", "disputeId", "d-1")));
    OrdersException conflict = OrdersException.from(refusal("SUPPORT_CASE_STATE_CONFLICT", Map.of("caseId", "c-3", "reference", "SC-0000ABCD9999", "caseState", "RESOLVED", "orderId", "o-3")));
    OrdersException nothing = OrdersException.from(refusal("NOTHING_REFUNDABLE", Map.of()));
    OrdersException tooMuch = OrdersException.from(refusal("REFUND_EXCEEDS_REFUNDABLE", Map.of("refundableMinor", "100")));

    assertThat(open).isInstanceOf(SupportCaseNotAllowedException.class).isInstanceOf(FailedPreconditionException.class);
    assertThat(((SupportCaseNotAllowedException) open).caseId()).contains("c-1");
    assertThat(((SupportCaseNotAllowedException) open).reference()).contains("SC-0000ABCD1234");
    assertThat(((SupportCaseNotAllowedException) open).orderId()).contains("o-1");
    assertThat(((SupportCaseNotAllowedException) dispute).caseId()).contains("c-2");
    assertThat(((SupportCaseNotAllowedException) dispute).disputeId()).contains("d-1");
    assertThat(((SupportCaseNotAllowedException) conflict).caseState()).contains("RESOLVED");
    assertThat(((SupportCaseNotAllowedException) conflict).reference()).contains("SC-0000ABCD9999");
    assertThat(((SupportCaseNotAllowedException) conflict).orderId()).contains("o-3");
    assertThat(((SupportCaseNotAllowedException) conflict).disputeId()).isEmpty();
    assertThat(nothing).as("the reason a dispute is refused for too").isInstanceOf(DisputeNotAllowedException.class);
    assertThat(tooMuch).isExactlyInstanceOf(FailedPreconditionException.class);
  }

  @Test
  void anUnknownSupportCase_isNotFound() {
    OrdersException e =
        OrdersException.from(
            StatusProto.toStatusRuntimeException(
                com.google.rpc.Status.newBuilder()
                    .setCode(Code.NOT_FOUND_VALUE)
                    .setMessage("support case c-9 not found")
                    .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("SUPPORT_CASE_NOT_FOUND").setDomain("orders.marketplace.dev").putMetadata("caseId", "c-9").build()))
                    .build()));

    assertThat(e).isExactlyInstanceOf(NotFoundException.class);
    assertThat(e.reason()).isEqualTo("SUPPORT_CASE_NOT_FOUND");
    assertThat(e.metadata()).containsEntry("caseId", "c-9");
  }

  private static StatusRuntimeException refusal(String reason, Map<String, String> metadata) {
    return StatusProto.toStatusRuntimeException(
        com.google.rpc.Status.newBuilder()
            .setCode(Code.FAILED_PRECONDITION_VALUE)
            .setMessage("refused")
            .addDetails(Any.pack(ErrorInfo.newBuilder().setReason(reason).setDomain("orders.marketplace.dev").putAllMetadata(metadata).build()))
            .build());
  }

  @Test
  void badRequest_listsTheFieldViolations() {
    OrdersException e =
        OrdersException.from(
            StatusProto.toStatusRuntimeException(
                com.google.rpc.Status.newBuilder()
                    .setCode(Code.INVALID_ARGUMENT_VALUE)
                    .setMessage("invalid request")
                    .addDetails(
                        Any.pack(
                            BadRequest.newBuilder()
                                .addFieldViolations(
                                    BadRequest.FieldViolation.newBuilder()
                                        .setField("order.line_items[0].quantity")
                                        .setDescription("from 1 to 10000"))
                                .build()))
                    .build()));

    assertThat(e.fieldViolations())
        .containsExactly(new OrdersException.FieldViolation("order.line_items[0].quantity", "from 1 to 10000"));
    assertThat(e.isRetryable()).isFalse();
  }

  @Test
  void bareStatus_hasEmptyDetailsAndAReadableMessage() {
    OrdersException e = OrdersException.from(Status.UNAVAILABLE.withDescription("io exception").asRuntimeException());

    assertThat(e).hasMessage("UNAVAILABLE: io exception");
    assertThat(e.reason()).isEmpty();
    assertThat(e.errorDomain()).isEmpty();
    assertThat(e.metadata()).isEmpty();
    assertThat(e.fieldViolations()).isEmpty();
    assertThat(e.preconditionViolations()).isEmpty();
    assertThat(e.retryDelay()).isEmpty();
    assertThat(e.isRetryable()).isTrue();
  }

  @Test
  void overload_isRetryable_butAPlainInternalErrorIsNot() {
    assertThat(OrdersException.from(Status.RESOURCE_EXHAUSTED.asRuntimeException()).isRetryable()).isTrue();
    assertThat(OrdersException.from(Status.INTERNAL.asRuntimeException()).isRetryable()).isFalse();
  }
}
