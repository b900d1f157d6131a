package dev.marketplace.orders.domain.error;

import java.util.Map;

/** The resource does not exist, or the caller may not see it (the two are indistinguishable on purpose). */
public final class NotFoundException extends DomainException {

  public NotFoundException(String reason, String message, Map<String, String> metadata) {
    super(reason, message, metadata);
  }

  public static NotFoundException order(Object orderId) {
    return new NotFoundException(
        "ORDER_NOT_FOUND", "order " + orderId + " not found", Map.of("orderId", orderId.toString()));
  }
}
