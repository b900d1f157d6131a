package dev.marketplace.orders.domain.modification;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The modification an order has open, as its row carries it: enough to refuse what must wait for it
 * (shipping, a cancellation request, a second proposal) and to see that its deadline has passed,
 * without reading the modification itself.
 */
public record OpenModification(UUID id, Instant respondBy) {

  public OpenModification {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(respondBy, "respondBy");
  }

  public boolean isDue(Instant now) {
    return !now.isBefore(respondBy);
  }

  public static OpenModification of(Modification modification) {
    return new OpenModification(modification.id(), modification.respondBy());
  }
}
