package dev.marketplace.orders.domain.history;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.order.OrderState;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** One entry of an order's append-only history: who ({@code actorSubject}, {@code actorRole}) did what, when, and why. */
public record OrderEvent(
    UUID orderId,
    long sequence,
    OrderEventType type,
    String actorSubject,
    Role actorRole,
    Instant occurredAt,
    OrderState orderState,
    Map<String, String> details) {

  public OrderEvent {
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(actorSubject, "actorSubject");
    Objects.requireNonNull(actorRole, "actorRole");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(orderState, "orderState");
    details = Map.copyOf(details);
  }
}
