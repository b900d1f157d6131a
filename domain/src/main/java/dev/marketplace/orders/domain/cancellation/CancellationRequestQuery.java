package dev.marketplace.orders.domain.cancellation;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** A listing of cancellation requests; which parties a caller may list is decided by {@link Cancellations}. */
public record CancellationRequestQuery(
    Optional<String> buyerId,
    Optional<String> sellerId,
    Optional<UUID> orderId,
    Set<CancellationRequestState> states,
    Optional<CancellationRequestCursor> after,
    int pageSize) {

  public CancellationRequestQuery {
    states = Set.copyOf(states);
    if (pageSize < 1 || pageSize > 100) {
      throw new IllegalArgumentException("page size out of range: " + pageSize);
    }
  }

  public CancellationRequestQuery scopedTo(String buyer, String seller) {
    return new CancellationRequestQuery(Optional.ofNullable(buyer), Optional.ofNullable(seller), orderId, states, after, pageSize);
  }
}
