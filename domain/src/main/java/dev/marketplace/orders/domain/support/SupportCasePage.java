package dev.marketplace.orders.domain.support;

import java.util.List;
import java.util.Optional;

/** One page of the support queue and where the next one starts. */
public record SupportCasePage(List<SupportCaseView> cases, Optional<SupportCaseCursor> next) {

  public SupportCasePage {
    cases = List.copyOf(cases);
  }
}
