package dev.marketplace.orders.domain.modification;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** A listing of modifications; which parties a caller may list is decided by the use case. */
public record ModificationQuery(
    Optional<String> buyerId,
    Optional<String> sellerId,
    Optional<UUID> orderId,
    Set<ModificationState> states,
    Optional<ModificationCursor> after,
    int pageSize) {

  public ModificationQuery {
    states = Set.copyOf(states);
    if (pageSize < 1 || pageSize > 100) {
      throw new IllegalArgumentException("page size out of range: " + pageSize);
    }
  }

  public ModificationQuery scopedTo(String buyer, String seller) {
    return new ModificationQuery(Optional.ofNullable(buyer), Optional.ofNullable(seller), orderId, states, after, pageSize);
  }
}
