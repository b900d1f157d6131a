package dev.marketplace.orders.domain.error;

import java.util.Map;

/**
 * A call id (the API's {@code request_id}) was sent again with a different request (INVALID_ARGUMENT):
 * a call id is single-use per logical call. Named, like its reason, after the field the caller sees.
 */
public final class RequestIdReusedException extends DomainException {

  public RequestIdReusedException(String callId) {
    super(
        "REQUEST_ID_REUSED",
        "request_id " + callId + " was already used for a different request",
        Map.of("requestId", callId));
  }
}
