package dev.marketplace.orders.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * CPU time spent so far by the three parties of a run on this machine: this program (the callers,
 * with the client module or plain JDBC), the server process (over JMX), and the database server
 * (every {@code mariadbd}/{@code mysqld} process, from {@code /proc}; zero where that cannot be read).
 */
final class CpuMeters {

  /** CPU time per party at one moment. */
  record Reading(Duration callers, Duration server, Duration database) {
    Reading minus(Reading earlier) {
      return new Reading(callers.minus(earlier.callers), server.minus(earlier.server), database.minus(earlier.database));
    }
  }

  private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

  private CpuMeters() {}

  static Reading read(ServerUnderTest server) throws Exception {
    return new Reading(self(), server == null ? Duration.ZERO : server.cpuTime(), database());
  }

  static Duration self() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return Duration.ofNanos(os.getProcessCpuTime());
    }
    return Duration.ZERO;
  }

  static Duration database() {
    long ticks = 0;
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
      for (Path process : processes) {
        try {
          String stat = Files.readString(process.resolve("stat"));
          int open = stat.indexOf('(');
          int close = stat.lastIndexOf(')');
          String name = stat.substring(open + 1, close);
          if (name.equals("mariadbd") || name.equals("mysqld")) {
            String[] fields = stat.substring(close + 2).split(" ");
            ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
          }
        } catch (IOException | RuntimeException e) {
          // the process went away, or this is not Linux
        }
      }
    } catch (IOException e) {
      return Duration.ZERO;
    }
    return Duration.ofMillis(ticks * 1000 / TICKS_PER_SECOND);
  }
}
