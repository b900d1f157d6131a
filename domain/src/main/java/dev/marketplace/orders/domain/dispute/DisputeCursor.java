package dev.marketplace.orders.domain.dispute;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** Position in a dispute listing (by rank, then deadline, then id): the last one of the previous page. */
public record DisputeCursor(int rank, Instant respondBy, UUID disputeId) {

  public DisputeCursor {
    Objects.requireNonNull(respondBy, "respondBy");
    Objects.requireNonNull(disputeId, "disputeId");
    if (rank < 0 || rank > 2) {
      throw new IllegalArgumentException("rank out of range: " + rank);
    }
  }

  public static DisputeCursor after(Dispute dispute) {
    return new DisputeCursor(dispute.state().rank(), dispute.respondBy(), dispute.id());
  }
}
