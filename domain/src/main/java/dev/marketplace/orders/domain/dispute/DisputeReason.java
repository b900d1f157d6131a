package dev.marketplace.orders.domain.dispute;

/** Why the buyer disputes the order. Names are stored and exposed. */
public enum DisputeReason {
  NOT_RECEIVED,
  NOT_AS_DESCRIBED,
  WRONG_ITEM,
  DAMAGED,
  CANCELLATION_REJECTED,
  OTHER
}
