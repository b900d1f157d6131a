package dev.marketplace.orders.domain.cancellation;

/** PENDING until exactly one resolution. */
public enum CancellationRequestState {
  PENDING,
  APPROVED,
  REJECTED,
  AUTO_APPROVED,
  WITHDRAWN,
  RESOLVED_BY_SUPPORT;

  public boolean isPending() {
    return this == PENDING;
  }
}
