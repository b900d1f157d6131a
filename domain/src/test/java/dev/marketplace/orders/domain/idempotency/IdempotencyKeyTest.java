package dev.marketplace.orders.domain.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdempotencyKeyTest {

  private static final UUID ID = UUID.randomUUID();

  @Test
  void keysThatWouldBeTruncatedOrPaddedInTheTable_areRefused() {
    assertThatThrownBy(() -> new IdempotencyKey("SERVICE:" + "x".repeat(80), ID, "op", new byte[32]))
        .hasMessageContaining("caller");
    assertThatThrownBy(() -> new IdempotencyKey("BUYER:b", ID, "op", new byte[20])).hasMessageContaining("fingerprint");
    assertThatThrownBy(() -> new IdempotencyKey("BUYER:b", ID, "o".repeat(101), new byte[32])).hasMessageContaining("operation");
  }

  @Test
  void sameRequest_meansSameOperationAndFingerprint() {
    byte[] fingerprint = new byte[32];
    IdempotencyKey key = new IdempotencyKey("BUYER:b", ID, "op", fingerprint);
    byte[] other = new byte[32];
    other[0] = 1;

    assertThat(key.sameRequestAs("op", fingerprint.clone())).isTrue();
    assertThat(key.sameRequestAs("other-op", fingerprint)).isFalse();
    assertThat(key.sameRequestAs("op", other)).isFalse();
  }
}
