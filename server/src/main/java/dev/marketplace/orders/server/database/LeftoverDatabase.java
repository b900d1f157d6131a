package dev.marketplace.orders.server.database;

import dev.marketplace.orders.server.config.StartupException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code mariadbd} still running on a data directory whose server has died. Only called with the
 * {@link DataDirectoryLock} held: no live server owns such a process, so stopping it is safe. A
 * process qualifies only if its executable is {@code mariadbd} or {@code mysqld} and its
 * {@code --datadir} is the very directory (same file, symlinks followed); nothing else is touched.
 */
final class LeftoverDatabase {

  private static final Logger log = LoggerFactory.getLogger(LeftoverDatabase.class);
  private static final Duration KILL_WITHIN = Duration.ofSeconds(10);

  private LeftoverDatabase() {}

  /** Stops every database process left running on {@code databaseDir}; fails if one will not stop. */
  static void stopAny(Path databaseDir) {
    if (!Files.isDirectory(databaseDir)) {
      return;
    }
    ProcessHandle.allProcesses()
        .filter(p -> p.pid() != ProcessHandle.current().pid() && isDatabaseOn(p.pid(), databaseDir))
        .forEach(p -> stop(p, databaseDir));
  }

  /** Whether process {@code pid} is a mariadbd (or mysqld) whose {@code --datadir} is {@code databaseDir}. */
  static boolean isDatabaseOn(long pid, Path databaseDir) {
    List<String> args = commandLine(pid);
    if (args.isEmpty()) {
      return false;
    }
    String executable = Path.of(args.get(0)).getFileName().toString();
    if (!executable.equals("mariadbd") && !executable.equals("mysqld")) {
      return false;
    }
    for (String arg : args) {
      if (arg.startsWith("--datadir=")) {
        // A relative --datadir is relative to the process's working directory.
        Path dir = Path.of("/proc", Long.toString(pid), "cwd").resolve(arg.substring("--datadir=".length()));
        try {
          return Files.isSameFile(dir, databaseDir);
        } catch (IOException | RuntimeException e) {
          return false;
        }
      }
    }
    return false;
  }

  private static void stop(ProcessHandle process, Path databaseDir) {
    String how = "SIGTERM";
    process.destroy();
    if (!exited(process, EmbeddedDatabase.STOP_WITHIN)) {
      how = "SIGKILL, after SIGTERM for " + EmbeddedDatabase.STOP_WITHIN;
      process.destroyForcibly();
      if (!exited(process, KILL_WITHIN)) {
        throw new StartupException(
            "a MariaDB (pid " + process.pid() + ") that a server which died left running on " + databaseDir
                + " does not stop; stop it, then start again");
      }
    }
    log.warn("stopped the embedded MariaDB (pid {}) left running on {} by a server that died ({})", process.pid(), databaseDir, how);
  }

  private static boolean exited(ProcessHandle process, Duration patience) {
    long end = System.nanoTime() + patience.toNanos();
    // An exited process whose parent died may wait a while to be reaped; it has no command line.
    while (process.isAlive() && !commandLine(process.pid()).isEmpty()) {
      if (System.nanoTime() > end) {
        return false;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return !process.isAlive() || commandLine(process.pid()).isEmpty();
      }
    }
    return true;
  }

  /** The process's arguments, argv[0] first; empty if it is gone, a zombie, or not ours to read. */
  private static List<String> commandLine(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      return raw.length == 0 ? List.of() : Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0"));
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }
}
