package dev.marketplace.orders.domain.dispute;

/** How a RESOLVED dispute was resolved. Names are stored and exposed. */
public enum DisputeOutcome {
  /** The seller accepted the buyer's request: the asked refund was issued. */
  SELLER_ACCEPTED,
  /** The buyer accepted the seller's partial offer: the offered amount was refunded. */
  OFFER_ACCEPTED,
  /** Support refunded what was still refundable. */
  SUPPORT_FULL_REFUND,
  /** Support refunded a stated part. */
  SUPPORT_PARTIAL_REFUND,
  /** Support decided against a refund. */
  SUPPORT_NO_REFUND,
  /** The seller accepted the buyer's "return and refund": an approved return was opened; its receipt refunds. */
  SELLER_ACCEPTED_RETURN,
  /** Support decided "return and refund": an approved return was opened; its receipt refunds. */
  SUPPORT_RETURN_AND_REFUND;

  /** Resolved by opening a return: the refund follows the return's receipt, not the dispute. */
  public boolean opensReturn() {
    return this == SELLER_ACCEPTED_RETURN || this == SUPPORT_RETURN_AND_REFUND;
  }
}
