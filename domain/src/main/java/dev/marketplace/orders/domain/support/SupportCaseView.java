package dev.marketplace.orders.domain.support;

import dev.marketplace.orders.domain.refund.Refund;
import java.util.Objects;
import java.util.Optional;

/** A case as callers see it: with the refund its resolution issued, if any. */
public record SupportCaseView(SupportCase supportCase, Optional<Refund> refund) {

  public SupportCaseView {
    Objects.requireNonNull(supportCase, "supportCase");
    Objects.requireNonNull(refund, "refund");
  }
}
