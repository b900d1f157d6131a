package dev.marketplace.orders.domain.cancellation;

import java.security.SecureRandom;

/**
 * Short references a buyer can read out to support: a prefix ("CR-" for cancellation requests,
 * "SC-" for support cases) and 10 characters of Crockford's base32 (no I, L, O, U), 50 random bits.
 * The table's unique key catches the improbable repeat.
 */
public final class RequestReferences {

  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private final SecureRandom random = new SecureRandom();
  private final String prefix;

  /** Cancellation requests' references: "CR-...". */
  public RequestReferences() {
    this("CR-");
  }

  public RequestReferences(String prefix) {
    this.prefix = prefix;
  }

  public String next() {
    StringBuilder reference = new StringBuilder(prefix);
    long bits = random.nextLong();
    for (int i = 0; i < 10; i++) {
      reference.append(ALPHABET[(int) (bits & 31)]);
      bits >>>= 5;
    }
    return reference.toString();
  }
}
