package dev.marketplace.orders.server.api;

import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.support.NewSupportCase;
import dev.marketplace.orders.domain.support.SupportCase;
import dev.marketplace.orders.domain.support.SupportCaseKind;
import dev.marketplace.orders.domain.support.SupportCaseRules;
import dev.marketplace.orders.domain.support.SupportCaseState;
import dev.marketplace.orders.domain.support.SupportResolution;
import dev.marketplace.orders.v1.OpenSupportCaseRequest;
import dev.marketplace.orders.v1.ResolveSupportCaseRequest;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Checks the requests of {@code orders.v1.SupportService} and turns them into domain commands. The
 * rules for a case's own fields are the domain's ({@link SupportCaseRules}); whether the request it
 * concerns is the order's, and whether an amount fits in what the order can still refund, are the
 * use case's to say.
 */
final class SupportServiceRequests {

  private SupportServiceRequests() {}

  static NewSupportCase open(RequestChecks checks, OpenSupportCaseRequest request) {
    UUID orderId = checks.uuid("order_id", request.getOrderId());
    SupportCaseKind kind = null;
    switch (request.getKind()) {
      case KIND_UNSPECIFIED, UNRECOGNIZED ->
          checks.add("kind", "required: one of CANCELLATION_NOT_PROCESSED, CANCELLATION_REJECTED, MODIFICATION_DISPUTE, OTHER");
      default -> kind = SupportCaseKind.valueOf(request.getKind().name());
    }
    Optional<UUID> cancellationRequestId = checks.optionalUuid("cancellation_request_id", request.getCancellationRequestId());
    Optional<UUID> modificationId = checks.optionalUuid("modification_id", request.getModificationId());
    String description = checks.optionalText("description", request.getDescription(), SupportCase.MAX_DESCRIPTION_LENGTH);
    List<String> evidence = request.getEvidenceUrisList();
    checks.addRules(
        SupportCaseRules.problems(
            kind, !request.getCancellationRequestId().isEmpty(), !request.getModificationId().isEmpty(), description, evidence));
    return checks.ok() ? new NewSupportCase(orderId, kind, cancellationRequestId, modificationId, description, evidence) : null;
  }

  static SupportResolution resolution(RequestChecks checks, ResolveSupportCaseRequest request) {
    String note = checks.optionalText("note", request.getNote(), SupportCase.MAX_NOTE_LENGTH);
    checks.addRules(SupportCaseRules.noteProblem("note", note, true).stream().toList());
    SupportResolution resolution =
        switch (request.getActionCase()) {
          case FORCE_CANCELLATION -> new SupportResolution.ForceCancellation(note);
          case NO_ACTION -> new SupportResolution.NoAction(note);
          case REFUND -> {
            ResolveSupportCaseRequest.IssueRefund refund = request.getRefund();
            yield switch (refund.getAmountCase()) {
              case FULL_REFUND -> {
                if (!refund.getFullRefund()) {
                  checks.add("refund.full_refund", "must be true when set; refund a part with refund.partial_refund");
                }
                yield new SupportResolution.IssueRefund(null, note);
              }
              case PARTIAL_REFUND -> {
                Money amount = DisputeServiceRequests.amount(checks, "refund.partial_refund", refund.getPartialRefund());
                yield new SupportResolution.IssueRefund(amount, note);
              }
              case AMOUNT_NOT_SET -> {
                checks.add("refund.amount", "required: one of full_refund, partial_refund");
                yield null;
              }
            };
          }
          case ACTION_NOT_SET -> {
            checks.add("action", "required: one of force_cancellation, refund, no_action");
            yield null;
          }
        };
    return checks.ok() ? resolution : null;
  }

  static Set<SupportCaseState> states(RequestChecks checks, List<dev.marketplace.orders.v1.SupportCase.State> states) {
    Set<SupportCaseState> result = EnumSet.noneOf(SupportCaseState.class);
    for (int i = 0; i < states.size(); i++) {
      dev.marketplace.orders.v1.SupportCase.State state = states.get(i);
      if (state == dev.marketplace.orders.v1.SupportCase.State.STATE_UNSPECIFIED
          || state == dev.marketplace.orders.v1.SupportCase.State.UNRECOGNIZED) {
        checks.add("states[" + i + "]", "not a support case state");
      } else {
        result.add(SupportCaseState.valueOf(state.name()));
      }
    }
    return result;
  }

  static Set<SupportCaseKind> kinds(RequestChecks checks, List<dev.marketplace.orders.v1.SupportCase.Kind> kinds) {
    Set<SupportCaseKind> result = EnumSet.noneOf(SupportCaseKind.class);
    for (int i = 0; i < kinds.size(); i++) {
      dev.marketplace.orders.v1.SupportCase.Kind kind = kinds.get(i);
      if (kind == dev.marketplace.orders.v1.SupportCase.Kind.KIND_UNSPECIFIED || kind == dev.marketplace.orders.v1.SupportCase.Kind.UNRECOGNIZED) {
        checks.add("kinds[" + i + "]", "not a support case kind");
      } else {
        result.add(SupportCaseKind.valueOf(kind.name()));
      }
    }
    return result;
  }
}
