package dev.marketplace.orders.domain.support;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A listing of the support queue: by state (no states: the cases not yet resolved), kind, assignee
 * (or only unassigned ones), order; oldest first.
 */
public record SupportCaseQuery(
    Set<SupportCaseState> states,
    Set<SupportCaseKind> kinds,
    Optional<String> assignee,
    boolean unassigned,
    Optional<UUID> orderId,
    Optional<SupportCaseCursor> after,
    int pageSize) {

  public SupportCaseQuery {
    states = states.isEmpty() ? Set.of(SupportCaseState.OPEN, SupportCaseState.ASSIGNED) : Set.copyOf(states);
    kinds = Set.copyOf(kinds);
    if (assignee.isPresent() && unassigned) {
      throw new IllegalArgumentException("assignee and unassigned exclude each other");
    }
    if (pageSize < 1 || pageSize > 100) {
      throw new IllegalArgumentException("page size out of range: " + pageSize);
    }
  }
}
