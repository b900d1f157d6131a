package dev.marketplace.orders.domain.dispute;

import dev.marketplace.orders.domain.payment.Money;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What a buyer opens a dispute with.
 *
 * @param asked the partial refund asked; null for a full refund or a return and refund
 * @param returnAsked a return and refund is asked: the goods go back, the refund follows their receipt
 */
public record NewDispute(UUID orderId, DisputeReason reason, String description, List<String> evidenceUris, Money asked, boolean returnAsked) {

  /** A refund asked (full when {@code asked} is null), no return. */
  public NewDispute(UUID orderId, DisputeReason reason, String description, List<String> evidenceUris, Money asked) {
    this(orderId, reason, description, evidenceUris, asked, false);
  }

  public NewDispute {
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(description, "description");
    evidenceUris = List.copyOf(evidenceUris);
    if (asked != null && returnAsked) {
      throw new IllegalArgumentException("a dispute asks a refund or a return and refund, not both");
    }
  }
}
