package dev.marketplace.orders.server.config;

import dev.marketplace.orders.server.config.ServerConfig.Setting;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads settings from a map keyed by environment variable name, each as its type, falling back to
 * its default. A value that does not parse or is out of range is a problem; every problem is
 * collected, and {@link #throwIfInvalid} reports them all at once.
 */
final class SettingsReader {

  private final Map<String, String> settings;
  private final List<String> problems = new ArrayList<>();

  SettingsReader(Map<String, String> settings) {
    this.settings = settings;
  }

  String text(Setting s) {
    String value = settings.get(s.env());
    return value == null ? s.defaultValue() : value.trim();
  }

  Optional<String> optional(Setting s) {
    String value = text(s);
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  int integer(Setting s, int min, int max) {
    String value = text(s);
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < min || parsed > max) {
        problem(s.env() + " must be between " + min + " and " + max + ", was " + value);
      }
      return parsed;
    } catch (NumberFormatException e) {
      problem(s.env() + " must be a whole number, was '" + value + "'");
      return Integer.parseInt(s.defaultValue());
    }
  }

  Duration duration(Setting s) {
    String value = text(s);
    try {
      Duration parsed = Duration.parse(value);
      if (parsed.isNegative()) {
        problem(s.env() + " must not be negative, was " + value);
      }
      return parsed;
    } catch (DateTimeParseException e) {
      problem(s.env() + " must be an ISO-8601 duration such as PT20S, was '" + value + "'");
      return Duration.parse(s.defaultValue());
    }
  }

  Duration positiveDuration(Setting s) {
    Duration value = duration(s);
    if (value.isZero()) {
      problem(s.env() + " must be longer than zero");
      return Duration.parse(s.defaultValue());
    }
    return value;
  }

  boolean bool(Setting s) {
    String value = text(s).toLowerCase();
    if (!value.equals("true") && !value.equals("false")) {
      problem(s.env() + " must be true or false, was '" + value + "'");
    }
    return value.equals("true");
  }

  String address(Setting s) {
    String value = text(s);
    try {
      InetAddress.getByName(value);
    } catch (UnknownHostException e) {
      problem(s.env() + " is not an address of this machine: " + value);
    }
    return value;
  }

  /** A file the server reads at start; empty when not set. */
  Optional<Path> file(Setting s) {
    Optional<String> value = optional(s);
    if (value.isPresent() && !Files.isReadable(Path.of(value.get()))) {
      problem(s.env() + " is not a readable file: " + value.get());
    }
    return value.map(Path::of);
  }

  /** An HMAC-SHA256 secret: at least 32 characters, a 256-bit key. */
  Optional<String> secret(Setting s) {
    Optional<String> value = optional(s);
    if (value.isPresent() && value.get().length() < 32) {
      problem(s.env() + " must be at least 32 characters (HS256 needs a 256-bit key)");
    }
    return value;
  }

  void problem(String problem) {
    problems.add(problem);
  }

  /** How many problems so far: a concern whose reading added some returns its defaults instead of an invalid value. */
  int problemCount() {
    return problems.size();
  }

  void throwIfInvalid() {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid configuration: " + String.join("; ", problems));
    }
  }
}
