package dev.marketplace.orders.domain.order;

import java.time.Instant;
import java.util.Objects;

/** The captured payment of an order: the provider's reference and when it was captured. */
public record PaymentCapture(String reference, Instant capturedAt) {

  public static final int MAX_REFERENCE_LENGTH = 100;

  public PaymentCapture {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(capturedAt, "capturedAt");
  }
}
