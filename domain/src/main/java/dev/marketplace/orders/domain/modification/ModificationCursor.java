package dev.marketplace.orders.domain.modification;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** Position in a modification listing (open first, then by deadline, then id): the last one of the previous page. */
public record ModificationCursor(boolean open, Instant respondBy, UUID modificationId) {

  public ModificationCursor {
    Objects.requireNonNull(respondBy, "respondBy");
    Objects.requireNonNull(modificationId, "modificationId");
  }

  public static ModificationCursor after(Modification modification) {
    return new ModificationCursor(modification.state().isOpen(), modification.respondBy(), modification.id());
  }
}
