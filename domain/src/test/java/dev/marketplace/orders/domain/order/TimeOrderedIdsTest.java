package dev.marketplace.orders.domain.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.testing.MutableClock;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:15:30.123Z"));
  private final TimeOrderedIds ids = new TimeOrderedIds(clock);

  @Test
  void next_isAnRfc9562Version7UuidCarryingTheClockMillis() {
    UUID id = ids.next();

    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(clock.millis());
  }

  @Test
  void idsOfLaterMilliseconds_sortAfterEarlierOnes_asUuidsAndAsStoredBytes() {
    List<UUID> generated = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      generated.add(ids.next());
      clock.advance(Duration.ofMillis(1));
    }

    for (int i = 1; i < generated.size(); i++) {
      UUID earlier = generated.get(i - 1);
      UUID later = generated.get(i);
      assertThat(later).isGreaterThan(earlier);
      assertThat(compareUnsignedBytes(bytes(later), bytes(earlier)))
          .as("BINARY(16) order of %s after %s", later, earlier)
          .isPositive();
    }
  }

  @Test
  void idsOfTheSameMillisecond_areStillDistinct() {
    var seen = new HashSet<UUID>();
    for (int i = 0; i < 1000; i++) {
      seen.add(ids.next());
    }

    assertThat(seen).hasSize(1000);
  }

  private static byte[] bytes(UUID id) {
    return ByteBuffer.allocate(16)
        .putLong(id.getMostSignificantBits())
        .putLong(id.getLeastSignificantBits())
        .array();
  }

  private static int compareUnsignedBytes(byte[] a, byte[] b) {
    for (int i = 0; i < a.length; i++) {
      int c = Integer.compare(a[i] & 0xFF, b[i] & 0xFF);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
