package dev.marketplace.orders.domain.support;

/** How a support case was resolved. */
public enum SupportAction {
  /** Support cancelled the order (a paid one was refunded). */
  FORCE_CANCELLATION,
  /** Support issued a refund of kind SUPPORT. */
  REFUND,
  /** Support took no action. */
  NO_ACTION,
  /** The escalated dispute was decided by support or withdrawn by the buyer. */
  DISPUTE_CLOSED
}
