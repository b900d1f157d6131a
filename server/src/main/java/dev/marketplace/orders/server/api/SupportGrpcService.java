package dev.marketplace.orders.server.api;

import static dev.marketplace.orders.server.api.Replies.reply;

import jakarta.inject.Inject;
import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.support.NewSupportCase;
import dev.marketplace.orders.domain.support.SupportCaseCursor;
import dev.marketplace.orders.domain.support.SupportCaseKind;
import dev.marketplace.orders.domain.support.SupportCasePage;
import dev.marketplace.orders.domain.support.SupportCaseQuery;
import dev.marketplace.orders.domain.support.SupportCaseRules;
import dev.marketplace.orders.domain.support.SupportCaseState;
import dev.marketplace.orders.domain.support.SupportCaseView;
import dev.marketplace.orders.domain.support.SupportResolution;
import dev.marketplace.orders.domain.usecase.SupportCases;
import dev.marketplace.orders.server.auth.CallerContext;
import dev.marketplace.orders.v1.AssignSupportCaseRequest;
import dev.marketplace.orders.v1.GetSupportCaseRequest;
import dev.marketplace.orders.v1.ListSupportCasesRequest;
import dev.marketplace.orders.v1.ListSupportCasesResponse;
import dev.marketplace.orders.v1.OpenSupportCaseRequest;
import dev.marketplace.orders.v1.ResolveSupportCaseRequest;
import dev.marketplace.orders.v1.SupportCase;
import dev.marketplace.orders.v1.SupportServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code orders.v1.SupportService}: checks and translates requests ({@link SupportServiceRequests}),
 * calls {@link SupportCases}, translates results. Mutations take the shape of {@link IdempotentCall}.
 * Errors are thrown and mapped by the ErrorMappingInterceptor.
 */
public final class SupportGrpcService extends SupportServiceGrpc.SupportServiceImplBase {

  private final SupportCases cases;
  private final PageTokens pageTokens;

  @Inject
  public SupportGrpcService(SupportCases cases, PageTokens pageTokens) {
    this.cases = cases;
    this.pageTokens = pageTokens;
  }

  @Override
  public void openSupportCase(OpenSupportCaseRequest request, StreamObserver<SupportCase> response) {
    IdempotentCall.handle(
        request,
        response,
        SupportServiceGrpc.getOpenSupportCaseMethod(),
        SupportMessages.FORMAT,
        checks -> {
          NewSupportCase opened = SupportServiceRequests.open(checks, request);
          return (caller, key, format) -> cases.open(caller, key, opened, format);
        });
  }

  @Override
  public void getSupportCase(GetSupportCaseRequest request, StreamObserver<SupportCase> response) {
    RequestChecks checks = new RequestChecks();
    UUID id = null;
    Optional<String> reference = Optional.empty();
    switch (request.getLookupCase()) {
      case CASE_ID -> id = checks.uuid("case_id", request.getCaseId());
      case REFERENCE -> {
        reference = SupportCaseRules.normalizedReference(request.getReference());
        if (reference.isEmpty()) {
          checks.add("reference", "must be a case reference, SC- and 10 digits or capital letters, got " + RequestChecks.quote(request.getReference()));
        }
      }
      case LOOKUP_NOT_SET -> checks.add("lookup", "required: one of case_id, reference");
    }
    checks.throwIfInvalid();
    Principal caller = CallerContext.principal();
    SupportCaseView found = id != null ? cases.get(caller, id) : cases.getByReference(caller, reference.orElseThrow());
    reply(response, SupportMessages.toProto(found));
  }

  @Override
  public void listSupportCases(ListSupportCasesRequest request, StreamObserver<ListSupportCasesResponse> response) {
    RequestChecks checks = new RequestChecks();
    Set<SupportCaseState> states = SupportServiceRequests.states(checks, request.getStatesList());
    Set<SupportCaseKind> kinds = SupportServiceRequests.kinds(checks, request.getKindsList());
    Optional<String> assignee = checks.optionalPartyId("assignee", request.getAssignee());
    if (assignee.isPresent() && request.getUnassigned()) {
      checks.add("unassigned", "not with assignee: a case is either assigned to someone or to nobody");
    }
    Optional<UUID> orderId = checks.optionalUuid("order_id", request.getOrderId());
    int pageSize = checks.pageSize(request.getPageSize());
    checks.throwIfInvalid();
    Principal caller = CallerContext.principal();
    String binding =
        PageTokens.binding(
            "support-cases", caller.idempotencyNamespace(), PageTokens.part(states), PageTokens.part(kinds), assignee.orElse(""),
            Boolean.toString(request.getUnassigned()), orderId.map(UUID::toString).orElse(""));
    Optional<SupportCaseCursor> after = pageTokens.after(PageTokens.SUPPORT_CASES, binding, request.getPageToken());
    SupportCasePage page =
        cases.list(caller, new SupportCaseQuery(states, kinds, assignee, request.getUnassigned(), orderId, after, pageSize));
    ListSupportCasesResponse.Builder reply = ListSupportCasesResponse.newBuilder();
    page.cases().forEach(c -> reply.addSupportCases(SupportMessages.toProto(c)));
    page.next().ifPresent(next -> reply.setNextPageToken(pageTokens.next(PageTokens.SUPPORT_CASES, binding, next)));
    reply(response, reply.build());
  }

  @Override
  public void assignSupportCase(AssignSupportCaseRequest request, StreamObserver<SupportCase> response) {
    IdempotentCall.handle(
        request,
        response,
        SupportServiceGrpc.getAssignSupportCaseMethod(),
        SupportMessages.FORMAT,
        checks -> {
          UUID id = checks.uuid("case_id", request.getCaseId());
          Optional<String> assignee = checks.optionalPartyId("assignee", request.getAssignee());
          String note = checks.optionalText("note", request.getNote(), SupportCaseRules.MAX_NOTE_LENGTH);
          return (caller, key, format) -> cases.assign(caller, key, id, assignee, note, format);
        });
  }

  @Override
  public void resolveSupportCase(ResolveSupportCaseRequest request, StreamObserver<SupportCase> response) {
    IdempotentCall.handle(
        request,
        response,
        SupportServiceGrpc.getResolveSupportCaseMethod(),
        SupportMessages.FORMAT,
        checks -> {
          UUID id = checks.uuid("case_id", request.getCaseId());
          SupportResolution resolution = SupportServiceRequests.resolution(checks, request);
          return (caller, key, format) -> cases.resolve(caller, key, id, resolution, format);
        });
  }
}
