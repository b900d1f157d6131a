package dev.marketplace.orders.domain.cancellation;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** Position in a request listing (pending first, then by deadline, then id): the last request of the previous page. */
public record CancellationRequestCursor(boolean pending, Instant respondBy, UUID cancellationRequestId) {

  public CancellationRequestCursor {
    Objects.requireNonNull(respondBy, "respondBy");
    Objects.requireNonNull(cancellationRequestId, "cancellationRequestId");
  }

  public static CancellationRequestCursor after(CancellationRequest request) {
    return new CancellationRequestCursor(request.state().isPending(), request.respondBy(), request.id());
  }
}
