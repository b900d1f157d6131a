package dev.marketplace.orders.domain.returns;

import java.util.List;
import java.util.Optional;

/** One page of returns and where the next starts (empty on the last page). */
public record ReturnPage(List<ReturnView> returns, Optional<ReturnCursor> next) {

  public ReturnPage {
    returns = List.copyOf(returns);
  }
}
