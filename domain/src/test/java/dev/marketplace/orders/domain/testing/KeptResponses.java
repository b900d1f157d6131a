package dev.marketplace.orders.domain.testing;

import dev.marketplace.orders.domain.idempotency.ResponseFormat;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A response format for domain tests whose response is the domain result itself. What is "stored" is
 * a token for the object kept here, so a replayed call answers with the very object the first call
 * returned: {@code isSameAs} tells a replay from a second execution.
 */
public final class KeptResponses<R> implements ResponseFormat<R, R> {

  private final Map<String, R> kept = new ConcurrentHashMap<>();

  @Override
  public R render(R result) {
    return result;
  }

  @Override
  public byte[] serialize(R response) {
    String token = UUID.randomUUID().toString();
    kept.put(token, response);
    return token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public R deserialize(byte[] stored) {
    R response = kept.get(new String(stored, StandardCharsets.UTF_8));
    if (response == null) {
      throw new IllegalStateException("no response kept under this token: it was stored by another format");
    }
    return response;
  }
}
