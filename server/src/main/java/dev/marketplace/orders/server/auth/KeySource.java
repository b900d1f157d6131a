package dev.marketplace.orders.server.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current verification keys: the HS256 secret, a PEM public key and a JWKS file, as configured.
 * The files are read again when they change (looked at every few seconds), so keys rotate without a
 * restart: publish the new key next to the old one, switch the issuer, drop the old key later. A file
 * that cannot be read keeps the last good keys and says so in the log.
 */
public final class KeySource implements Supplier<VerificationKeys> {

  private static final Logger log = LoggerFactory.getLogger(KeySource.class);
  private static final Duration RECHECK = Duration.ofSeconds(5);

  private final AuthSettings settings;
  private final Clock clock;
  private volatile VerificationKeys current;
  private volatile Instant nextCheck;
  private volatile List<FileTime> loadedVersions;

  public KeySource(AuthSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.loadedVersions = versions();
    this.current = load();
    this.nextCheck = clock.instant().plus(RECHECK);
    if (current.size() == 0) {
      throw new IllegalArgumentException("no token verification key configured");
    }
  }

  @Override
  public VerificationKeys get() {
    Instant now = clock.instant();
    if (now.isAfter(nextCheck)) {
      synchronized (this) {
        if (now.isAfter(nextCheck)) {
          nextCheck = now.plus(RECHECK);
          List<FileTime> versions = versions();
          if (!versions.equals(loadedVersions)) {
            try {
              current = load();
              loadedVersions = versions;
              log.info("token verification keys reloaded: {} keys", current.size());
            } catch (UncheckedIOException e) {
              log.warn("token key files changed but could not be read; keeping the previous keys: {}", e.getMessage());
            }
          }
        }
      }
    }
    return current;
  }

  private VerificationKeys load() {
    List<VerificationKeys.Key> keys = new ArrayList<>();
    settings.hs256Secret().ifPresent(secret -> keys.add(VerificationKeys.hs256(secret)));
    try {
      if (settings.publicKeyFile().isPresent()) {
        keys.add(VerificationKeys.fromPem(settings.publicKeyFile().get(), settings.publicKeyId().orElse(null)));
      }
      if (settings.jwksFile().isPresent()) {
        keys.addAll(VerificationKeys.fromJwks(settings.jwksFile().get()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new VerificationKeys(keys);
  }

  private List<FileTime> versions() {
    List<FileTime> versions = new ArrayList<>();
    for (Optional<Path> file : List.of(settings.publicKeyFile(), settings.jwksFile())) {
      if (file.isPresent()) {
        try {
          versions.add(Files.getLastModifiedTime(file.get()));
        } catch (IOException e) {
          versions.add(FileTime.fromMillis(-1));
        }
      }
    }
    return versions;
  }
}
