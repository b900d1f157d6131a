package dev.marketplace.orders.domain.refund;

/** What a refund pays back for; each kind names its cause (see {@link Refund#causeId()}). */
public enum RefundKind {
  /** The whole order was cancelled after payment; the cause is the cancellation request, if there was one. */
  CANCELLATION,
  /** An accepted modification lowered the price of a paid order; the cause is the modification. */
  MODIFICATION,
  /** A dispute was resolved with a refund (the seller accepted, the buyer took the offer, or support decided); the cause is the dispute. */
  DISPUTE,
  /** Support issued a refund resolving a support case; the cause is the case. */
  SUPPORT,
  /** Some units of a paid order were cancelled (the seller approved, or the platform on silence); the cause is the cancellation request. */
  PARTIAL,
  /** Returned units were received; the cause is the return. */
  RETURN
}
