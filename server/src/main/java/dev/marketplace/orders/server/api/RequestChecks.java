package dev.marketplace.orders.server.api;

import dev.marketplace.orders.domain.error.FieldViolation;
import dev.marketplace.orders.domain.error.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Collects every invalid field of one request (paths as in the proto, e.g. {@code order.line_items[0].quantity})
 * and throws them together, so a caller fixes all of them in one round trip.
 */
final class RequestChecks {

  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private final List<FieldViolation> violations = new ArrayList<>();

  void add(String field, String description) {
    violations.add(new FieldViolation(field, description));
  }

  boolean ok() {
    return violations.isEmpty();
  }

  /** A required single-line text of 1 to {@code max} characters without control characters. */
  String required(String field, String value, int max) {
    if (value.isBlank()) {
      add(field, "required");
      return value;
    }
    return optional(field, value, max);
  }

  /** An optional single-line text of at most {@code max} characters without control characters. */
  String optional(String field, String value, int max) {
    int length = value.codePointCount(0, value.length());
    if (length > max) {
      add(field, "at most " + max + " characters, got " + length);
    } else if (value.codePoints().anyMatch(Character::isISOControl)) {
      add(field, "must not contain control characters");
    }
    return value.strip();
  }

  /**
   * Optional free text (line breaks and tabs allowed, other control characters not) of at most
   * {@code max} characters, such as an explanation or a note.
   */
  String optionalText(String field, String value, int max) {
    int length = value.codePointCount(0, value.length());
    if (length > max) {
      add(field, "at most " + max + " characters, got " + length);
    } else if (value.codePoints().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
      add(field, "must not contain control characters other than line breaks and tabs");
    }
    return value.strip();
  }

  /** An optional UUID; empty when absent, and a violation when malformed. */
  Optional<UUID> optionalUuid(String field, String value) {
    return value.isEmpty() ? Optional.empty() : Optional.ofNullable(uuid(field, value));
  }

  /** A required UUID such as 0190c6a2-7f3e-7b1a-9c2d-4e5f6a7b8c9d; null when invalid. */
  UUID uuid(String field, String value) {
    if (value.isEmpty()) {
      add(field, "required");
      return null;
    }
    if (!UUID_TEXT.matcher(value).matches()) {
      add(field, "must be a UUID such as 0190c6a2-7f3e-7b1a-9c2d-4e5f6a7b8c9d");
      return null;
    }
    return UUID.fromString(value);
  }

  Optional<String> optionalId(String field, String value, int max) {
    if (value.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(required(field, value, max));
  }

  void throwIfInvalid() {
    if (!violations.isEmpty()) {
      throw new InvalidRequestException(violations);
    }
  }
}
