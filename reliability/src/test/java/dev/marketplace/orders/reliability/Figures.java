package dev.marketplace.orders.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The figures of a run, one line per fault, printed and appended to
 * {@code reliability/target/reliability-figures.md} (replaced by each run) so that
 * {@code docs/reliability.md} can quote the last run.
 */
final class Figures {

  private static final Path FILE = Path.of("target", "reliability-figures.md");
  private static boolean started;

  private Figures() {}

  /** Records one line; the first line of a test run replaces the figures of earlier runs. */
  static synchronized void record(String fault, String figures) {
    String line = "| " + fault + " | " + figures + " | " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " |";
    System.out.println("RELIABILITY " + line);
    try {
      Files.createDirectories(FILE.getParent());
      if (!started) {
        Files.writeString(FILE, "| fault | figures | finished |\n| --- | --- | --- |\n");
        started = true;
      }
      Files.writeString(FILE, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      System.err.println("could not write " + FILE + ": " + e.getMessage());
    }
  }
}
