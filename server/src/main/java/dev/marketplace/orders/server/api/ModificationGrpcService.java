package dev.marketplace.orders.server.api;

import static dev.marketplace.orders.server.api.Replies.reply;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.modification.Change;
import dev.marketplace.orders.domain.modification.ModificationCursor;
import dev.marketplace.orders.domain.modification.ModificationPage;
import dev.marketplace.orders.domain.modification.ModificationQuery;
import dev.marketplace.orders.domain.modification.ModificationState;
import dev.marketplace.orders.domain.usecase.Modifications;
import dev.marketplace.orders.server.auth.CallerContext;
import dev.marketplace.orders.v1.AcceptModificationRequest;
import dev.marketplace.orders.v1.DeclineModificationRequest;
import dev.marketplace.orders.v1.GetModificationRequest;
import dev.marketplace.orders.v1.ListModificationsRequest;
import dev.marketplace.orders.v1.ListModificationsResponse;
import dev.marketplace.orders.v1.Modification;
import dev.marketplace.orders.v1.ModificationServiceGrpc;
import dev.marketplace.orders.v1.ProposeModificationRequest;
import dev.marketplace.orders.v1.WithdrawModificationRequest;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code orders.v1.ModificationService}: checks and translates requests ({@link
 * ModificationServiceRequests}), calls {@link Modifications}, translates results. Mutations take the
 * shape of {@link IdempotentCall}. Errors are thrown and mapped by the ErrorMappingInterceptor.
 */
public final class ModificationGrpcService extends ModificationServiceGrpc.ModificationServiceImplBase {

  private final Modifications modifications;
  private final PageTokens pageTokens;

  @Inject
  public ModificationGrpcService(Modifications modifications, PageTokens pageTokens) {
    this.modifications = modifications;
    this.pageTokens = pageTokens;
  }

  @Override
  public void proposeModification(ProposeModificationRequest request, StreamObserver<Modification> response) {
    IdempotentCall.handle(
        request,
        response,
        ModificationServiceGrpc.getProposeModificationMethod(),
        ModificationMessages.FORMAT,
        checks -> {
          UUID orderId = checks.uuid("order_id", request.getOrderId());
          Change change = ModificationServiceRequests.change(checks, request);
          return (caller, key, format) -> modifications.propose(caller, key, orderId, change, format);
        });
  }

  @Override
  public void acceptModification(AcceptModificationRequest request, StreamObserver<Modification> response) {
    IdempotentCall.handle(
        request,
        response,
        ModificationServiceGrpc.getAcceptModificationMethod(),
        ModificationMessages.FORMAT,
        checks -> {
          UUID id = checks.uuid("modification_id", request.getModificationId());
          return (caller, key, format) -> modifications.accept(caller, key, id, format);
        });
  }

  @Override
  public void declineModification(DeclineModificationRequest request, StreamObserver<Modification> response) {
    IdempotentCall.handle(
        request,
        response,
        ModificationServiceGrpc.getDeclineModificationMethod(),
        ModificationMessages.FORMAT,
        checks -> {
          UUID id = checks.uuid("modification_id", request.getModificationId());
          return (caller, key, format) -> modifications.decline(caller, key, id, format);
        });
  }

  @Override
  public void withdrawModification(WithdrawModificationRequest request, StreamObserver<Modification> response) {
    IdempotentCall.handle(
        request,
        response,
        ModificationServiceGrpc.getWithdrawModificationMethod(),
        ModificationMessages.FORMAT,
        checks -> {
          UUID id = checks.uuid("modification_id", request.getModificationId());
          return (caller, key, format) -> modifications.withdraw(caller, key, id, format);
        });
  }

  @Override
  public void getModification(GetModificationRequest request, StreamObserver<Modification> response) {
    RequestChecks checks = new RequestChecks();
    UUID id = checks.uuid("modification_id", request.getModificationId());
    checks.throwIfInvalid();
    reply(response, ModificationMessages.toProto(modifications.get(CallerContext.principal(), id)));
  }

  @Override
  public void listModifications(ListModificationsRequest request, StreamObserver<ListModificationsResponse> response) {
    RequestChecks checks = new RequestChecks();
    Set<ModificationState> states = ModificationServiceRequests.states(checks, request.getStatesList());
    Optional<UUID> orderId = checks.optionalUuid("order_id", request.getOrderId());
    int pageSize = checks.pageSize(request.getPageSize());
    checks.throwIfInvalid();
    Principal caller = CallerContext.principal();
    String binding =
        PageTokens.binding("modifications", caller.idempotencyNamespace(), orderId.map(UUID::toString).orElse(""), PageTokens.part(states));
    Optional<ModificationCursor> after = pageTokens.after(PageTokens.MODIFICATIONS, binding, request.getPageToken());
    ModificationPage page =
        modifications.list(caller, new ModificationQuery(Optional.empty(), Optional.empty(), orderId, states, after, pageSize));
    ListModificationsResponse.Builder reply = ListModificationsResponse.newBuilder();
    page.modifications().forEach(m -> reply.addModifications(ModificationMessages.toProto(m)));
    page.next().ifPresent(next -> reply.setNextPageToken(pageTokens.next(PageTokens.MODIFICATIONS, binding, next)));
    reply(response, reply.build());
  }
}
