package dev.marketplace.orders.domain.modification;

/** A modification's life: PROPOSED until exactly one of the others. Names are stored and exposed. */
public enum ModificationState {
  /** Waiting for the other party until {@code respondBy}. */
  PROPOSED,
  /** The other party accepted: the order was changed (and a paid order refunded any difference). */
  ACCEPTED,
  /** The other party declined; the order stays as it was. */
  DECLINED,
  /** The proposer took it back. */
  WITHDRAWN,
  /** Nobody answered by {@code respondBy}: closed by the platform, the order unchanged. */
  EXPIRED,
  /** The order was cancelled while the proposal waited. */
  CANCELLED_WITH_ORDER;

  public boolean isOpen() {
    return this == PROPOSED;
  }
}
