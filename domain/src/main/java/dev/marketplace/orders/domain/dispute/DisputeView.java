package dev.marketplace.orders.domain.dispute;

import dev.marketplace.orders.domain.refund.Refund;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A dispute as callers see it: with the refund its resolution issued, if any, or the return it opened
 * (a "return and refund" resolution).
 */
public record DisputeView(Dispute dispute, Optional<Refund> refund, Optional<UUID> returnId) {

  public DisputeView {
    Objects.requireNonNull(dispute, "dispute");
    Objects.requireNonNull(refund, "refund");
    Objects.requireNonNull(returnId, "returnId");
  }

  /** Without a return. */
  public DisputeView(Dispute dispute, Optional<Refund> refund) {
    this(dispute, refund, Optional.empty());
  }
}
