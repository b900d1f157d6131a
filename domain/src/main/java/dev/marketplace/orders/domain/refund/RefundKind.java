package dev.marketplace.orders.domain.refund;

/** What a refund pays back for; each kind names its cause (see {@link Refund#causeId()}). */
public enum RefundKind {
  /** The whole order was cancelled after payment; the cause is the cancellation request, if there was one. */
  CANCELLATION,
  /** An accepted modification lowered the price of a paid order; the cause is the modification. */
  MODIFICATION
}
