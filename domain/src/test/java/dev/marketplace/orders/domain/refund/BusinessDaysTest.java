package dev.marketplace.orders.domain.refund;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Refund windows are counted in business days: Monday to Friday, UTC, at the same time of day. */
class BusinessDaysTest {

  private static final Instant FRIDAY = Instant.parse("2026-01-02T16:45:10.123456Z");
  private static final Instant SATURDAY = Instant.parse("2026-01-03T09:00:00Z");
  private static final Instant SUNDAY = Instant.parse("2026-01-04T23:59:59Z");
  private static final Instant MONDAY = Instant.parse("2026-01-05T08:30:00Z");
  private static final Instant WEDNESDAY = Instant.parse("2026-01-07T12:00:00Z");

  @Test
  void oneBusinessDayAfterAFriday_isTheFollowingMondayAtTheSameTime() {
    assertThat(BusinessDays.add(FRIDAY, 1)).isEqualTo(Instant.parse("2026-01-05T16:45:10.123456Z"));
  }

  @Test
  void startingOnAWeekend_countsFromMonday() {
    assertThat(BusinessDays.add(SATURDAY, 1)).isEqualTo(Instant.parse("2026-01-05T09:00:00Z"));
    assertThat(BusinessDays.add(SUNDAY, 1)).isEqualTo(Instant.parse("2026-01-05T23:59:59Z"));
    assertThat(BusinessDays.add(SATURDAY, 3)).as("Mon, Tue, Wed").isEqualTo(Instant.parse("2026-01-07T09:00:00Z"));
    assertThat(BusinessDays.add(SATURDAY, 20)).as("four working weeks").isEqualTo(Instant.parse("2026-01-30T09:00:00Z"));
  }

  @Test
  void threeBusinessDays_skipTheWeekendInBetween() {
    assertThat(BusinessDays.add(MONDAY, 3)).as("Tue, Wed, Thu").isEqualTo(Instant.parse("2026-01-08T08:30:00Z"));
    assertThat(BusinessDays.add(WEDNESDAY, 3)).as("Thu, Fri, Mon").isEqualTo(Instant.parse("2026-01-12T12:00:00Z"));
    assertThat(BusinessDays.add(FRIDAY, 3)).as("Mon, Tue, Wed").isEqualTo(Instant.parse("2026-01-07T16:45:10.123456Z"));
  }

  @Test
  void twentyBusinessDays_areFourCalendarWeeks() {
    assertThat(BusinessDays.add(FRIDAY, 20)).isEqualTo(Instant.parse("2026-01-30T16:45:10.123456Z"));
    assertThat(BusinessDays.add(MONDAY, 20)).isEqualTo(Instant.parse("2026-02-02T08:30:00Z"));
  }

  @Test
  void dayOfWeekIsTakenInUtc_notInTheMachinesZone() {
    // Friday 23:30 UTC is already Saturday east of UTC; in UTC the next business day is Monday.
    assertThat(BusinessDays.add(Instant.parse("2026-01-02T23:30:00Z"), 1)).isEqualTo(Instant.parse("2026-01-05T23:30:00Z"));
    // Sunday 23:30 UTC: Monday is the first business day.
    assertThat(BusinessDays.add(Instant.parse("2026-01-04T23:30:00Z"), 1)).isEqualTo(Instant.parse("2026-01-05T23:30:00Z"));
  }

  @Test
  void zeroBusinessDays_isTheStartItself() {
    assertThat(BusinessDays.add(WEDNESDAY, 0)).isEqualTo(WEDNESDAY);
  }

  @Test
  void negativeDays_areRefused() {
    assertThatIllegalArgumentException().isThrownBy(() -> BusinessDays.add(MONDAY, -1)).withMessageContaining("-1");
  }
}
