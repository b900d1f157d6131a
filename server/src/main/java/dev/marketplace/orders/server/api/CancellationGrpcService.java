package dev.marketplace.orders.server.api;

import static dev.marketplace.orders.server.api.Replies.reply;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.cancellation.CancelResult;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.domain.cancellation.CancellationRequest;
import dev.marketplace.orders.domain.cancellation.CancellationRequestCursor;
import dev.marketplace.orders.domain.cancellation.CancellationRequestPage;
import dev.marketplace.orders.domain.cancellation.CancellationRequestQuery;
import dev.marketplace.orders.domain.cancellation.CancellationRequestState;
import dev.marketplace.orders.domain.cancellation.CancellationRequestView;
import dev.marketplace.orders.domain.usecase.Cancellations;
import dev.marketplace.orders.domain.cancellation.Rejection;
import dev.marketplace.orders.domain.cancellation.RejectionReason;
import dev.marketplace.orders.domain.order.OrderQuery;
import dev.marketplace.orders.domain.order.Shipment;
import dev.marketplace.orders.domain.refund.Refund;
import dev.marketplace.orders.domain.refund.RefundResult;
import dev.marketplace.orders.server.auth.CallerContext;
import dev.marketplace.orders.v1.ApproveCancellationRequestRequest;
import dev.marketplace.orders.v1.CancelOrderRequest;
import dev.marketplace.orders.v1.CancelOrderResponse;
import dev.marketplace.orders.v1.CancellationEligibility;
import dev.marketplace.orders.v1.CancellationServiceGrpc;
import dev.marketplace.orders.v1.CheckCancellationEligibilityRequest;
import dev.marketplace.orders.v1.ForceCancelOrderRequest;
import dev.marketplace.orders.v1.GetCancellationRequestRequest;
import dev.marketplace.orders.v1.ListCancellationReasonsRequest;
import dev.marketplace.orders.v1.ListCancellationReasonsResponse;
import dev.marketplace.orders.v1.ListCancellationRequestsRequest;
import dev.marketplace.orders.v1.ListCancellationRequestsResponse;
import dev.marketplace.orders.v1.RecordRefundResultRequest;
import dev.marketplace.orders.v1.RejectCancellationRequestRequest;
import dev.marketplace.orders.v1.WithdrawCancellationRequestRequest;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code orders.v1.CancellationService}: checks and translates requests, calls {@link Cancellations},
 * translates results. Errors are thrown and mapped by the ErrorMappingInterceptor.
 */
public final class CancellationGrpcService extends CancellationServiceGrpc.CancellationServiceImplBase {

  private static final ListCancellationReasonsResponse REASONS = reasons();
  private static final ProtoFormat<CancelResult, CancelOrderResponse> CANCEL_FORMAT =
      new ProtoFormat<>(CancellationMessages::toProto, CancelOrderResponse.parser());
  private static final ProtoFormat<CancellationRequestView, dev.marketplace.orders.v1.CancellationRequest> REQUEST_FORMAT =
      new ProtoFormat<>(CancellationMessages::toProto, dev.marketplace.orders.v1.CancellationRequest.parser());
  private static final ProtoFormat<Refund, dev.marketplace.orders.v1.Refund> REFUND_FORMAT =
      new ProtoFormat<>(OrderMessages::toProto, dev.marketplace.orders.v1.Refund.parser());

  private static final ProtoFormat<dev.marketplace.orders.domain.order.Order, dev.marketplace.orders.v1.Order> ORDER_FORMAT =
      OrderMessages.ORDER_FORMAT;
  private static final int MAX_SUPPORT_REASON_LENGTH = 500;

  private final Cancellations cancellations;
  private final PageTokens pageTokens;

  @Inject
  public CancellationGrpcService(Cancellations cancellations, PageTokens pageTokens) {
    this.cancellations = cancellations;
    this.pageTokens = pageTokens;
  }

  @Override
  public void checkCancellationEligibility(
      CheckCancellationEligibilityRequest request, StreamObserver<CancellationEligibility> response) {
    RequestChecks checks = new RequestChecks();
    UUID orderId = checks.uuid("order_id", request.getOrderId());
    checks.throwIfInvalid();
    reply(response, CancellationMessages.toProto(cancellations.eligibility(CallerContext.principal(), orderId)));
  }

  @Override
  public void cancelOrder(CancelOrderRequest request, StreamObserver<CancelOrderResponse> response) {
    IdempotentCall.handle(
        request,
        response,
        CancellationServiceGrpc.getCancelOrderMethod(),
        CANCEL_FORMAT,
        checks -> {
          UUID orderId = checks.uuid("order_id", request.getOrderId());
          CancellationReason reason = OrderMessages.fromProto(request.getReason());
          if (reason == null) {
            checks.add("reason", "required: one of the codes ListCancellationReasons returns");
          }
          String explanation =
              checks.optionalText("explanation", request.getExplanation(), CancellationRequest.MAX_EXPLANATION_LENGTH);
          if (reason != null) {
            checks.addRules(reason.problems(explanation));
          }
          return (caller, key, format) -> cancellations.cancel(caller, key, orderId, reason, explanation, format);
        });
  }

  @Override
  public void getCancellationRequest(
      GetCancellationRequestRequest request, StreamObserver<dev.marketplace.orders.v1.CancellationRequest> response) {
    RequestChecks checks = new RequestChecks();
    UUID id = checks.uuid("cancellation_request_id", request.getCancellationRequestId());
    checks.throwIfInvalid();
    reply(response, CancellationMessages.toProto(cancellations.get(CallerContext.principal(), id)));
  }

  @Override
  public void listCancellationRequests(
      ListCancellationRequestsRequest request, StreamObserver<ListCancellationRequestsResponse> response) {
    RequestChecks checks = new RequestChecks();
    Set<CancellationRequestState> states = EnumSet.noneOf(CancellationRequestState.class);
    for (int i = 0; i < request.getStatesCount(); i++) {
      switch (request.getStates(i)) {
        case STATE_UNSPECIFIED, UNRECOGNIZED -> checks.add("states[" + i + "]", "not a cancellation request state");
        default -> states.add(CancellationRequestState.valueOf(request.getStates(i).name()));
      }
    }
    Optional<UUID> orderId = checks.optionalUuid("order_id", request.getOrderId());
    int pageSize = OrderQuery.effectivePageSize(OrderRequests.pageSize(checks, request.getPageSize()));
    checks.throwIfInvalid();
    Principal caller = CallerContext.principal();
    String binding =
        PageTokens.binding(
            "cancellation-requests", caller.idempotencyNamespace(), orderId.map(UUID::toString).orElse(""), PageTokens.part(states));
    Optional<CancellationRequestCursor> after =
        pageTokens.after(PageTokens.CANCELLATION_REQUESTS, binding, request.getPageToken());
    CancellationRequestPage page =
        cancellations.list(
            caller, new CancellationRequestQuery(Optional.empty(), Optional.empty(), orderId, states, after, pageSize));
    ListCancellationRequestsResponse.Builder reply = ListCancellationRequestsResponse.newBuilder();
    page.requests().forEach(r -> reply.addCancellationRequests(CancellationMessages.toProto(r)));
    page.next().ifPresent(next -> reply.setNextPageToken(pageTokens.next(PageTokens.CANCELLATION_REQUESTS, binding, next)));
    reply(response, reply.build());
  }

  @Override
  public void approveCancellationRequest(
      ApproveCancellationRequestRequest request, StreamObserver<dev.marketplace.orders.v1.CancellationRequest> response) {
    IdempotentCall.handle(
        request,
        response,
        CancellationServiceGrpc.getApproveCancellationRequestMethod(),
        REQUEST_FORMAT,
        checks -> {
          UUID id = checks.uuid("cancellation_request_id", request.getCancellationRequestId());
          return (caller, key, format) -> cancellations.approve(caller, key, id, format);
        });
  }

  @Override
  public void rejectCancellationRequest(
      RejectCancellationRequestRequest request, StreamObserver<dev.marketplace.orders.v1.CancellationRequest> response) {
    IdempotentCall.handle(
        request,
        response,
        CancellationServiceGrpc.getRejectCancellationRequestMethod(),
        REQUEST_FORMAT,
        checks -> {
          UUID id = checks.uuid("cancellation_request_id", request.getCancellationRequestId());
          RejectionReason reason =
              switch (request.getRejectionReason()) {
                case REJECTION_REASON_UNSPECIFIED, UNRECOGNIZED -> {
                  checks.add("rejection_reason", "required: ALREADY_SHIPPED, ALREADY_PREPARED_OR_CUSTOMISED or OTHER");
                  yield null;
                }
                default -> RejectionReason.valueOf(request.getRejectionReason().name());
              };
          String note = checks.optionalText("note", request.getNote(), CancellationRequest.MAX_NOTE_LENGTH);
          String carrier = checks.optional("carrier", request.getCarrier(), Shipment.MAX_CARRIER_LENGTH);
          String tracking =
              checks.optional("tracking_number", request.getTrackingNumber(), Shipment.MAX_TRACKING_NUMBER_LENGTH);
          checks.addRules(Rejection.problems(reason, note, carrier, tracking));
          return (caller, key, format) ->
              cancellations.reject(caller, key, new Rejection(id, reason, note, carrier, tracking), format);
        });
  }

  @Override
  public void withdrawCancellationRequest(
      WithdrawCancellationRequestRequest request, StreamObserver<dev.marketplace.orders.v1.CancellationRequest> response) {
    IdempotentCall.handle(
        request,
        response,
        CancellationServiceGrpc.getWithdrawCancellationRequestMethod(),
        REQUEST_FORMAT,
        checks -> {
          UUID id = checks.uuid("cancellation_request_id", request.getCancellationRequestId());
          return (caller, key, format) -> cancellations.withdraw(caller, key, id, format);
        });
  }

  @Override
  public void listCancellationReasons(
      ListCancellationReasonsRequest request, StreamObserver<ListCancellationReasonsResponse> response) {
    reply(response, REASONS);
  }

  @Override
  public void recordRefundResult(RecordRefundResultRequest request, StreamObserver<dev.marketplace.orders.v1.Refund> response) {
    IdempotentCall.handle(
        request,
        response,
        CancellationServiceGrpc.getRecordRefundResultMethod(),
        REFUND_FORMAT,
        checks -> {
          UUID refundId = checks.uuid("refund_id", request.getRefundId());
          boolean completed = request.getOutcome() == RecordRefundResultRequest.Outcome.COMPLETED;
          if (!completed && request.getOutcome() != RecordRefundResultRequest.Outcome.FAILED) {
            checks.add("outcome", "required: COMPLETED or FAILED");
          }
          String failureReason =
              checks.optional("failure_reason", request.getFailureReason(), Refund.MAX_FAILURE_REASON_LENGTH);
          return (caller, key, format) ->
              cancellations.recordRefundResult(caller, key, new RefundResult(refundId, completed, failureReason), format);
        });
  }

  @Override
  public void forceCancelOrder(ForceCancelOrderRequest request, StreamObserver<dev.marketplace.orders.v1.Order> response) {
    IdempotentCall.handle(
        request,
        response,
        CancellationServiceGrpc.getForceCancelOrderMethod(),
        ORDER_FORMAT,
        checks -> {
          UUID orderId = checks.uuid("order_id", request.getOrderId());
          String reason = checks.required("reason", request.getReason(), MAX_SUPPORT_REASON_LENGTH);
          return (caller, key, format) -> cancellations.forceCancel(caller, key, orderId, reason, format);
        });
  }

  private static ListCancellationReasonsResponse reasons() {
    ListCancellationReasonsResponse.Builder reasons = ListCancellationReasonsResponse.newBuilder();
    for (CancellationReason reason : CancellationReason.values()) {
      reasons.addReasons(CancellationMessages.reason(reason));
    }
    return reasons.build();
  }
}
