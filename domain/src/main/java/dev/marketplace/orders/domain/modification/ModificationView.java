package dev.marketplace.orders.domain.modification;

import dev.marketplace.orders.domain.refund.Refund;
import java.util.Objects;
import java.util.Optional;

/** A modification as callers see it: with the refund its acceptance initiated on a paid order, if any. */
public record ModificationView(Modification modification, Optional<Refund> refund) {

  public ModificationView {
    Objects.requireNonNull(modification, "modification");
    Objects.requireNonNull(refund, "refund");
  }
}
