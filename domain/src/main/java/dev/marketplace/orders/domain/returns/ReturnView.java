package dev.marketplace.orders.domain.returns;

import dev.marketplace.orders.domain.refund.Refund;
import java.util.Objects;
import java.util.Optional;

/** A return as callers see it: with the refund its receipt issued, if any. */
public record ReturnView(Return ret, Optional<Refund> refund) {

  public ReturnView {
    Objects.requireNonNull(ret, "ret");
    Objects.requireNonNull(refund, "refund");
  }
}
