package dev.marketplace.orders.server.api;

import dev.marketplace.orders.domain.cancellation.CancellationRequest;
import dev.marketplace.orders.domain.cancellation.CancellationRequestState;
import dev.marketplace.orders.domain.cancellation.Rejection;
import dev.marketplace.orders.domain.cancellation.RejectionReason;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.domain.order.Shipment;
import dev.marketplace.orders.domain.refund.Refund;
import dev.marketplace.orders.domain.refund.RefundResult;
import dev.marketplace.orders.v1.RecordRefundResultRequest;
import dev.marketplace.orders.v1.RejectCancellationRequestRequest;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Checks the requests of {@code orders.v1.CancellationService} and turns them into domain commands.
 * Every invalid field is reported with its proto path; what one field requires of another is the
 * domain's rule ({@link Rejection#problems}, {@link CancellationReason#problems}).
 */
final class CancellationServiceRequests {

  static final int MAX_SUPPORT_REASON_LENGTH = 500;

  private CancellationServiceRequests() {}

  /** The buyer's reason to cancel; null (and a violation) when missing or unknown. */
  static CancellationReason reason(RequestChecks checks, dev.marketplace.orders.v1.CancellationReason.Code code) {
    CancellationReason reason = ProtoValues.fromProto(code);
    if (reason == null) {
      checks.add("reason", "required: one of the codes ListCancellationReasons returns");
    }
    return reason;
  }

  /** The buyer's explanation, as long as the request allows and present where {@code reason} needs one. */
  static String explanation(RequestChecks checks, CancellationReason reason, String value) {
    String explanation = checks.optionalText("explanation", value, CancellationRequest.MAX_EXPLANATION_LENGTH);
    if (reason != null) {
      checks.addRules(reason.problems(explanation));
    }
    return explanation;
  }

  static Rejection rejection(RequestChecks checks, RejectCancellationRequestRequest request) {
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
    String tracking = checks.optional("tracking_number", request.getTrackingNumber(), Shipment.MAX_TRACKING_NUMBER_LENGTH);
    checks.addRules(Rejection.problems(reason, note, carrier, tracking));
    return checks.ok() ? new Rejection(id, reason, note, carrier, tracking) : null;
  }

  static RefundResult refundResult(RequestChecks checks, RecordRefundResultRequest request) {
    UUID refundId = checks.uuid("refund_id", request.getRefundId());
    boolean completed = request.getOutcome() == RecordRefundResultRequest.Outcome.COMPLETED;
    if (!completed && request.getOutcome() != RecordRefundResultRequest.Outcome.FAILED) {
      checks.add("outcome", "required: COMPLETED or FAILED");
    }
    String failureReason = checks.optional("failure_reason", request.getFailureReason(), Refund.MAX_FAILURE_REASON_LENGTH);
    return checks.ok() ? new RefundResult(refundId, completed, failureReason) : null;
  }

  /** Why support forces a cancel: required. */
  static String supportReason(RequestChecks checks, String value) {
    return checks.required("reason", value, MAX_SUPPORT_REASON_LENGTH);
  }

  static Set<CancellationRequestState> states(
      RequestChecks checks, List<dev.marketplace.orders.v1.CancellationRequest.State> states) {
    Set<CancellationRequestState> result = EnumSet.noneOf(CancellationRequestState.class);
    for (int i = 0; i < states.size(); i++) {
      switch (states.get(i)) {
        case STATE_UNSPECIFIED, UNRECOGNIZED -> checks.add("states[" + i + "]", "not a cancellation request state");
        default -> result.add(CancellationRequestState.valueOf(states.get(i).name()));
      }
    }
    return result;
  }
}
