package dev.marketplace.orders.domain.testing;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.idempotency.IdempotencyKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/** Idempotency keys as the edge builds them: the caller's namespace, a call id, the operation, a SHA-256 of the request. */
public final class IdempotencyKeys {

  private IdempotencyKeys() {}

  /** A fresh call id for one call; the fingerprint hashes {@code request.toString()}. */
  public static IdempotencyKey fresh(Principal caller, String operation, Object request) {
    return new IdempotencyKey(caller.idempotencyNamespace(), UUID.randomUUID(), operation, sha256(String.valueOf(request)));
  }

  public static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
