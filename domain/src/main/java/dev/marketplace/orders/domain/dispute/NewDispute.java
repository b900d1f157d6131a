package dev.marketplace.orders.domain.dispute;

import dev.marketplace.orders.domain.payment.Money;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What a buyer opens a dispute with.
 *
 * @param asked the partial refund asked; null for a full refund
 */
public record NewDispute(UUID orderId, DisputeReason reason, String description, List<String> evidenceUris, Money asked) {

  public NewDispute {
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(description, "description");
    evidenceUris = List.copyOf(evidenceUris);
  }
}
