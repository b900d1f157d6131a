package dev.marketplace.orders.domain.cancellation;

import static dev.marketplace.orders.domain.cancellation.Alternative.CONTACT_SELLER;
import static dev.marketplace.orders.domain.cancellation.Alternative.OPEN_DISPUTE;
import static dev.marketplace.orders.domain.cancellation.Alternative.REQUEST_MODIFICATION;
import static dev.marketplace.orders.domain.cancellation.Alternative.RETURN_AFTER_DELIVERY;
import static dev.marketplace.orders.domain.cancellation.Alternative.TRACK_SHIPMENT;

import dev.marketplace.orders.domain.cancellation.Eligibility.Outcome;
import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.modification.ModificationRules;
import dev.marketplace.orders.domain.modification.OpenModification;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.domain.order.Order;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The marketplace's cancellation rules as a pure function of the order, its pending request, the
 * number of requests already made and the time (SPEC §3, the seed's "Understanding when you can
 * cancel"):
 *
 * <pre>
 * AWAITING_PAYMENT    cancel at once, nothing to refund
 * PAYMENT_PROCESSING  retry later (PAYMENT_VERIFICATION_IN_PROGRESS)
 * AWAITING_SHIPMENT   ask the seller, who has the response window to answer;
 *                     unless a request is already pending, a modification of the order waits for an
 *                     answer (OPEN_MODIFICATION_REQUEST: one open request of any kind per order), or
 *                     the buyer has used up their requests
 * SHIPPED, DELIVERED  impossible (ORDER_ALREADY_SHIPPED): track, contact the seller, dispute, return
 * CANCELLED           already cancelled (ORDER_ALREADY_CANCELLED)
 * </pre>
 *
 * An unpaid order's instant cancel goes ahead even while a modification waits (the buyer would rather
 * not have the order at all; the modification closes with it).
 */
public final class CancellationPolicy {

  public static final String PAYMENT_VERIFICATION_IN_PROGRESS = "PAYMENT_VERIFICATION_IN_PROGRESS";
  public static final String ORDER_ALREADY_SHIPPED = "ORDER_ALREADY_SHIPPED";
  public static final String ORDER_ALREADY_CANCELLED = "ORDER_ALREADY_CANCELLED";
  public static final String CANCELLATION_REQUEST_PENDING = "CANCELLATION_REQUEST_PENDING";
  public static final String CANCELLATION_REQUEST_LIMIT_REACHED = "CANCELLATION_REQUEST_LIMIT_REACHED";
  public static final String OPEN_MODIFICATION_REQUEST = ModificationRules.OPEN_MODIFICATION_REQUEST;

  private static final List<CancellationReason> ALL_REASONS = List.of(CancellationReason.values());

  private final CancellationSettings settings;

  public CancellationPolicy(CancellationSettings settings) {
    this.settings = settings;
  }

  /** With no modification open. */
  public Eligibility decide(Order order, Optional<CancellationRequest> pending, int requestsMade, Instant now) {
    return decide(order, pending, Optional.empty(), requestsMade, now);
  }

  public Eligibility decide(
      Order order, Optional<CancellationRequest> pending, Optional<OpenModification> openModification, int requestsMade, Instant now) {
    Eligibility decided = decideIgnoringModification(order, pending, openModification, requestsMade, now);
    return new Eligibility(
            decided.orderId(), decided.orderState(), decided.outcome(), decided.blockedReason(), decided.retryAfter(),
            decided.pendingRequest(), decided.respondByIfRequestedNow(), decided.reasons(), decided.alternatives(),
            decided.requestsRemaining(), openModification, cancellableQuantities(order, decided.outcome(), openModification));
  }

  /**
   * Per line, the units a partial cancel may name now: what the line still has when a cancel can go
   * ahead and no modification waits (an unpaid order's partial cancel waits for it too: the order goes
   * on, and the proposal is about its lines); none otherwise.
   */
  private static List<Integer> cancellableQuantities(Order order, Outcome outcome, Optional<OpenModification> openModification) {
    boolean open = (outcome == Outcome.CANCEL_IMMEDIATELY || outcome == Outcome.REQUEST_SELLER_APPROVAL) && openModification.isEmpty();
    return order.lineItems().stream().map(line -> open ? line.remainingQuantity() : 0).toList();
  }

  /**
   * The refusal of an unpaid order's partial cancel while a modification waits: the whole order may go
   * (the modification closes with it), but some of its units only once the modification is answered.
   */
  public static StateConflictException partialWhileModificationOpen(Order order, OpenModification modification) {
    return new StateConflictException(
        OPEN_MODIFICATION_REQUEST,
        "a modification of the order waits for an answer; accept, decline or withdraw it before cancelling some of its units",
        Map.of(
            "orderId", order.id().toString(),
            "orderState", order.state().name(),
            "modificationId", modification.id().toString(),
            "respondBy", modification.respondBy().toString()),
        "orders/" + order.id(),
        "ORDER_STATE",
        null);
  }

  private Eligibility decideIgnoringModification(
      Order order, Optional<CancellationRequest> pending, Optional<OpenModification> openModification, int requestsMade, Instant now) {
    int remaining = Math.max(0, settings.maxRequestsPerOrder() - requestsMade);
    return switch (order.state()) {
      case AWAITING_PAYMENT ->
          eligibility(order, Outcome.CANCEL_IMMEDIATELY, null, pending, null, ALL_REASONS, List.of(CONTACT_SELLER), remaining);
      case PAYMENT_PROCESSING ->
          new Eligibility(
              order.id(), order.state(), Outcome.RETRY_LATER, Optional.of(PAYMENT_VERIFICATION_IN_PROGRESS),
              Optional.of(settings.paymentVerificationRetryDelay()), Optional.empty(), Optional.empty(), List.of(),
              List.of(CONTACT_SELLER), remaining);
      case AWAITING_SHIPMENT -> {
        if (pending.isPresent()) {
          yield eligibility(order, Outcome.REQUEST_PENDING, CANCELLATION_REQUEST_PENDING, pending, null, List.of(), List.of(CONTACT_SELLER), remaining);
        }
        if (openModification.isPresent()) {
          yield eligibility(
              order, Outcome.MODIFICATION_PENDING, OPEN_MODIFICATION_REQUEST, pending, null, List.of(), List.of(CONTACT_SELLER), remaining);
        }
        if (remaining == 0) {
          yield eligibility(
              order, Outcome.NOT_CANCELLABLE, CANCELLATION_REQUEST_LIMIT_REACHED, pending, null, List.of(),
              List.of(CONTACT_SELLER, OPEN_DISPUTE), remaining);
        }
        yield eligibility(
            order, Outcome.REQUEST_SELLER_APPROVAL, null, pending, now.plus(settings.sellerResponseWindow()), ALL_REASONS,
            List.of(REQUEST_MODIFICATION, CONTACT_SELLER), remaining);
      }
      case SHIPPED, DELIVERED ->
          eligibility(
              order, Outcome.NOT_CANCELLABLE, ORDER_ALREADY_SHIPPED, pending, null, List.of(),
              List.of(TRACK_SHIPMENT, CONTACT_SELLER, OPEN_DISPUTE, RETURN_AFTER_DELIVERY), remaining);
      case CANCELLED ->
          eligibility(order, Outcome.ALREADY_CANCELLED, ORDER_ALREADY_CANCELLED, pending, null, List.of(), List.of(), 0);
    };
  }

  /** The refusal a cancel gets when the eligibility is neither "cancel at once" nor "ask the seller". */
  public static StateConflictException refusal(Eligibility eligibility) {
    String reason = eligibility.blockedReason().orElseThrow();
    Map<String, String> metadata = new HashMap<>();
    metadata.put("orderId", eligibility.orderId().toString());
    metadata.put("orderState", eligibility.orderState().name());
    if (!eligibility.alternatives().isEmpty()) {
      metadata.put("alternatives", eligibility.alternatives().stream().map(Enum::name).collect(Collectors.joining(",")));
    }
    eligibility.retryAfter().ifPresent(d -> metadata.put("retryAfterSeconds", Long.toString(d.toSeconds())));
    if (reason.equals(OPEN_MODIFICATION_REQUEST)) {
      eligibility.openModification()
          .ifPresent(
              m -> {
                metadata.put("modificationId", m.id().toString());
                metadata.put("respondBy", m.respondBy().toString());
              });
    }
    eligibility.pendingRequest()
        .ifPresent(
            r -> {
              metadata.put("cancellationRequestId", r.id().toString());
              metadata.put("respondBy", r.respondBy().toString());
            });
    String message =
        switch (reason) {
          case PAYMENT_VERIFICATION_IN_PROGRESS -> "the payment is being verified; try again after it settles";
          case ORDER_ALREADY_SHIPPED -> "the order has shipped and can no longer be cancelled; track it, contact the seller, open a dispute or return it after delivery";
          case ORDER_ALREADY_CANCELLED -> "the order is already cancelled";
          case CANCELLATION_REQUEST_PENDING -> "a cancellation request is already waiting for the seller";
          case OPEN_MODIFICATION_REQUEST -> "a modification of the order waits for an answer; accept, decline or withdraw it before asking to cancel";
          case CANCELLATION_REQUEST_LIMIT_REACHED -> "no more cancellation requests can be made for this order; contact the seller or open a dispute";
          default -> reason;
        };
    return new StateConflictException(
        reason, message, metadata, "orders/" + eligibility.orderId(), "ORDER_STATE", eligibility.retryAfter().orElse(null));
  }

  private static Eligibility eligibility(
      Order order,
      Outcome outcome,
      String blockedReason,
      Optional<CancellationRequest> pending,
      Instant respondByIfRequestedNow,
      List<CancellationReason> reasons,
      List<Alternative> alternatives,
      int remaining) {
    return new Eligibility(
        order.id(), order.state(), outcome, Optional.ofNullable(blockedReason), Optional.empty(),
        outcome == Outcome.REQUEST_PENDING ? pending : Optional.empty(), Optional.ofNullable(respondByIfRequestedNow), reasons,
        alternatives, remaining);
  }
}
