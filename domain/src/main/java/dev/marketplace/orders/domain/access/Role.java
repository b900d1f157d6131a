package dev.marketplace.orders.domain.access;

/** Who a caller (or the actor of a recorded change) is, as far as the rules are concerned. */
public enum Role {
  BUYER,
  SELLER,
  SUPPORT,
  SERVICE,
  /** The platform itself, for example the deadline sweeper. Never held by a caller's token. */
  SYSTEM
}
