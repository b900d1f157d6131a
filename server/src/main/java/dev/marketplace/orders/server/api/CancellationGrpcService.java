package dev.marketplace.orders.server.api;

import static dev.marketplace.orders.server.api.Replies.reply;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.cancellation.CancellationRequestCursor;
import dev.marketplace.orders.domain.cancellation.CancellationRequestPage;
import dev.marketplace.orders.domain.cancellation.CancellationRequestQuery;
import dev.marketplace.orders.domain.cancellation.CancellationRequestState;
import dev.marketplace.orders.domain.cancellation.Rejection;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.domain.order.LineQuantity;
import dev.marketplace.orders.domain.refund.RefundResult;
import dev.marketplace.orders.domain.usecase.Cancellations;
import dev.marketplace.orders.server.auth.CallerContext;
import dev.marketplace.orders.v1.ApproveCancellationRequestRequest;
import dev.marketplace.orders.v1.CancelOrderRequest;
import dev.marketplace.orders.v1.CancelOrderResponse;
import dev.marketplace.orders.v1.CancellationEligibility;
import dev.marketplace.orders.v1.CancellationRequest;
import dev.marketplace.orders.v1.CancellationServiceGrpc;
import dev.marketplace.orders.v1.CheckCancellationEligibilityRequest;
import dev.marketplace.orders.v1.ForceCancelOrderRequest;
import dev.marketplace.orders.v1.GetCancellationRequestRequest;
import dev.marketplace.orders.v1.ListCancellationReasonsRequest;
import dev.marketplace.orders.v1.ListCancellationReasonsResponse;
import dev.marketplace.orders.v1.ListCancellationRequestsRequest;
import dev.marketplace.orders.v1.ListCancellationRequestsResponse;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.RecordRefundResultRequest;
import dev.marketplace.orders.v1.Refund;
import dev.marketplace.orders.v1.RejectCancellationRequestRequest;
import dev.marketplace.orders.v1.WithdrawCancellationRequestRequest;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code orders.v1.CancellationService}: checks and translates requests ({@link
 * CancellationServiceRequests}), calls {@link Cancellations}, translates results. Mutations take the
 * shape of {@link IdempotentCall}. Errors are thrown and mapped by the ErrorMappingInterceptor.
 */
public final class CancellationGrpcService extends CancellationServiceGrpc.CancellationServiceImplBase {

  private static final ListCancellationReasonsResponse REASONS = reasons();

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
    reply(response, EligibilityMessages.toProto(cancellations.eligibility(CallerContext.principal(), orderId)));
  }

  @Override
  public void cancelOrder(CancelOrderRequest request, StreamObserver<CancelOrderResponse> response) {
    IdempotentCall.handle(
        request,
        response,
        CancellationServiceGrpc.getCancelOrderMethod(),
        CancellationRequestMessages.CANCEL_FORMAT,
        checks -> {
          UUID orderId = checks.uuid("order_id", request.getOrderId());
          CancellationReason reason = CancellationServiceRequests.reason(checks, request.getReason());
          String explanation = CancellationServiceRequests.explanation(checks, reason, request.getExplanation());
          List<LineQuantity> lines = CancellationServiceRequests.lines(checks, request.getLineItemsList());
          return (caller, key, format) -> cancellations.cancel(caller, key, orderId, reason, explanation, lines, format);
        });
  }

  @Override
  public void getCancellationRequest(GetCancellationRequestRequest request, StreamObserver<CancellationRequest> response) {
    RequestChecks checks = new RequestChecks();
    UUID id = checks.uuid("cancellation_request_id", request.getCancellationRequestId());
    checks.throwIfInvalid();
    reply(response, CancellationRequestMessages.toProto(cancellations.get(CallerContext.principal(), id)));
  }

  @Override
  public void listCancellationRequests(
      ListCancellationRequestsRequest request, StreamObserver<ListCancellationRequestsResponse> response) {
    RequestChecks checks = new RequestChecks();
    Set<CancellationRequestState> states = CancellationServiceRequests.states(checks, request.getStatesList());
    Optional<UUID> orderId = checks.optionalUuid("order_id", request.getOrderId());
    int pageSize = checks.pageSize(request.getPageSize());
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
    page.requests().forEach(r -> reply.addCancellationRequests(CancellationRequestMessages.toProto(r)));
    page.next().ifPresent(next -> reply.setNextPageToken(pageTokens.next(PageTokens.CANCELLATION_REQUESTS, binding, next)));
    reply(response, reply.build());
  }

  @Override
  public void approveCancellationRequest(
      ApproveCancellationRequestRequest request, StreamObserver<CancellationRequest> response) {
    IdempotentCall.handle(
        request,
        response,
        CancellationServiceGrpc.getApproveCancellationRequestMethod(),
        CancellationRequestMessages.FORMAT,
        checks -> {
          UUID id = checks.uuid("cancellation_request_id", request.getCancellationRequestId());
          return (caller, key, format) -> cancellations.approve(caller, key, id, format);
        });
  }

  @Override
  public void rejectCancellationRequest(RejectCancellationRequestRequest request, StreamObserver<CancellationRequest> response) {
    IdempotentCall.handle(
        request,
        response,
        CancellationServiceGrpc.getRejectCancellationRequestMethod(),
        CancellationRequestMessages.FORMAT,
        checks -> {
          Rejection rejection = CancellationServiceRequests.rejection(checks, request);
          return (caller, key, format) -> cancellations.reject(caller, key, rejection, format);
        });
  }

  @Override
  public void withdrawCancellationRequest(
      WithdrawCancellationRequestRequest request, StreamObserver<CancellationRequest> response) {
    IdempotentCall.handle(
        request,
        response,
        CancellationServiceGrpc.getWithdrawCancellationRequestMethod(),
        CancellationRequestMessages.FORMAT,
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
  public void recordRefundResult(RecordRefundResultRequest request, StreamObserver<Refund> response) {
    IdempotentCall.handle(
        request,
        response,
        CancellationServiceGrpc.getRecordRefundResultMethod(),
        RefundMessages.FORMAT,
        checks -> {
          RefundResult result = CancellationServiceRequests.refundResult(checks, request);
          return (caller, key, format) -> cancellations.recordRefundResult(caller, key, result, format);
        });
  }

  @Override
  public void forceCancelOrder(ForceCancelOrderRequest request, StreamObserver<Order> response) {
    IdempotentCall.handle(
        request,
        response,
        CancellationServiceGrpc.getForceCancelOrderMethod(),
        OrderMessages.FORMAT,
        checks -> {
          UUID orderId = checks.uuid("order_id", request.getOrderId());
          String reason = CancellationServiceRequests.supportReason(checks, request.getReason());
          return (caller, key, format) -> cancellations.forceCancel(caller, key, orderId, reason, format);
        });
  }

  private static ListCancellationReasonsResponse reasons() {
    ListCancellationReasonsResponse.Builder reasons = ListCancellationReasonsResponse.newBuilder();
    for (CancellationReason reason : CancellationReason.values()) {
      reasons.addReasons(EligibilityMessages.toProto(reason));
    }
    return reasons.build();
  }
}
