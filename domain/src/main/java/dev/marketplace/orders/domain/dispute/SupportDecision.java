package dev.marketplace.orders.domain.dispute;

import dev.marketplace.orders.domain.payment.Money;
import java.util.Objects;

/**
 * Support's decision on an escalated dispute, with a note both parties see.
 *
 * @param amount the refund of a SUPPORT_PARTIAL_REFUND; null for the others
 */
public record SupportDecision(DisputeOutcome outcome, Money amount, String note) {

  public SupportDecision {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(note, "note");
    if (outcome != DisputeOutcome.SUPPORT_FULL_REFUND
        && outcome != DisputeOutcome.SUPPORT_PARTIAL_REFUND
        && outcome != DisputeOutcome.SUPPORT_NO_REFUND
        && outcome != DisputeOutcome.SUPPORT_RETURN_AND_REFUND) {
      throw new IllegalArgumentException("support decides with a SUPPORT_ outcome, not " + outcome);
    }
    if ((outcome == DisputeOutcome.SUPPORT_PARTIAL_REFUND) != (amount != null)) {
      throw new IllegalArgumentException("exactly a partial refund states its amount");
    }
  }
}
