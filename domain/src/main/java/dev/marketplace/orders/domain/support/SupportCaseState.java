package dev.marketplace.orders.domain.support;

/** Where a support case stands: in the queue, worked on by an agent, or closed. */
public enum SupportCaseState {
  OPEN,
  ASSIGNED,
  RESOLVED;

  /** Whether the case is still to be resolved (in the queue). */
  public boolean isOpen() {
    return this != RESOLVED;
  }
}
