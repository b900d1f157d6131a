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

  /**
   * Reads 'yyyy-MM-dd HH:mm:ss' with up to nine fraction digits. The usual shape is taken apart by
   * position (every order read parses several of these; the formatter was a measurable share of the
   * server's CPU); anything else goes through the formatter, which also reports what is wrong.
   */
  static Instant fromDb(String value) {
    if (value == null) {
      return null;
    }
    if (value.length() >= 19 && value.charAt(4) == '-' && value.charAt(7) == '-' && value.charAt(10) == ' '
        && value.charAt(13) == ':' && value.charAt(16) == ':' && (value.length() == 19 || value.charAt(19) == '.')) {
      try {
        int nanos = 0;
        if (value.length() > 20) {
          String fraction = value.substring(20);
          if (fraction.length() > 9) {
            return LocalDateTime.parse(value, READ).toInstant(ZoneOffset.UTC);
          }
          nanos = Integer.parseInt(fraction) * POWERS[9 - fraction.length()];
        }
        return LocalDateTime.of(
                Integer.parseInt(value, 0, 4, 10),
                Integer.parseInt(value, 5, 7, 10),
                Integer.parseInt(value, 8, 10, 10),
                Integer.parseInt(value, 11, 13, 10),
                Integer.parseInt(value, 14, 16, 10),
                Integer.parseInt(value, 17, 19, 10),
                nanos)
            .toInstant(ZoneOffset.UTC);
      } catch (NumberFormatException | java.time.DateTimeException e) {
        // fall through to the formatter and its message
      }
    }
    return LocalDateTime.parse(value, READ).toInstant(ZoneOffset.UTC);
  }

  private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000};
}
