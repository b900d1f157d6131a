package dev.marketplace.orders.domain.dispute;

/**
 * A dispute's life. OPEN (awaiting the seller) -> OFFERED (the seller offered a partial refund) |
 * REJECTED_BY_SELLER | RESOLVED (the seller accepted); OFFERED -> RESOLVED (the buyer accepted the
 * offer); OPEN, OFFERED, REJECTED_BY_SELLER -> ESCALATED (either party, or the platform at the
 * deadline); ESCALATED -> RESOLVED (support); every state but RESOLVED -> WITHDRAWN (the buyer).
 * Names are stored and exposed.
 */
public enum DisputeState {
  OPEN,
  OFFERED,
  REJECTED_BY_SELLER,
  ESCALATED,
  RESOLVED,
  WITHDRAWN;

  /** Not yet RESOLVED or WITHDRAWN: at most one such dispute per order. */
  public boolean isOpen() {
    return this != RESOLVED && this != WITHDRAWN;
  }

  /** The parties may still agree: the response deadline counts, and either party may escalate. */
  public boolean awaitsParties() {
    return this == OPEN || this == OFFERED || this == REJECTED_BY_SELLER;
  }

  /** 0 while the parties may agree, 1 escalated, 2 closed: listings show the pressing ones first. */
  public int rank() {
    return awaitsParties() ? 0 : this == ESCALATED ? 1 : 2;
  }
}
