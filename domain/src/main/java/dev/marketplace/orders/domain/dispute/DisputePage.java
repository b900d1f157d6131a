package dev.marketplace.orders.domain.dispute;

import java.util.List;
import java.util.Optional;

/** One page of disputes and where the next starts (empty on the last page). */
public record DisputePage(List<DisputeView> disputes, Optional<DisputeCursor> next) {

  public DisputePage {
    disputes = List.copyOf(disputes);
  }
}
