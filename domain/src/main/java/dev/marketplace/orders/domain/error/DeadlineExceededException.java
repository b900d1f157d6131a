package dev.marketplace.orders.domain.error;

import java.util.Map;

/**
 * The caller's time ran out before the database work was done: it was not started, or a statement
 * was stopped at the deadline and the transaction rolled back. Nothing was changed; the caller may
 * retry with the same {@code request_id} and a fresh deadline.
 */
public final class DeadlineExceededException extends DomainException {

  public DeadlineExceededException(Throwable cause) {
    super("DEADLINE_EXCEEDED", "the deadline passed before the work was done; nothing was changed", Map.of(), cause);
  }
}
