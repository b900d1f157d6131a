package dev.marketplace.orders.server.api;

import static dev.marketplace.orders.server.api.Replies.reply;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.dispute.DisputeCursor;
import dev.marketplace.orders.domain.dispute.DisputePage;
import dev.marketplace.orders.domain.dispute.DisputeQuery;
import dev.marketplace.orders.domain.dispute.DisputeState;
import dev.marketplace.orders.domain.dispute.NewDispute;
import dev.marketplace.orders.domain.dispute.SellerResponse;
import dev.marketplace.orders.domain.dispute.SupportDecision;
import dev.marketplace.orders.domain.usecase.Disputes;
import dev.marketplace.orders.server.auth.CallerContext;
import dev.marketplace.orders.v1.AcceptDisputeOfferRequest;
import dev.marketplace.orders.v1.Dispute;
import dev.marketplace.orders.v1.DisputeServiceGrpc;
import dev.marketplace.orders.v1.EscalateDisputeRequest;
import dev.marketplace.orders.v1.GetDisputeRequest;
import dev.marketplace.orders.v1.ListDisputesRequest;
import dev.marketplace.orders.v1.ListDisputesResponse;
import dev.marketplace.orders.v1.OpenDisputeRequest;
import dev.marketplace.orders.v1.ResolveDisputeRequest;
import dev.marketplace.orders.v1.RespondToDisputeRequest;
import dev.marketplace.orders.v1.WithdrawDisputeRequest;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code orders.v1.DisputeService}: checks and translates requests ({@link DisputeServiceRequests}),
 * calls {@link Disputes}, translates results. Mutations take the shape of {@link IdempotentCall}.
 * Errors are thrown and mapped by the ErrorMappingInterceptor.
 */
public final class DisputeGrpcService extends DisputeServiceGrpc.DisputeServiceImplBase {

  private final Disputes disputes;
  private final PageTokens pageTokens;

  @Inject
  public DisputeGrpcService(Disputes disputes, PageTokens pageTokens) {
    this.disputes = disputes;
    this.pageTokens = pageTokens;
  }

  @Override
  public void openDispute(OpenDisputeRequest request, StreamObserver<Dispute> response) {
    IdempotentCall.handle(
        request,
        response,
        DisputeServiceGrpc.getOpenDisputeMethod(),
        DisputeMessages.FORMAT,
        checks -> {
          NewDispute dispute = DisputeServiceRequests.open(checks, request);
          return (caller, key, format) -> disputes.open(caller, key, dispute, format);
        });
  }

  @Override
  public void respondToDispute(RespondToDisputeRequest request, StreamObserver<Dispute> response) {
    IdempotentCall.handle(
        request,
        response,
        DisputeServiceGrpc.getRespondToDisputeMethod(),
        DisputeMessages.FORMAT,
        checks -> {
          UUID id = checks.uuid("dispute_id", request.getDisputeId());
          SellerResponse answer = DisputeServiceRequests.response(checks, request);
          return (caller, key, format) -> disputes.respond(caller, key, id, answer, format);
        });
  }

  @Override
  public void acceptDisputeOffer(AcceptDisputeOfferRequest request, StreamObserver<Dispute> response) {
    IdempotentCall.handle(
        request,
        response,
        DisputeServiceGrpc.getAcceptDisputeOfferMethod(),
        DisputeMessages.FORMAT,
        checks -> {
          UUID id = checks.uuid("dispute_id", request.getDisputeId());
          return (caller, key, format) -> disputes.acceptOffer(caller, key, id, format);
        });
  }

  @Override
  public void escalateDispute(EscalateDisputeRequest request, StreamObserver<Dispute> response) {
    IdempotentCall.handle(
        request,
        response,
        DisputeServiceGrpc.getEscalateDisputeMethod(),
        DisputeMessages.FORMAT,
        checks -> {
          UUID id = checks.uuid("dispute_id", request.getDisputeId());
          return (caller, key, format) -> disputes.escalate(caller, key, id, format);
        });
  }

  @Override
  public void resolveDispute(ResolveDisputeRequest request, StreamObserver<Dispute> response) {
    IdempotentCall.handle(
        request,
        response,
        DisputeServiceGrpc.getResolveDisputeMethod(),
        DisputeMessages.FORMAT,
        checks -> {
          UUID id = checks.uuid("dispute_id", request.getDisputeId());
          SupportDecision decision = DisputeServiceRequests.decision(checks, request);
          return (caller, key, format) -> disputes.resolve(caller, key, id, decision, format);
        });
  }

  @Override
  public void withdrawDispute(WithdrawDisputeRequest request, StreamObserver<Dispute> response) {
    IdempotentCall.handle(
        request,
        response,
        DisputeServiceGrpc.getWithdrawDisputeMethod(),
        DisputeMessages.FORMAT,
        checks -> {
          UUID id = checks.uuid("dispute_id", request.getDisputeId());
          return (caller, key, format) -> disputes.withdraw(caller, key, id, format);
        });
  }

  @Override
  public void getDispute(GetDisputeRequest request, StreamObserver<Dispute> response) {
    RequestChecks checks = new RequestChecks();
    UUID id = checks.uuid("dispute_id", request.getDisputeId());
    checks.throwIfInvalid();
    reply(response, DisputeMessages.toProto(disputes.get(CallerContext.principal(), id)));
  }

  @Override
  public void listDisputes(ListDisputesRequest request, StreamObserver<ListDisputesResponse> response) {
    RequestChecks checks = new RequestChecks();
    Set<DisputeState> states = DisputeServiceRequests.states(checks, request.getStatesList());
    Optional<UUID> orderId = checks.optionalUuid("order_id", request.getOrderId());
    int pageSize = checks.pageSize(request.getPageSize());
    checks.throwIfInvalid();
    Principal caller = CallerContext.principal();
    String binding =
        PageTokens.binding("disputes", caller.idempotencyNamespace(), orderId.map(UUID::toString).orElse(""), PageTokens.part(states));
    Optional<DisputeCursor> after = pageTokens.after(PageTokens.DISPUTES, binding, request.getPageToken());
    DisputePage page = disputes.list(caller, new DisputeQuery(Optional.empty(), Optional.empty(), orderId, states, after, pageSize));
    ListDisputesResponse.Builder reply = ListDisputesResponse.newBuilder();
    page.disputes().forEach(d -> reply.addDisputes(DisputeMessages.toProto(d)));
    page.next().ifPresent(next -> reply.setNextPageToken(pageTokens.next(PageTokens.DISPUTES, binding, next)));
    reply(response, reply.build());
  }
}
