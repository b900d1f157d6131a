package dev.marketplace.orders.domain.returns;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** What a buyer asks to return: which units, why, and the evidence. */
public record NewReturn(UUID orderId, List<ReturnLine> lines, ReturnReason reason, String description, List<String> evidenceUris) {

  public NewReturn {
    Objects.requireNonNull(orderId, "orderId");
    lines = List.copyOf(lines);
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(description, "description");
    evidenceUris = List.copyOf(evidenceUris);
  }
}
