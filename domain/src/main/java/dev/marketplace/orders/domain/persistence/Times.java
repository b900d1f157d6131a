package dev.marketplace.orders.domain.persistence;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/**
 * Times are stored as UTC DATETIME(6) and travel as text with microseconds. Text, not
 * LocalDateTime, because mysql-connector-j drops fractional seconds from temporal parameters when the
 * server is MariaDB 10.x (it reports itself as "5.5.5-10.x", and 5.5 had no fractional seconds).
 */
final class Times {

  private static final DateTimeFormatter WRITE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
  private static final DateTimeFormatter READ =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd HH:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .optionalEnd()
          .toFormatter();

  private Times() {}

  static String toDb(Instant instant) {
    return instant == null ? null : WRITE.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
  }

  static Instant fromDb(String value) {
    return value == null ? null : LocalDateTime.parse(value, READ).toInstant(ZoneOffset.UTC);
  }
}
