package dev.marketplace.orders.server.api;

import dev.marketplace.orders.domain.dispute.Dispute;
import dev.marketplace.orders.domain.dispute.DisputeOutcome;
import dev.marketplace.orders.domain.dispute.DisputeReason;
import dev.marketplace.orders.domain.dispute.DisputeRules;
import dev.marketplace.orders.domain.dispute.DisputeState;
import dev.marketplace.orders.domain.dispute.NewDispute;
import dev.marketplace.orders.domain.dispute.SellerResponse;
import dev.marketplace.orders.domain.dispute.SupportDecision;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.v1.OpenDisputeRequest;
import dev.marketplace.orders.v1.ResolveDisputeRequest;
import dev.marketplace.orders.v1.RespondToDisputeRequest;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Checks the requests of {@code orders.v1.DisputeService} and turns them into domain commands. The
 * rules for a description, a note and evidence are the domain's ({@link DisputeRules}); whether an
 * amount fits in what the order can still refund, and is in its currency, is the order's to say.
 */
final class DisputeServiceRequests {

  private DisputeServiceRequests() {}

  static NewDispute open(RequestChecks checks, OpenDisputeRequest request) {
    UUID orderId = checks.uuid("order_id", request.getOrderId());
    DisputeReason reason = null;
    switch (request.getReason()) {
      case REASON_UNSPECIFIED, UNRECOGNIZED -> checks.add("reason", "required: one of NOT_RECEIVED, NOT_AS_DESCRIBED, WRONG_ITEM, DAMAGED, CANCELLATION_REJECTED, OTHER");
      default -> reason = DisputeReason.valueOf(request.getReason().name());
    }
    String description = request.getDescription();
    if (description.isBlank()) {
      checks.add("description", "required: what went wrong");
    } else {
      description = checks.optionalText("description", description, Dispute.MAX_DESCRIPTION_LENGTH);
    }
    List<String> evidence = request.getEvidenceUrisList();
    checks.addRules(DisputeRules.evidenceProblems("evidence_uris", evidence));
    Money asked = null;
    boolean returnAsked = false;
    switch (request.getRequestedRefundCase()) {
      case FULL_REFUND -> {
        if (!request.getFullRefund()) {
          checks.add("full_refund", "must be true when set; ask a partial refund with partial_refund");
        }
      }
      case PARTIAL_REFUND -> asked = amount(checks, "partial_refund", request.getPartialRefund());
      case RETURN_AND_REFUND -> {
        if (!request.getReturnAndRefund()) {
          checks.add("return_and_refund", "must be true when set; ask a refund with full_refund or partial_refund");
        }
        returnAsked = true;
      }
      case REQUESTEDREFUND_NOT_SET -> checks.add("requested_refund", "required: one of full_refund, partial_refund, return_and_refund");
    }
    return checks.ok() ? new NewDispute(orderId, reason, description, evidence, asked, returnAsked) : null;
  }

  static SellerResponse response(RequestChecks checks, RespondToDisputeRequest request) {
    return switch (request.getResponseCase()) {
      case ACCEPT -> {
        String note = checks.optionalText("accept.note", request.getAccept().getNote(), Dispute.MAX_NOTE_LENGTH);
        yield checks.ok() ? new SellerResponse.Accept(note) : null;
      }
      case OFFER -> {
        Money amount = request.getOffer().hasAmount() ? amount(checks, "offer.amount", request.getOffer().getAmount()) : null;
        if (!request.getOffer().hasAmount()) {
          checks.add("offer.amount", "required: the partial refund offered");
        }
        String note = checks.optionalText("offer.note", request.getOffer().getNote(), Dispute.MAX_NOTE_LENGTH);
        yield checks.ok() ? new SellerResponse.Offer(amount, note) : null;
      }
      case REJECT -> {
        String note = request.getReject().getNote();
        if (note.isBlank()) {
          checks.add("reject.note", "required: why the seller rejects the dispute");
        } else {
          note = checks.optionalText("reject.note", note, Dispute.MAX_NOTE_LENGTH);
        }
        checks.addRules(DisputeRules.evidenceProblems("reject.evidence_uris", request.getReject().getEvidenceUrisList()));
        yield checks.ok() ? new SellerResponse.Reject(note, request.getReject().getEvidenceUrisList()) : null;
      }
      case RESPONSE_NOT_SET -> {
        checks.add("response", "required: one of accept, offer, reject");
        yield null;
      }
    };
  }

  static SupportDecision decision(RequestChecks checks, ResolveDisputeRequest request) {
    DisputeOutcome outcome =
        switch (request.getDecision()) {
          case FULL_REFUND -> DisputeOutcome.SUPPORT_FULL_REFUND;
          case PARTIAL_REFUND -> DisputeOutcome.SUPPORT_PARTIAL_REFUND;
          case NO_REFUND -> DisputeOutcome.SUPPORT_NO_REFUND;
          case RETURN_AND_REFUND -> DisputeOutcome.SUPPORT_RETURN_AND_REFUND;
          case DECISION_UNSPECIFIED, UNRECOGNIZED -> {
            checks.add("decision", "required: one of FULL_REFUND, PARTIAL_REFUND, NO_REFUND, RETURN_AND_REFUND");
            yield null;
          }
        };
    Money amount = null;
    if (outcome == DisputeOutcome.SUPPORT_PARTIAL_REFUND) {
      if (request.hasRefundAmount()) {
        amount = amount(checks, "refund_amount", request.getRefundAmount());
      } else {
        checks.add("refund_amount", "required for a PARTIAL_REFUND");
      }
    }
    String note = request.getNote();
    if (note.isBlank()) {
      checks.add("note", "required: the decision's reasons, which both parties see");
    } else {
      note = checks.optionalText("note", note, Dispute.MAX_NOTE_LENGTH);
    }
    return checks.ok() ? new SupportDecision(outcome, amount, note) : null;
  }

  static Set<DisputeState> states(RequestChecks checks, List<dev.marketplace.orders.v1.Dispute.State> states) {
    Set<DisputeState> result = EnumSet.noneOf(DisputeState.class);
    for (int i = 0; i < states.size(); i++) {
      dev.marketplace.orders.v1.Dispute.State state = states.get(i);
      if (state == dev.marketplace.orders.v1.Dispute.State.STATE_UNSPECIFIED || state == dev.marketplace.orders.v1.Dispute.State.UNRECOGNIZED) {
        checks.add("states[" + i + "]", "not a dispute state");
      } else {
        result.add(DisputeState.valueOf(state.name()));
      }
    }
    return result;
  }

  /** A refund amount: a currency code and a positive amount (the order checks the currency and the balance). */
  static Money amount(RequestChecks checks, String path, dev.marketplace.orders.v1.Money money) {
    boolean valid = true;
    if (!Money.isCurrencyCode(money.getCurrencyCode())) {
      checks.add(path + ".currency_code", "required: an ISO 4217 code such as USD, got " + RequestChecks.quote(money.getCurrencyCode()));
      valid = false;
    }
    if (money.getAmountMinor() <= 0) {
      checks.add(path + ".amount_minor", "must be positive, got " + money.getAmountMinor());
      valid = false;
    }
    return valid ? new Money(money.getCurrencyCode(), money.getAmountMinor()) : null;
  }
}
