package dev.marketplace.orders.server.api;

import dev.marketplace.orders.domain.cancellation.CancellationRequest;
import dev.marketplace.orders.domain.cancellation.CancellationRequestState;
import dev.marketplace.orders.domain.cancellation.Rejection;
import dev.marketplace.orders.domain.cancellation.RejectionReason;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.domain.order.LineItem;
import dev.marketplace.orders.domain.order.LineQuantity;
import dev.marketplace.orders.domain.order.NewOrder;
import dev.marketplace.orders.domain.order.Shipment;
import dev.marketplace.orders.domain.refund.Refund;
import dev.marketplace.orders.domain.refund.RefundResult;
import dev.marketplace.orders.v1.RecordRefundResultRequest;
import dev.marketplace.orders.v1.RejectCancellationRequestRequest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
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

  /**
   * The units of a partial cancel: each line index from 0, each quantity from 1, each line once, at
   * most as many entries as an order has lines. Whether the order has the line and the units is the
   * domain's rule ({@code PartialCancellation}).
   */
  static List<LineQuantity> lines(RequestChecks checks, List<dev.marketplace.orders.v1.LineQuantity> entries) {
    if (entries.size() > NewOrder.MAX_LINE_ITEMS) {
      checks.add("line_items", "at most " + NewOrder.MAX_LINE_ITEMS + " entries (an order has at most that many lines)");
      return List.of();
    }
    List<LineQuantity> lines = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    boolean valid = true;
    for (int i = 0; i < entries.size(); i++) {
      dev.marketplace.orders.v1.LineQuantity entry = entries.get(i);
      String path = "line_items[" + i + "]";
      if (entry.getLineIndex() < 0) {
        checks.add(path + ".line_index", "a line's position in the order, from 0; got " + entry.getLineIndex());
        valid = false;
      } else if (!seen.add(entry.getLineIndex())) {
        checks.add(path + ".line_index", "line " + entry.getLineIndex() + " is named more than once");
        valid = false;
      }
      if (entry.getQuantity() < 1 || entry.getQuantity() > LineItem.MAX_QUANTITY) {
        checks.add(path + ".quantity", "from 1 to the line's remaining units; got " + entry.getQuantity());
        valid = false;
      }
      if (valid) {
        lines.add(new LineQuantity(entry.getLineIndex(), entry.getQuantity()));
      }
    }
    return valid ? List.copyOf(lines) : List.of();
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
