package dev.marketplace.orders.domain.returns;

/**
 * A return's life. REQUESTED (awaiting the seller) -> APPROVED (the seller, or the platform at
 * {@code respondBy}) | REJECTED (the seller; the buyer may open a dispute); APPROVED -> SHIPPED (the
 * buyer recorded the parcel); APPROVED, SHIPPED -> RECEIVED (the seller confirmed receipt, or the
 * platform at {@code receiveBy}: the units count as returned and their share is refunded); REQUESTED,
 * APPROVED, SHIPPED -> WITHDRAWN (the buyer). A dispute resolved with "return and refund" opens one
 * APPROVED. Names are stored and exposed.
 */
public enum ReturnState {
  REQUESTED,
  APPROVED,
  SHIPPED,
  RECEIVED,
  REJECTED,
  WITHDRAWN;

  /** Not yet RECEIVED, REJECTED or WITHDRAWN: at most one such return per order. */
  public boolean isOpen() {
    return this == REQUESTED || this == APPROVED || this == SHIPPED;
  }

  /** 0 while open, 1 closed: listings show the open ones first. */
  public int rank() {
    return isOpen() ? 0 : 1;
  }
}
