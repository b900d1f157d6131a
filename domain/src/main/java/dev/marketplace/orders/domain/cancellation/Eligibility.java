package dev.marketplace.orders.domain.cancellation;

import dev.marketplace.orders.domain.modification.OpenModification;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.domain.order.OrderState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What a buyer's cancel would do now: the outcome, and what a client needs to render it (the
 * reason it is blocked, how long to wait, the pending request, the reasons to offer, the alternatives)
 * and the order's open modification, if one waits: an unpaid order's instant cancel closes it, a paid
 * order's cancellation request waits until it is answered or withdrawn; and, per line (by position),
 * the units a partial cancel may name now ({@code cancellableQuantities}: the units the line still has
 * when a cancel can go ahead, else none).
 */
public record Eligibility(
    UUID orderId,
    OrderState orderState,
    Outcome outcome,
    Optional<String> blockedReason,
    Optional<Duration> retryAfter,
    Optional<CancellationRequest> pendingRequest,
    Optional<Instant> respondByIfRequestedNow,
    List<CancellationReason> reasons,
    List<Alternative> alternatives,
    int requestsRemaining,
    Optional<OpenModification> openModification,
    List<Integer> cancellableQuantities) {

  public enum Outcome {
    CANCEL_IMMEDIATELY,
    REQUEST_SELLER_APPROVAL,
    RETRY_LATER,
    NOT_CANCELLABLE,
    ALREADY_CANCELLED,
    REQUEST_PENDING,
    /** A modification of the order waits for an answer: answer or withdraw it first. */
    MODIFICATION_PENDING
  }

  /** With no modification open. */
  public Eligibility(
      UUID orderId,
      OrderState orderState,
      Outcome outcome,
      Optional<String> blockedReason,
      Optional<Duration> retryAfter,
      Optional<CancellationRequest> pendingRequest,
      Optional<Instant> respondByIfRequestedNow,
      List<CancellationReason> reasons,
      List<Alternative> alternatives,
      int requestsRemaining) {
    this(
        orderId, orderState, outcome, blockedReason, retryAfter, pendingRequest, respondByIfRequestedNow, reasons, alternatives,
        requestsRemaining, Optional.empty(), List.of());
  }

  /** With no units counted per line. */
  public Eligibility(
      UUID orderId,
      OrderState orderState,
      Outcome outcome,
      Optional<String> blockedReason,
      Optional<Duration> retryAfter,
      Optional<CancellationRequest> pendingRequest,
      Optional<Instant> respondByIfRequestedNow,
      List<CancellationReason> reasons,
      List<Alternative> alternatives,
      int requestsRemaining,
      Optional<OpenModification> openModification) {
    this(
        orderId, orderState, outcome, blockedReason, retryAfter, pendingRequest, respondByIfRequestedNow, reasons, alternatives,
        requestsRemaining, openModification, List.of());
  }

  public Eligibility {
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(orderState, "orderState");
    Objects.requireNonNull(outcome, "outcome");
    reasons = List.copyOf(reasons);
    alternatives = List.copyOf(alternatives);
    Objects.requireNonNull(openModification, "openModification");
    cancellableQuantities = List.copyOf(cancellableQuantities);
  }
}
