package dev.marketplace.orders.server.api;

import static dev.marketplace.orders.server.api.Replies.reply;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.returns.NewReturn;
import dev.marketplace.orders.domain.returns.Return;
import dev.marketplace.orders.domain.returns.ReturnCursor;
import dev.marketplace.orders.domain.returns.ReturnPage;
import dev.marketplace.orders.domain.returns.ReturnQuery;
import dev.marketplace.orders.domain.returns.ReturnState;
import dev.marketplace.orders.domain.usecase.Returns;
import dev.marketplace.orders.server.auth.CallerContext;
import dev.marketplace.orders.v1.ApproveReturnRequest;
import dev.marketplace.orders.v1.ConfirmReturnReceivedRequest;
import dev.marketplace.orders.v1.GetReturnRequest;
import dev.marketplace.orders.v1.ListReturnsRequest;
import dev.marketplace.orders.v1.ListReturnsResponse;
import dev.marketplace.orders.v1.RecordReturnShipmentRequest;
import dev.marketplace.orders.v1.RejectReturnRequest;
import dev.marketplace.orders.v1.RequestReturnRequest;
import dev.marketplace.orders.v1.ReturnServiceGrpc;
import dev.marketplace.orders.v1.WithdrawReturnRequest;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code orders.v1.ReturnService}: checks and translates requests ({@link ReturnServiceRequests}),
 * calls {@link Returns}, translates results. Mutations take the shape of {@link IdempotentCall}.
 * Errors are thrown and mapped by the ErrorMappingInterceptor.
 */
public final class ReturnGrpcService extends ReturnServiceGrpc.ReturnServiceImplBase {

  private final Returns returns;
  private final PageTokens pageTokens;

  @Inject
  public ReturnGrpcService(Returns returns, PageTokens pageTokens) {
    this.returns = returns;
    this.pageTokens = pageTokens;
  }

  @Override
  public void requestReturn(RequestReturnRequest request, StreamObserver<dev.marketplace.orders.v1.Return> response) {
    IdempotentCall.handle(
        request,
        response,
        ReturnServiceGrpc.getRequestReturnMethod(),
        ReturnMessages.FORMAT,
        checks -> {
          NewReturn ret = ReturnServiceRequests.request(checks, request);
          return (caller, key, format) -> returns.request(caller, key, ret, format);
        });
  }

  @Override
  public void approveReturn(ApproveReturnRequest request, StreamObserver<dev.marketplace.orders.v1.Return> response) {
    IdempotentCall.handle(
        request,
        response,
        ReturnServiceGrpc.getApproveReturnMethod(),
        ReturnMessages.FORMAT,
        checks -> {
          UUID id = checks.uuid("return_id", request.getReturnId());
          String note = ReturnServiceRequests.note(checks, request.getNote(), false);
          return (caller, key, format) -> returns.approve(caller, key, id, note, format);
        });
  }

  @Override
  public void rejectReturn(RejectReturnRequest request, StreamObserver<dev.marketplace.orders.v1.Return> response) {
    IdempotentCall.handle(
        request,
        response,
        ReturnServiceGrpc.getRejectReturnMethod(),
        ReturnMessages.FORMAT,
        checks -> {
          UUID id = checks.uuid("return_id", request.getReturnId());
          String note = ReturnServiceRequests.note(checks, request.getNote(), true);
          return (caller, key, format) -> returns.reject(caller, key, id, note, format);
        });
  }

  @Override
  public void recordReturnShipment(RecordReturnShipmentRequest request, StreamObserver<dev.marketplace.orders.v1.Return> response) {
    IdempotentCall.handle(
        request,
        response,
        ReturnServiceGrpc.getRecordReturnShipmentMethod(),
        ReturnMessages.FORMAT,
        checks -> {
          UUID id = checks.uuid("return_id", request.getReturnId());
          String carrier = checks.required("carrier", request.getCarrier(), Return.MAX_CARRIER_LENGTH);
          String tracking = checks.required("tracking_number", request.getTrackingNumber(), Return.MAX_TRACKING_NUMBER_LENGTH);
          return (caller, key, format) -> returns.recordShipment(caller, key, id, carrier, tracking, format);
        });
  }

  @Override
  public void confirmReturnReceived(ConfirmReturnReceivedRequest request, StreamObserver<dev.marketplace.orders.v1.Return> response) {
    IdempotentCall.handle(
        request,
        response,
        ReturnServiceGrpc.getConfirmReturnReceivedMethod(),
        ReturnMessages.FORMAT,
        checks -> {
          UUID id = checks.uuid("return_id", request.getReturnId());
          return (caller, key, format) -> returns.confirmReceived(caller, key, id, format);
        });
  }

  @Override
  public void withdrawReturn(WithdrawReturnRequest request, StreamObserver<dev.marketplace.orders.v1.Return> response) {
    IdempotentCall.handle(
        request,
        response,
        ReturnServiceGrpc.getWithdrawReturnMethod(),
        ReturnMessages.FORMAT,
        checks -> {
          UUID id = checks.uuid("return_id", request.getReturnId());
          return (caller, key, format) -> returns.withdraw(caller, key, id, format);
        });
  }

  @Override
  public void getReturn(GetReturnRequest request, StreamObserver<dev.marketplace.orders.v1.Return> response) {
    RequestChecks checks = new RequestChecks();
    UUID id = checks.uuid("return_id", request.getReturnId());
    checks.throwIfInvalid();
    reply(response, ReturnMessages.toProto(returns.get(CallerContext.principal(), id)));
  }

  @Override
  public void listReturns(ListReturnsRequest request, StreamObserver<ListReturnsResponse> response) {
    RequestChecks checks = new RequestChecks();
    Set<ReturnState> states = ReturnServiceRequests.states(checks, request.getStatesList());
    Optional<UUID> orderId = checks.optionalUuid("order_id", request.getOrderId());
    int pageSize = checks.pageSize(request.getPageSize());
    checks.throwIfInvalid();
    Principal caller = CallerContext.principal();
    String binding =
        PageTokens.binding("returns", caller.idempotencyNamespace(), orderId.map(UUID::toString).orElse(""), PageTokens.part(states));
    Optional<ReturnCursor> after = pageTokens.after(PageTokens.RETURNS, binding, request.getPageToken());
    ReturnPage page = returns.list(caller, new ReturnQuery(Optional.empty(), Optional.empty(), orderId, states, after, pageSize));
    ListReturnsResponse.Builder reply = ListReturnsResponse.newBuilder();
    page.returns().forEach(r -> reply.addReturns(ReturnMessages.toProto(r)));
    page.next().ifPresent(next -> reply.setNextPageToken(pageTokens.next(PageTokens.RETURNS, binding, next)));
    reply(response, reply.build());
  }
}
