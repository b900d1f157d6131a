package dev.marketplace.orders.domain.idempotency;

/**
 * How the edge turns a use case's result into its response, and stores and restores that response.
 * An idempotent retry answers with exactly the bytes of the first response, so the domain keeps the
 * response opaque: it only stores what {@link #serialize} gives it, in the transaction of the change.
 *
 * @param <R> the domain result
 * @param <T> the response the caller sees
 */
public interface ResponseFormat<R, T> {

  T render(R result);

  byte[] serialize(T response);

  T deserialize(byte[] stored);
}
