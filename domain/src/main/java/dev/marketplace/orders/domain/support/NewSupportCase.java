package dev.marketplace.orders.domain.support;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A buyer's or a seller's new case: the order, its kind, the request it concerns (the order's latest
 * of that kind when absent), a description and evidence references.
 */
public record NewSupportCase(
    UUID orderId,
    SupportCaseKind kind,
    Optional<UUID> cancellationRequestId,
    Optional<UUID> modificationId,
    String description,
    List<String> evidenceUris) {

  public NewSupportCase {
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(cancellationRequestId, "cancellationRequestId");
    Objects.requireNonNull(modificationId, "modificationId");
    Objects.requireNonNull(description, "description");
    evidenceUris = List.copyOf(evidenceUris);
  }
}
