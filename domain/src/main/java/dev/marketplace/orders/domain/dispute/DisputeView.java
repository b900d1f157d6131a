package dev.marketplace.orders.domain.dispute;

import dev.marketplace.orders.domain.refund.Refund;
import java.util.Objects;
import java.util.Optional;

/** A dispute as callers see it: with the refund its resolution issued, if any. */
public record DisputeView(Dispute dispute, Optional<Refund> refund) {

  public DisputeView {
    Objects.requireNonNull(dispute, "dispute");
    Objects.requireNonNull(refund, "refund");
  }
}
