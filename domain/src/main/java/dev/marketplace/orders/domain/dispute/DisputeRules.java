package dev.marketplace.orders.domain.dispute;

import dev.marketplace.orders.domain.conversation.AttachmentUris;
import dev.marketplace.orders.domain.error.FieldViolation;
import dev.marketplace.orders.domain.error.InvalidRequestException;
import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.payment.Money;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * When a buyer may dispute an order, and what a dispute's free-text fields and evidence must be. Pure:
 * the use case reads what they need (under the order's lock) and passes it in.
 */
public final class DisputeRules {

  public static final String ORDER_NOT_DISPUTABLE = "ORDER_NOT_DISPUTABLE";
  public static final String DISPUTE_WINDOW_CLOSED = "DISPUTE_WINDOW_CLOSED";
  public static final String DISPUTE_ALREADY_OPEN = "DISPUTE_ALREADY_OPEN";
  public static final String OPEN_REQUEST_FIRST = "OPEN_REQUEST_FIRST";
  public static final String NOTHING_REFUNDABLE = "NOTHING_REFUNDABLE";

  private DisputeRules() {}

  /** The problems of a new dispute's own fields (every one at once); field names as in the API. */
  public static List<FieldViolation> problems(String description, List<String> evidenceUris) {
    List<FieldViolation> problems = new ArrayList<>();
    if (description.isBlank()) {
      problems.add(new FieldViolation("description", "required: what went wrong"));
    } else if (description.codePointCount(0, description.length()) > Dispute.MAX_DESCRIPTION_LENGTH) {
      problems.add(new FieldViolation("description", "at most " + Dispute.MAX_DESCRIPTION_LENGTH + " characters"));
    }
    problems.addAll(evidenceProblems("evidence_uris", evidenceUris));
    return problems;
  }

  /** The problems of a list of evidence references. */
  public static List<FieldViolation> evidenceProblems(String field, List<String> evidenceUris) {
    List<FieldViolation> problems = new ArrayList<>();
    if (evidenceUris.size() > Dispute.MAX_EVIDENCE) {
      problems.add(new FieldViolation(field, "at most " + Dispute.MAX_EVIDENCE + " references"));
      return problems;
    }
    for (int i = 0; i < evidenceUris.size(); i++) {
      int index = i;
      AttachmentUris.problem(evidenceUris.get(i)).ifPresent(p -> problems.add(new FieldViolation(field + "[" + index + "]", p)));
    }
    return problems;
  }

  /** The problems of a note (a seller's answer, support's decision). */
  public static Optional<FieldViolation> noteProblem(String field, String note, boolean required) {
    if (required && note.isBlank()) {
      return Optional.of(new FieldViolation(field, "required"));
    }
    if (note.codePointCount(0, note.length()) > Dispute.MAX_NOTE_LENGTH) {
      return Optional.of(new FieldViolation(field, "at most " + Dispute.MAX_NOTE_LENGTH + " characters"));
    }
    return Optional.empty();
  }

  /**
   * Whether the order (locked, its deadlines settled) may be disputed now: after a rejected
   * cancellation request while it awaits shipment (and no other request waits), once shipped, or
   * within the window after delivery. Never once cancelled (refunded in full already), nor unpaid.
   */
  public static void requireDisputable(
      Order order, boolean cancellationRejected, boolean otherRequestOpen, Optional<Dispute> open, Instant now, DisputeSettings settings) {
    if (open.isPresent()) {
      throw new StateConflictException(
          DISPUTE_ALREADY_OPEN,
          "order " + order.id() + " already has an open dispute " + open.get().id(),
          Map.of("orderId", order.id().toString(), "disputeId", open.get().id().toString(), "disputeState", open.get().state().name()),
          "orders/" + order.id(),
          "OPEN_DISPUTE",
          null);
    }
    switch (order.state()) {
      case AWAITING_SHIPMENT -> {
        if (!cancellationRejected) {
          throw notDisputable(order, "an order awaiting shipment is disputed only after the seller rejected a cancellation request");
        }
        if (otherRequestOpen) {
          throw new StateConflictException(
              OPEN_REQUEST_FIRST,
              "order " + order.id() + " has a cancellation request or a modification waiting for an answer",
              Map.of("orderId", order.id().toString(), "orderState", order.state().name()),
              "orders/" + order.id(),
              "OPEN_REQUEST",
              null);
        }
      }
      case SHIPPED -> {}
      case DELIVERED -> {
        Instant delivered = order.shipment() == null ? null : order.shipment().deliveredAt();
        if (delivered != null && !now.isBefore(delivered.plus(settings.window()))) {
          throw new StateConflictException(
              DISPUTE_WINDOW_CLOSED,
              "the buyer-protection window of order " + order.id() + " closed at " + delivered.plus(settings.window()),
              Map.of(
                  "orderId", order.id().toString(),
                  "orderState", order.state().name(),
                  "windowEnd", delivered.plus(settings.window()).toString()),
              "orders/" + order.id(),
              "DISPUTE_WINDOW",
              null);
        }
      }
      default -> throw notDisputable(order, "order " + order.id() + " is " + order.state() + ": nothing to dispute");
    }
    if (order.refundable().amountMinor() == 0) {
      throw new StateConflictException(
          NOTHING_REFUNDABLE,
          "order " + order.id() + " has been refunded in full already",
          Map.of("orderId", order.id().toString(), "orderState", order.state().name()),
          "orders/" + order.id(),
          "REFUNDABLE_BALANCE",
          null);
    }
  }

  /** Evidence is required once the goods were received (a DELIVERED order). */
  public static List<FieldViolation> evidenceRequired(Order order, List<String> evidenceUris) {
    if (order.state() == OrderState.DELIVERED && evidenceUris.isEmpty()) {
      return List.of(new FieldViolation("evidence_uris", "required once the order was delivered: at least one https reference"));
    }
    return List.of();
  }

  /** An amount asked or offered: positive, and at most what the order can still refund. */
  public static Money refundAmount(Order order, Money amount, String field) {
    if (!amount.currencyCode().equals(order.currencyCode())) {
      throw InvalidRequestException.of(field + ".currency_code", "must be the order's currency " + order.currencyCode());
    }
    if (amount.amountMinor() <= 0) {
      throw InvalidRequestException.of(field + ".amount_minor", "must be positive");
    }
    long amountMinor = amount.amountMinor();
    Money refundable = order.refundable();
    if (amount.isMoreThan(refundable)) {
      throw new StateConflictException(
          "REFUND_EXCEEDS_REFUNDABLE",
          "order " + order.id() + " can refund at most " + refundable.amountMinor() + " more (minor units of "
              + refundable.currencyCode() + "), not " + amountMinor,
          Map.of(
              "orderId", order.id().toString(),
              "refundableMinor", Long.toString(refundable.amountMinor()),
              "requestedMinor", Long.toString(amountMinor),
              "currencyCode", refundable.currencyCode()),
          "orders/" + order.id(),
          "REFUNDABLE_BALANCE",
          null);
    }
    return amount;
  }

  private static StateConflictException notDisputable(Order order, String message) {
    return new StateConflictException(
        ORDER_NOT_DISPUTABLE,
        message,
        Map.of("orderId", order.id().toString(), "orderState", order.state().name()),
        "orders/" + order.id(),
        "ORDER_STATE",
        null);
  }
}
