package dev.marketplace.orders.domain.idempotency;

import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * Identifies one logical mutating call: the caller's namespace, the call id they chose (the API's
 * {@code request_id}), the operation, and a fingerprint (a hash) of the request's content. Same caller
 * + call id means "the same call again"; if the operation or fingerprint differ, the id was reused for
 * another call.
 */
public record IdempotencyKey(String caller, UUID callId, String operation, byte[] fingerprint) {

  /** Column sizes of the idempotency table: a longer value would be truncated, a shorter fingerprint padded. */
  public static final int MAX_CALLER_LENGTH = 80;
  public static final int MAX_OPERATION_LENGTH = 100;
  public static final int FINGERPRINT_LENGTH = 32;

  public IdempotencyKey {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(operation, "operation");
    fingerprint = fingerprint.clone();
    if (caller.isEmpty() || caller.length() > MAX_CALLER_LENGTH) {
      throw new IllegalArgumentException("caller must have 1 to " + MAX_CALLER_LENGTH + " characters");
    }
    if (operation.isEmpty() || operation.length() > MAX_OPERATION_LENGTH) {
      throw new IllegalArgumentException("operation must have 1 to " + MAX_OPERATION_LENGTH + " characters");
    }
    if (fingerprint.length != FINGERPRINT_LENGTH) {
      throw new IllegalArgumentException("fingerprint must be " + FINGERPRINT_LENGTH + " bytes (SHA-256)");
    }
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
        && callId.equals(k.callId)
        && operation.equals(k.operation)
        && Arrays.equals(fingerprint, k.fingerprint);
  }

  @Override
  public int hashCode() {
    return Objects.hash(caller, callId, operation, Arrays.hashCode(fingerprint));
  }
}
