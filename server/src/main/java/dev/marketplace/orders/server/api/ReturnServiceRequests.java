package dev.marketplace.orders.server.api;

import dev.marketplace.orders.domain.dispute.DisputeRules;
import dev.marketplace.orders.domain.order.LineItem;
import dev.marketplace.orders.domain.returns.NewReturn;
import dev.marketplace.orders.domain.returns.Return;
import dev.marketplace.orders.domain.returns.ReturnLine;
import dev.marketplace.orders.domain.returns.ReturnReason;
import dev.marketplace.orders.domain.returns.ReturnState;
import dev.marketplace.orders.v1.RequestReturnRequest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Checks the requests of {@code orders.v1.ReturnService} and turns them into domain commands. The
 * rules for evidence are the disputes' ({@link DisputeRules}); which lines and how many units the
 * order allows is the order's to say.
 */
final class ReturnServiceRequests {

  /** More lines than any order may have (see the order's own limit) are refused before any read. */
  static final int MAX_LINES = 100;

  private ReturnServiceRequests() {}

  static NewReturn request(RequestChecks checks, RequestReturnRequest request) {
    UUID orderId = checks.uuid("order_id", request.getOrderId());
    List<ReturnLine> lines = new ArrayList<>();
    if (request.getLinesCount() == 0) {
      checks.add("lines", "required: at least one line_index and quantity");
    } else if (request.getLinesCount() > MAX_LINES) {
      checks.add("lines", "at most " + MAX_LINES + " lines, got " + request.getLinesCount());
    } else {
      for (int i = 0; i < request.getLinesCount(); i++) {
        RequestReturnRequest.Line line = request.getLines(i);
        boolean valid = true;
        if (line.getLineIndex() < 0) {
          checks.add("lines[" + i + "].line_index", "must not be negative, got " + line.getLineIndex());
          valid = false;
        }
        if (line.getQuantity() < 1 || line.getQuantity() > LineItem.MAX_QUANTITY) {
          checks.add("lines[" + i + "].quantity", "must be 1 to " + LineItem.MAX_QUANTITY + ", got " + line.getQuantity());
          valid = false;
        }
        if (valid) {
          lines.add(new ReturnLine(line.getLineIndex(), line.getQuantity()));
        }
      }
    }
    ReturnReason reason = null;
    switch (request.getReason()) {
      case REASON_UNSPECIFIED, UNRECOGNIZED -> checks.add("reason", "required: one of NOT_AS_DESCRIBED, DAMAGED, WRONG_ITEM, CHANGED_MIND, OTHER");
      default -> reason = ReturnReason.valueOf(request.getReason().name());
    }
    String description = request.getDescription();
    if (description.isBlank()) {
      checks.add("description", "required: why the units go back");
    } else {
      description = checks.optionalText("description", description, Return.MAX_DESCRIPTION_LENGTH);
    }
    checks.addRules(DisputeRules.evidenceProblems("evidence_uris", request.getEvidenceUrisList()));
    if (!checks.ok()) {
      return null;
    }
    NewReturn parsed = new NewReturn(orderId, lines, reason, description, request.getEvidenceUrisList());
    checks.addRules(dev.marketplace.orders.domain.returns.ReturnRules.problems(parsed));
    return checks.ok() ? parsed : null;
  }

  static String note(RequestChecks checks, String note, boolean required) {
    if (required && note.isBlank()) {
      checks.add("note", "required: why the seller rejects the return");
      return note;
    }
    return checks.optionalText("note", note, Return.MAX_NOTE_LENGTH);
  }

  static Set<ReturnState> states(RequestChecks checks, List<dev.marketplace.orders.v1.Return.State> states) {
    Set<ReturnState> result = EnumSet.noneOf(ReturnState.class);
    for (int i = 0; i < states.size(); i++) {
      dev.marketplace.orders.v1.Return.State state = states.get(i);
      if (state == dev.marketplace.orders.v1.Return.State.STATE_UNSPECIFIED || state == dev.marketplace.orders.v1.Return.State.UNRECOGNIZED) {
        checks.add("states[" + i + "]", "not a return state");
      } else {
        result.add(ReturnState.valueOf(state.name()));
      }
    }
    return result;
  }
}
