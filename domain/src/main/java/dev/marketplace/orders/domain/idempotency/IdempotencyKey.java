package dev.marketplace.orders.domain.idempotency;

import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * Identifies one logical mutating call: the caller's namespace, the request id they chose, the
 * operation, and a fingerprint (a hash) of the request's content. Same caller + request id means
 * "the same call again"; if the operation or fingerprint differ, the id was reused for another call.
 */
public record IdempotencyKey(String caller, UUID requestId, String operation, byte[] fingerprint) {

  public IdempotencyKey {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(operation, "operation");
    fingerprint = fingerprint.clone();
  }

  public boolean sameRequestAs(String otherOperation, byte[] otherFingerprint) {
    return operation.equals(otherOperation) && Arrays.equals(fingerprint, otherFingerprint);
  }

  @Override
  public byte[] fingerprint() {
    return fingerprint.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdempotencyKey k
        && caller.equals(k.caller)
        && requestId.equals(k.requestId)
        && operation.equals(k.operation)
        && Arrays.equals(fingerprint, k.fingerprint);
  }

  @Override
  public int hashCode() {
    return Objects.hash(caller, requestId, operation, Arrays.hashCode(fingerprint));
  }
}
