package dev.marketplace.orders.domain.order;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * Makes the ids of new rows - orders, cancellation requests, refunds - as time-ordered UUIDs (RFC 9562
 * version 7): 48 bits of Unix milliseconds, then random bits. New rows land at the end of the primary
 * key index instead of at random pages.
 */
public final class TimeOrderedIds {

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public TimeOrderedIds(Clock clock) {
    this.clock = clock;
  }

  public UUID next() {
    long millis = clock.millis();
    long randomA = random.nextInt(1 << 12);
    long mostSignificant = (millis << 16) | (0x7L << 12) | randomA;
    long leastSignificant = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(mostSignificant, leastSignificant);
  }
}
