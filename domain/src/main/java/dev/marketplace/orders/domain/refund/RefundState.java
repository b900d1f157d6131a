package dev.marketplace.orders.domain.refund;

/** INITIATED with the cancellation, then COMPLETED or FAILED as payments reports. */
public enum RefundState {
  INITIATED,
  COMPLETED,
  FAILED
}
