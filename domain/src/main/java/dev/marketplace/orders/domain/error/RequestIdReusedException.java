package dev.marketplace.orders.domain.error;

import java.util.Map;

/** A request id was sent again with a different request (INVALID_ARGUMENT): ids are single-use per logical call. */
public final class RequestIdReusedException extends DomainException {

  public RequestIdReusedException(String requestId) {
    super(
        "REQUEST_ID_REUSED",
        "request_id " + requestId + " was already used for a different request",
        Map.of("requestId", requestId));
  }
}
