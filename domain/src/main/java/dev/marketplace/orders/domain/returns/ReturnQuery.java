package dev.marketplace.orders.domain.returns;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** A listing of returns; which parties a caller may list is decided by the use case. */
public record ReturnQuery(
    Optional<String> buyerId,
    Optional<String> sellerId,
    Optional<UUID> orderId,
    Set<ReturnState> states,
    Optional<ReturnCursor> after,
    int pageSize) {

  public ReturnQuery {
    states = Set.copyOf(states);
    if (pageSize < 1 || pageSize > 100) {
      throw new IllegalArgumentException("page size out of range: " + pageSize);
    }
  }

  public ReturnQuery scopedTo(String buyer, String seller) {
    return new ReturnQuery(Optional.ofNullable(buyer), Optional.ofNullable(seller), orderId, states, after, pageSize);
  }
}
