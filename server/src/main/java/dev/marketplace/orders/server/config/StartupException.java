package dev.marketplace.orders.server.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;

/**
 * A reason the server (or a subcommand) cannot run that the operator fixes without a stack trace: a
 * data directory held by another process, a port in use, a missing token secret. The message is one
 * line that says what is wrong and what to do; {@code Main} prints it and exits non-zero.
 */
public final class StartupException extends RuntimeException {

  public StartupException(String message) {
    super(message, null, false, false);
  }

  /** An I/O failure in words for such a message: "permission denied", "No space left on device". */
  public static String describe(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
