package dev.marketplace.orders.domain.cancellation;

import java.util.List;
import java.util.Optional;

/** One page of requests and where the next starts (empty on the last page). */
public record CancellationRequestPage(List<CancellationRequestView> requests, Optional<CancellationRequestCursor> next) {

  public CancellationRequestPage {
    requests = List.copyOf(requests);
  }
}
