package dev.marketplace.orders.domain.access;

import java.util.Optional;

/**
 * What may be a party's id (a buyer, a seller, a support agent, a service account): 1 to
 * {@value #MAX_LENGTH} characters, no whitespace at either end, and no control, format, line-breaking
 * or unpaired surrogate characters anywhere. Ids are compared exactly, byte for byte, in Java and in
 * the database; this rule keeps look-alikes ({@code "buyer-1 "}, {@code "buyer-1\u00a0"},
 * {@code "buyer-1\u200b"}) from ever becoming ids, whether they come in a token's subject or in a
 * request.
 */
public final class PartyIds {

  public static final int MAX_LENGTH = 64;

  private PartyIds() {}

  /** Why {@code id} cannot be a party id, or empty when it can. */
  public static Optional<String> problem(String id) {
    if (id == null || id.isEmpty()) {
      return Optional.of("required");
    }
    int length = id.codePointCount(0, id.length());
    if (length > MAX_LENGTH) {
      return Optional.of("at most " + MAX_LENGTH + " characters, got " + length);
    }
    if (id.codePoints().anyMatch(PartyIds::forbidden)) {
      return Optional.of("must not contain control, format or line-separator characters");
    }
    if (blank(id.codePointAt(0)) || blank(id.codePointBefore(id.length()))) {
      return Optional.of("must not start or end with whitespace");
    }
    return Optional.empty();
  }

  public static boolean isValid(String id) {
    return problem(id).isEmpty();
  }

  private static boolean forbidden(int c) {
    int type = Character.getType(c);
    return type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.SURROGATE
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR;
  }

  /** Whitespace in Java's sense or Unicode's (the no-break spaces are only the latter). */
  private static boolean blank(int c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }
}
