package dev.marketplace.orders.domain.order;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.order.CancellationKind;
import dev.marketplace.orders.domain.order.CancellationReason;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** How a cancelled order was cancelled: the path, the buyer's reason, who did it, when, and the request if any. */
public record OrderCancellation(
    CancellationKind kind,
    CancellationReason reason,
    String actorSubject,
    Role actorRole,
    Instant cancelledAt,
    UUID cancellationRequestId) {

  public OrderCancellation {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(actorSubject, "actorSubject");
    Objects.requireNonNull(actorRole, "actorRole");
    Objects.requireNonNull(cancelledAt, "cancelledAt");
  }
}
