package dev.marketplace.orders.domain.error;

import java.util.Map;

/**
 * A business outcome that ends a call without a result. Each subclass is one kind of outcome (bad
 * input, not found, wrong state, ...); the server maps the kind to a status code in one place. The
 * reason is a stable UPPER_SNAKE identifier and the metadata are lowerCamel facts a client can act on.
 * Messages are written for the caller: never SQL, class names or stack traces.
 */
public abstract class DomainException extends RuntimeException {

  private final String reason;
  private final Map<String, String> metadata;

  protected DomainException(String reason, String message, Map<String, String> metadata) {
    this(reason, message, metadata, null);
  }

  /** With the cause that led to it, for logs only; outcomes carry no stack trace of their own. */
  protected DomainException(String reason, String message, Map<String, String> metadata, Throwable cause) {
    super(message, cause, false, false);
    this.reason = reason;
    this.metadata = Map.copyOf(metadata);
  }

  public String reason() {
    return reason;
  }

  public Map<String, String> metadata() {
    return metadata;
  }
}
