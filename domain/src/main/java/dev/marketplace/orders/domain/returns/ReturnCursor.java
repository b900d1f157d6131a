package dev.marketplace.orders.domain.returns;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** Position in a return listing (by rank, then creation, then id): the last one of the previous page. */
public record ReturnCursor(int rank, Instant createdAt, UUID returnId) {

  public ReturnCursor {
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(returnId, "returnId");
    if (rank < 0 || rank > 1) {
      throw new IllegalArgumentException("rank out of range: " + rank);
    }
  }

  public static ReturnCursor after(Return ret) {
    return new ReturnCursor(ret.state().rank(), ret.createdAt(), ret.id());
  }
}
