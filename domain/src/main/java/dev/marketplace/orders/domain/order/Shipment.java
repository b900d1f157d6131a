package dev.marketplace.orders.domain.order;

import java.time.Instant;
import java.util.Objects;

/** Carrier and tracking of a shipped order; {@code deliveredAt} is null until delivery is confirmed. */
public record Shipment(String carrier, String trackingNumber, Instant shippedAt, Instant deliveredAt) {

  public static final int MAX_CARRIER_LENGTH = 64;
  public static final int MAX_TRACKING_NUMBER_LENGTH = 64;

  public Shipment {
    Objects.requireNonNull(carrier, "carrier");
    Objects.requireNonNull(trackingNumber, "trackingNumber");
    Objects.requireNonNull(shippedAt, "shippedAt");
  }

  Shipment delivered(Instant at) {
    return new Shipment(carrier, trackingNumber, shippedAt, at);
  }
}
