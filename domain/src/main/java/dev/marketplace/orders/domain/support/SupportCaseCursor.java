package dev.marketplace.orders.domain.support;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** Position in the support queue (oldest first, by creation time, then id): the last case of the previous page. */
public record SupportCaseCursor(Instant createdAt, UUID caseId) {

  public SupportCaseCursor {
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(caseId, "caseId");
  }

  public static SupportCaseCursor after(SupportCase supportCase) {
    return new SupportCaseCursor(supportCase.createdAt(), supportCase.id());
  }
}
