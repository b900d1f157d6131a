package dev.marketplace.orders.domain.support;

/** What the service found, from the facts it holds, when a case was opened. */
public enum SupportFinding {
  /** Nothing to check for this kind. */
  NOT_CHECKED,
  /** The seller let the cancellation request's deadline pass: the platform cancelled and refunded. */
  DEADLINE_MISSED,
  /** The cancellation request still waits for the seller, within the deadline. */
  DEADLINE_NOT_REACHED,
  /** The order is cancelled; its refund (if it was paid) is on its way or arrived. */
  CANCELLED,
  /** The order is cancelled but its refund failed. */
  REFUND_FAILED,
  /** The seller rejected the cancellation request. */
  REQUEST_REJECTED,
  /** The cancellation request was not rejected. */
  REQUEST_NOT_REJECTED,
  /** The buyer withdrew the cancellation request. */
  REQUEST_WITHDRAWN,
  /** No request of that kind is on the order. */
  NO_REQUEST,
  /** The modification request is on record. */
  MODIFICATION_ON_RECORD,
  /** An escalated dispute. */
  DISPUTE_ESCALATED
}
