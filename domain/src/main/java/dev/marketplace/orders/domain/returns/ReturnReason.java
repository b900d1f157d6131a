package dev.marketplace.orders.domain.returns;

/** Why the buyer returns the units. Names are stored and exposed. */
public enum ReturnReason {
  NOT_AS_DESCRIBED,
  DAMAGED,
  WRONG_ITEM,
  CHANGED_MIND,
  OTHER
}
