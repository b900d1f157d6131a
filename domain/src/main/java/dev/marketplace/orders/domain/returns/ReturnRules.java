package dev.marketplace.orders.domain.returns;

import dev.marketplace.orders.domain.dispute.DisputeRules;
import dev.marketplace.orders.domain.error.FieldViolation;
import dev.marketplace.orders.domain.error.InvalidRequestException;
import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.order.LineItem;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.payment.Money;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * When a buyer may return units of an order, which units, and what a return's refund is. Pure: the use
 * case reads what they need (under the order's lock) and passes it in.
 */
public final class ReturnRules {

  public static final String ORDER_NOT_RETURNABLE = "ORDER_NOT_RETURNABLE";
  public static final String RETURN_WINDOW_CLOSED = "RETURN_WINDOW_CLOSED";
  public static final String RETURN_ALREADY_OPEN = "RETURN_ALREADY_OPEN";
  public static final String RETURN_EXCEEDS_REMAINING = "RETURN_EXCEEDS_REMAINING";
  public static final String NOTHING_TO_RETURN = "NOTHING_TO_RETURN";
  /** What a buyer whose return was rejected may do next: the dispute flow. */
  public static final String OPEN_DISPUTE = "OPEN_DISPUTE";

  private ReturnRules() {}

  /** The problems of a new return's own fields (every one at once); field names as in the API. */
  public static List<FieldViolation> problems(NewReturn request) {
    List<FieldViolation> problems = new ArrayList<>();
    String description = request.description();
    if (description.isBlank()) {
      problems.add(new FieldViolation("description", "required: why the units go back"));
    } else if (description.codePointCount(0, description.length()) > Return.MAX_DESCRIPTION_LENGTH) {
      problems.add(new FieldViolation("description", "at most " + Return.MAX_DESCRIPTION_LENGTH + " characters"));
    }
    problems.addAll(DisputeRules.evidenceProblems("evidence_uris", request.evidenceUris()));
    if (request.lines().isEmpty()) {
      problems.add(new FieldViolation("lines", "required: at least one line and quantity"));
    }
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < request.lines().size(); i++) {
      if (!seen.add(request.lines().get(i).lineIndex())) {
        problems.add(new FieldViolation("lines[" + i + "].line_index", "names a line already named"));
      }
    }
    return problems;
  }

  /**
   * Whether the order (locked) may have a return now: DELIVERED, within the return window, no other
   * return open.
   */
  public static void requireReturnable(Order order, Optional<Return> open, Instant now, ReturnSettings settings) {
    if (order.state() != OrderState.DELIVERED) {
      throw new StateConflictException(
          ORDER_NOT_RETURNABLE,
          "order " + order.id() + " is " + order.state() + ": only a delivered order's units are returned",
          Map.of("orderId", order.id().toString(), "orderState", order.state().name()),
          "orders/" + order.id(),
          "ORDER_STATE",
          null);
    }
    Instant delivered = order.shipment() == null ? null : order.shipment().deliveredAt();
    if (delivered != null && !now.isBefore(delivered.plus(settings.window()))) {
      Instant end = delivered.plus(settings.window());
      throw new StateConflictException(
          RETURN_WINDOW_CLOSED,
          "the return window of order " + order.id() + " closed at " + end,
          Map.of("orderId", order.id().toString(), "orderState", order.state().name(), "windowEnd", end.toString()),
          "orders/" + order.id(),
          "RETURN_WINDOW",
          null);
    }
    if (open.isPresent()) {
      throw new StateConflictException(
          RETURN_ALREADY_OPEN,
          "order " + order.id() + " already has an open return " + open.get().id(),
          Map.of("orderId", order.id().toString(), "returnId", open.get().id().toString(), "returnState", open.get().state().name()),
          "orders/" + order.id(),
          "OPEN_RETURN",
          null);
    }
  }

  /** The lines name lines of the order, and none more units than the buyer still keeps. */
  public static void requireUnits(Order order, List<ReturnLine> lines) {
    List<FieldViolation> problems = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      int index = lines.get(i).lineIndex();
      if (index >= order.lineItems().size()) {
        problems.add(new FieldViolation("lines[" + i + "].line_index", "the order has " + order.lineItems().size() + " lines (from 0)"));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
    for (ReturnLine line : lines) {
      LineItem item = order.lineItems().get(line.lineIndex());
      if (line.quantity() > item.remainingQuantity()) {
        throw new StateConflictException(
            RETURN_EXCEEDS_REMAINING,
            "line " + line.lineIndex() + " of order " + order.id() + " has " + item.remainingQuantity() + " units the buyer keeps, not "
                + line.quantity(),
            Map.of(
                "orderId", order.id().toString(),
                "lineIndex", Integer.toString(line.lineIndex()),
                "remainingQuantity", Integer.toString(item.remainingQuantity()),
                "requestedQuantity", Integer.toString(line.quantity())),
            "orders/" + order.id(),
            "REMAINING_UNITS",
            null);
      }
    }
  }

  /**
   * Whether a dispute may be resolved with "return and refund" on the order (locked): delivered, no
   * other return open, and units left to return.
   */
  public static void requireReturnableByDispute(Order order, Optional<Return> open) {
    if (order.state() != OrderState.DELIVERED) {
      throw new StateConflictException(
          ORDER_NOT_RETURNABLE,
          "order " + order.id() + " is " + order.state() + ": only a delivered order's goods are returned",
          Map.of("orderId", order.id().toString(), "orderState", order.state().name()),
          "orders/" + order.id(),
          "ORDER_STATE",
          null);
    }
    if (open.isPresent()) {
      throw new StateConflictException(
          RETURN_ALREADY_OPEN,
          "order " + order.id() + " already has an open return " + open.get().id() + ": finish or withdraw it first",
          Map.of("orderId", order.id().toString(), "returnId", open.get().id().toString(), "returnState", open.get().state().name()),
          "orders/" + order.id(),
          "OPEN_RETURN",
          null);
    }
    if (everythingRemaining(order).isEmpty()) {
      throw new StateConflictException(
          NOTHING_TO_RETURN,
          "order " + order.id() + " has no units left to return",
          Map.of("orderId", order.id().toString()),
          "orders/" + order.id(),
          "REMAINING_UNITS",
          null);
    }
  }

  /** Every unit the buyer still keeps, line by line (a dispute's "return and refund"); empty when none. */
  public static List<ReturnLine> everythingRemaining(Order order) {
    List<ReturnLine> lines = new ArrayList<>();
    for (int i = 0; i < order.lineItems().size(); i++) {
      int remaining = order.lineItems().get(i).remainingQuantity();
      if (remaining > 0) {
        lines.add(new ReturnLine(i, remaining));
      }
    }
    return lines;
  }

  /** The returned units' share: unit price times units, line by line. */
  public static Money share(Order order, List<ReturnLine> lines) {
    Money share = Money.zero(order.currencyCode());
    for (ReturnLine line : lines) {
      share = share.plus(order.lineItems().get(line.lineIndex()).unitPrice().times(line.quantity()));
    }
    return share;
  }

  /**
   * What a received return refunds: the units' share, but never more than the order can still refund
   * (earlier refunds - a dispute's, a support case's - may have left less): then what is left.
   */
  public static Money refundFor(Order order, List<ReturnLine> lines) {
    Money share = share(order, lines);
    Money refundable = order.refundable();
    return share.isMoreThan(refundable) ? refundable : share;
  }

  /** The order with the units counted as returned. */
  public static List<LineItem> withReturned(Order order, List<ReturnLine> lines) {
    List<LineItem> items = new ArrayList<>(order.lineItems());
    for (ReturnLine line : lines) {
      LineItem item = items.get(line.lineIndex());
      items.set(
          line.lineIndex(),
          new LineItem(
              item.sku(), item.title(), item.variantAttributes(), item.quantity(), item.unitPrice(), item.cancelledQuantity(),
              item.returnedQuantity() + Math.min(line.quantity(), item.remainingQuantity())));
    }
    return items;
  }
}
