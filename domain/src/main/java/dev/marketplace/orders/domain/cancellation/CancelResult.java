package dev.marketplace.orders.domain.cancellation;

import dev.marketplace.orders.domain.order.Order;
import java.util.Objects;
import java.util.Optional;

/**
 * What a buyer's cancel did: cancelled the order at once, cancelled some of its units at once (an
 * unpaid order's partial cancel), or sent a request to the seller.
 */
public record CancelResult(Outcome outcome, Order order, Optional<CancellationRequest> request) {

  public enum Outcome {
    CANCELLED,
    REQUESTED,
    PARTIALLY_CANCELLED
  }

  public CancelResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(order, "order");
    Objects.requireNonNull(request, "request");
  }
}
