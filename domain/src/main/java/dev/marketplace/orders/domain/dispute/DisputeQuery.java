package dev.marketplace.orders.domain.dispute;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** A listing of disputes; which parties a caller may list is decided by the use case. */
public record DisputeQuery(
    Optional<String> buyerId,
    Optional<String> sellerId,
    Optional<UUID> orderId,
    Set<DisputeState> states,
    Optional<DisputeCursor> after,
    int pageSize) {

  public DisputeQuery {
    states = Set.copyOf(states);
    if (pageSize < 1 || pageSize > 100) {
      throw new IllegalArgumentException("page size out of range: " + pageSize);
    }
  }

  public DisputeQuery scopedTo(String buyer, String seller) {
    return new DisputeQuery(Optional.ofNullable(buyer), Optional.ofNullable(seller), orderId, states, after, pageSize);
  }
}
