package dev.marketplace.orders.domain.cancellation;

import java.util.Objects;
import java.util.UUID;

/**
 * A seller's rejection. For {@link RejectionReason#ALREADY_SHIPPED} carrier and tracking number are
 * required (the order becomes SHIPPED with them); for {@link RejectionReason#OTHER} a note is.
 * Inputs are validated at the API edge.
 */
public record Rejection(UUID cancellationRequestId, RejectionReason reason, String note, String carrier, String trackingNumber) {

  public Rejection {
    Objects.requireNonNull(cancellationRequestId, "cancellationRequestId");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(note, "note");
    Objects.requireNonNull(carrier, "carrier");
    Objects.requireNonNull(trackingNumber, "trackingNumber");
    if (reason == RejectionReason.ALREADY_SHIPPED && (carrier.isBlank() || trackingNumber.isBlank())) {
      throw new IllegalArgumentException("a rejection because the order shipped carries carrier and tracking number");
    }
  }
}
