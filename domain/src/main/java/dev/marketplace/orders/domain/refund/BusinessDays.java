package dev.marketplace.orders.domain.refund;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** Business days are Monday to Friday (UTC); public holidays are not modelled. */
public final class BusinessDays {

  private BusinessDays() {}

  /**
   * The instant {@code days} business days after {@code start}, at the same time of day. Starting
   * on a weekend counts from the following Monday's business day.
   */
  public static Instant add(Instant start, int days) {
    if (days < 0) {
      throw new IllegalArgumentException("days must not be negative: " + days);
    }
    ZonedDateTime t = start.atZone(ZoneOffset.UTC);
    int left = days;
    while (left > 0) {
      t = t.plusDays(1);
      if (isBusinessDay(t.getDayOfWeek())) {
        left--;
      }
    }
    return t.toInstant();
  }

  static boolean isBusinessDay(DayOfWeek day) {
    return day != DayOfWeek.SATURDAY && day != DayOfWeek.SUNDAY;
  }
}
