package dev.marketplace.orders.server.api;

import dev.marketplace.orders.domain.access.PartyIds;
import dev.marketplace.orders.domain.error.FieldViolation;
import dev.marketplace.orders.domain.error.InvalidRequestException;
import dev.marketplace.orders.domain.order.OrderQuery;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Collects every invalid field of one request (paths as in the proto, e.g. {@code order.line_items[0].quantity})
 * and throws them together, so a caller fixes all of them in one round trip.
 *
 * <p>The refusal travels in the call's trailers, which gRPC clients cap (8 KiB by default): so at most
 * {@value #MAX_LISTED} violations of at most about {@value #MAX_LISTED_CHARACTERS} characters are listed,
 * followed by a count of the rest, and a caller's value is quoted back only when it is short and printable.
 */
final class RequestChecks {

  static final int MAX_LISTED = 10;
  static final int MAX_LISTED_CHARACTERS = 1000;
  private static final int MAX_QUOTED = 16;

  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private final List<FieldViolation> violations = new ArrayList<>();
  private final Set<String> reportedFields = new HashSet<>();
  private int listedCharacters;
  private int unlisted;

  void add(String field, String description) {
    reportedFields.add(field);
    int size = field.length() + description.length();
    if (!violations.isEmpty() && (violations.size() >= MAX_LISTED || listedCharacters + size > MAX_LISTED_CHARACTERS)) {
      unlisted++;
      return;
    }
    violations.add(new FieldViolation(field, description));
    listedCharacters += size;
  }

  /**
   * The domain's rules between fields (a note required for one reason, an amount for one outcome).
   * A field already reported, or a field inside it, is not reported again: a malformed amount is
   * not also a missing one.
   */
  void addRules(List<FieldViolation> problems) {
    for (FieldViolation problem : problems) {
      String field = problem.field();
      if (reportedFields.stream().noneMatch(reported -> reported.equals(field) || reported.startsWith(field + "."))) {
        add(field, problem.description());
      }
    }
  }

  boolean ok() {
    return violations.isEmpty();
  }

  /** A caller's value for a message: quoted when short and printable, otherwise only its length. */
  static String quote(String value) {
    int length = value.codePointCount(0, value.length());
    if (length <= MAX_QUOTED && value.codePoints().allMatch(RequestChecks::printable)) {
      return "'" + value + "'";
    }
    return "a value of " + length + " characters";
  }

  /**
   * A map key for a field path: the key itself when it is a valid key (at most {@code max} printable
   * characters), otherwise its start with anything unprintable replaced, so a path stays short.
   */
  static String pathKey(String key, int max) {
    if (key.codePointCount(0, key.length()) <= max && key.codePoints().allMatch(RequestChecks::printable)) {
      return key;
    }
    StringBuilder shown = new StringBuilder();
    key.codePoints().limit(MAX_QUOTED).forEach(c -> shown.appendCodePoint(printable(c) ? c : '\ufffd'));
    return shown.append('\u2026').toString();
  }

  private static boolean printable(int c) {
    int type = Character.getType(c);
    return !Character.isISOControl(c)
        && type != Character.FORMAT
        && type != Character.SURROGATE
        && type != Character.UNASSIGNED
        && type != Character.PRIVATE_USE;
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

  /**
   * A party's id (a buyer's, a seller's) by the rule of {@link PartyIds}. Never trimmed: the id that
   * is checked is the id that is stored and compared, so {@code "buyer-1 "} is refused rather than
   * quietly becoming {@code "buyer-1"}.
   */
  String partyId(String field, String value) {
    PartyIds.problem(value).ifPresent(problem -> add(field, problem));
    return value;
  }

  /** An optional party id (a filter); empty when absent. */
  Optional<String> optionalPartyId(String field, String value) {
    return value.isEmpty() ? Optional.empty() : Optional.of(partyId(field, value));
  }

  /** A {@code page_size}: 0 asks for the default, more than the maximum gets the maximum, a negative one is invalid. */
  int pageSize(int requested) {
    if (requested < 0) {
      add("page_size", "must not be negative");
    }
    return OrderQuery.effectivePageSize(requested);
  }

  void throwIfInvalid() {
    if (violations.isEmpty()) {
      return;
    }
    List<FieldViolation> listed = new ArrayList<>(violations);
    if (unlisted > 0) {
      listed.add(new FieldViolation("", "and " + unlisted + " more not listed"));
    }
    throw new InvalidRequestException(listed);
  }
}
