package dev.marketplace.orders.server.overload;

import dev.marketplace.orders.domain.persistence.TimeBudget;
import io.grpc.Context;
import io.grpc.Deadline;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The domain's time budget read from the gRPC call being handled on this thread: what is left of the
 * caller's deadline. Work outside a call (the sweeps) runs in the root context and has no limit.
 */
public final class CallDeadlineBudget implements TimeBudget {

  @Override
  public Optional<Duration> remaining() {
    Deadline deadline = Context.current().getDeadline();
    return deadline == null ? Optional.empty() : Optional.of(Duration.ofNanos(deadline.timeRemaining(TimeUnit.NANOSECONDS)));
  }
}
