package dev.marketplace.orders.domain.persistence;

import java.time.Duration;
import java.util.Optional;

/**
 * How much time the work running on this thread has left, if its caller set a limit. The transport
 * supplies it (a gRPC call's deadline, say); the domain only asks. Background work has no limit.
 */
@FunctionalInterface
public interface TimeBudget {

  /** No limit: statements run until the driver's own socket timeout. */
  TimeBudget UNLIMITED = Optional::empty;

  /** The time left for the current unit of work, possibly zero or negative; empty when unlimited. */
  Optional<Duration> remaining();
}
