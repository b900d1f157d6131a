package dev.marketplace.orders.domain.order;

import java.util.Optional;
import java.util.Set;

/**
 * A "My Orders" listing as asked by a caller: optional buyer and seller filters, states (empty means
 * all), where to continue, and how many. Which parties a caller may list is decided by {@link Orders}.
 */
public record OrderQuery(
    Optional<String> buyerId,
    Optional<String> sellerId,
    Set<OrderState> states,
    Optional<OrderCursor> after,
    int pageSize) {

  public static final int DEFAULT_PAGE_SIZE = 20;
  public static final int MAX_PAGE_SIZE = 100;

  public OrderQuery {
    states = Set.copyOf(states);
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new IllegalArgumentException("page size out of range: " + pageSize);
    }
  }

  /** The page size a caller asked for, with 0 meaning the default and values above the maximum lowered to it. */
  public static int effectivePageSize(int requested) {
    if (requested <= 0) {
      return DEFAULT_PAGE_SIZE;
    }
    return Math.min(requested, MAX_PAGE_SIZE);
  }

  public OrderQuery scopedTo(String buyer, String seller) {
    return new OrderQuery(Optional.ofNullable(buyer), Optional.ofNullable(seller), states, after, pageSize);
  }
}
