package dev.marketplace.orders.domain.error;

import java.util.Map;

/**
 * The database could not be reached or did not answer in time. Nothing was changed; retrying later
 * is safe (UNAVAILABLE). The cause is kept for logs only and never shown to callers.
 */
public final class StorageUnavailableException extends DomainException {

  public StorageUnavailableException(Throwable cause) {
    super("STORAGE_UNAVAILABLE", "the order database is unavailable; retry later", Map.of(), cause);
  }
}
