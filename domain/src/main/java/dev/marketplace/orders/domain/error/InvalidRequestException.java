package dev.marketplace.orders.domain.error;

import java.util.List;
import java.util.Map;

/** The request is malformed; every offending field is listed so a caller can fix them all at once. */
public final class InvalidRequestException extends DomainException {

  private final List<FieldViolation> violations;

  public InvalidRequestException(List<FieldViolation> violations) {
    super("INVALID_REQUEST", describe(violations), Map.of());
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("an invalid request needs at least one violation");
    }
    this.violations = List.copyOf(violations);
  }

  public static InvalidRequestException of(String field, String description) {
    return new InvalidRequestException(List.of(new FieldViolation(field, description)));
  }

  public List<FieldViolation> violations() {
    return violations;
  }

  private static String describe(List<FieldViolation> violations) {
    StringBuilder message = new StringBuilder("invalid request: ");
    for (int i = 0; i < violations.size(); i++) {
      FieldViolation v = violations.get(i);
      message.append(i == 0 ? "" : "; ");
      if (!v.field().isEmpty()) {
        // An empty field is about the request as a whole, as in google.rpc.BadRequest.
        message.append(v.field()).append(": ");
      }
      message.append(v.description());
    }
    return message.toString();
  }
}
