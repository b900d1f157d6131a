package dev.marketplace.orders.domain.order;



/** Which path cancelled an order. */
public enum CancellationKind {
  /** The buyer cancelled an unpaid order; it took effect at once. */
  BUYER_CANCELLED_UNPAID,
  /** The seller approved the buyer's request. */
  SELLER_APPROVED,
  /** The seller did not answer by the deadline; the platform cancelled. */
  AUTO_APPROVED,
  /** Customer support cancelled. */
  SUPPORT
}
