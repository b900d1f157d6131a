package dev.marketplace.orders.domain.refund;

import java.util.Objects;
import java.util.UUID;

/** What payments reports about a refund. */
public record RefundResult(UUID refundId, boolean completed, String failureReason) {

  public RefundResult {
    Objects.requireNonNull(refundId, "refundId");
    Objects.requireNonNull(failureReason, "failureReason");
  }
}
