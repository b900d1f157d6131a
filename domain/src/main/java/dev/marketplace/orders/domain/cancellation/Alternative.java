package dev.marketplace.orders.domain.cancellation;

/** What a buyer can do instead of (or after failing to) cancel. */
public enum Alternative {
  TRACK_SHIPMENT,
  CONTACT_SELLER,
  OPEN_DISPUTE,
  RETURN_AFTER_DELIVERY,
  REQUEST_MODIFICATION
}
