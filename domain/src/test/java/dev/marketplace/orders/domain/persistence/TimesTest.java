package dev.marketplace.orders.domain.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Times go to the database as text with microseconds and come back as the same instant, whatever fraction the server sends. */
class TimesTest {

  @Test
  void roundTripsAtMicrosecondPrecision() {
    Instant t = Instant.parse("2026-11-26T10:15:30.123456Z");
    assertThat(Times.toDb(t)).isEqualTo("2026-11-26 10:15:30.123456");
    assertThat(Times.fromDb(Times.toDb(t))).isEqualTo(t);
  }

  @Test
  void readsEveryFractionLengthTheServerMaySend() {
    assertThat(Times.fromDb("2026-11-26 10:15:30")).isEqualTo(Instant.parse("2026-11-26T10:15:30Z"));
    assertThat(Times.fromDb("2026-11-26 10:15:30.5")).isEqualTo(Instant.parse("2026-11-26T10:15:30.500Z"));
    assertThat(Times.fromDb("2026-11-26 10:15:30.000001")).isEqualTo(Instant.parse("2026-11-26T10:15:30.000001Z"));
    assertThat(Times.fromDb("2026-11-26 10:15:30.123456789")).isEqualTo(Instant.parse("2026-11-26T10:15:30.123456789Z"));
    assertThat(Times.fromDb("1999-12-31 23:59:59.999999")).isEqualTo(Instant.parse("1999-12-31T23:59:59.999999Z"));
    assertThat(Times.fromDb(null)).isNull();
  }

  @Test
  void refusesWhatIsNotATime() {
    assertThatThrownBy(() -> Times.fromDb("2026-13-26 10:15:30")).isInstanceOf(java.time.DateTimeException.class);
    assertThatThrownBy(() -> Times.fromDb("yesterday")).isInstanceOf(java.time.DateTimeException.class);
  }
}
