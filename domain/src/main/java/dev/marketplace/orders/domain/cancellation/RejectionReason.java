package dev.marketplace.orders.domain.cancellation;

/** Why a seller rejects a cancellation request. ALREADY_SHIPPED carries carrier and tracking; OTHER a note. */
public enum RejectionReason {
  ALREADY_SHIPPED,
  ALREADY_PREPARED_OR_CUSTOMISED,
  OTHER
}
