package dev.marketplace.orders.domain.cancellation;

import dev.marketplace.orders.domain.refund.Refund;
import java.util.Objects;
import java.util.Optional;

/** A request as callers see it: with the refund its approval initiated, if any. */
public record CancellationRequestView(CancellationRequest request, Optional<Refund> refund) {

  public CancellationRequestView {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(refund, "refund");
  }
}
