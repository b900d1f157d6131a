package dev.marketplace.orders.server.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Where the HS256 secret comes from: the configuration, or - only for the embedded development
 * database - a random secret generated once into the data directory, so that a fresh checkout
 * serves (and mints tokens for itself) without any setup. An external database without a
 * configured secret is a deployment mistake and refuses to start.
 */
public final class TokenSecrets {

  static final String DEV_SECRET_FILE = "dev-hs256-secret";

  private TokenSecrets() {}

  public static String resolve(ServerConfig config) {
    if (config.hs256Secret().isPresent()) {
      return config.hs256Secret().get();
    }
    if (!config.embeddedDatabase()) {
      throw new IllegalArgumentException(
          "invalid configuration: ORDERS_AUTH_HS256_SECRET is required with an external database (ORDERS_DB_URL)");
    }
    Path file = config.dataDir().resolve(DEV_SECRET_FILE);
    try {
      if (Files.exists(file)) {
        return Files.readString(file).trim();
      }
      Files.createDirectories(config.dataDir());
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      Files.writeString(file, secret);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system; the data directory's own permissions apply.
      }
      return secret;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read or create the development token secret " + file, e);
    }
  }
}
