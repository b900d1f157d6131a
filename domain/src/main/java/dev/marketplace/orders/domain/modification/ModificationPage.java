package dev.marketplace.orders.domain.modification;

import java.util.List;
import java.util.Optional;

/** One page of modifications and where the next starts (empty on the last page). */
public record ModificationPage(List<ModificationView> modifications, Optional<ModificationCursor> next) {

  public ModificationPage {
    modifications = List.copyOf(modifications);
  }
}
