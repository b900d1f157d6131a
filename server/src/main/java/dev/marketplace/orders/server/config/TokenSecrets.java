package dev.marketplace.orders.server.config;

import dev.marketplace.orders.server.auth.AuthSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Where the secrets come from. The HS256 token secret is the configured one or - only with the
 * embedded development database - a random secret generated once into the data directory, so a
 * fresh checkout serves and mints tokens for itself without setup. With an external database the
 * service needs an HS256 secret or public keys; page tokens are signed with their own secret or,
 * failing that, the HS256 one.
 */
public final class TokenSecrets {

  static final String DEV_SECRET_FILE = "dev-hs256-secret";

  private TokenSecrets() {}

  /** The HS256 secret to verify (and, in development, mint) tokens with; empty with public keys only. */
  public static Optional<String> hs256(ServerConfig config) {
    if (config.auth().hs256Secret().isPresent()) {
      return config.auth().hs256Secret();
    }
    if (config.database().embedded()) {
      return Optional.of(devSecret(config.database().dataDir()));
    }
    if (config.auth().publicKeyFile().isEmpty() && config.auth().jwksFile().isEmpty()) {
      throw new IllegalArgumentException(
          "invalid configuration: with an external database (ORDERS_DB_URL) tokens need ORDERS_AUTH_HS256_SECRET, "
              + "ORDERS_AUTH_PUBLIC_KEY_FILE or ORDERS_AUTH_JWKS_FILE");
    }
    return Optional.empty();
  }

  /**
   * The HS256 secret for the development {@code token} command: the configured one, or the one a
   * server generated into the data directory. Never creates one - a token signed with a secret that
   * no server uses would be refused by every server - and takes no lock, so it works while the
   * server runs.
   */
  public static String forMinting(ServerConfig config) {
    if (config.auth().hs256Secret().isPresent()) {
      return config.auth().hs256Secret().get();
    }
    if (!config.database().embedded()) {
      throw new StartupException(
          "no HS256 secret to sign with: pass the servers' secret with --auth-hs256-secret (ORDERS_AUTH_HS256_SECRET)");
    }
    Path file = config.database().dataDir().resolve(DEV_SECRET_FILE);
    if (!Files.exists(file)) {
      throw new StartupException(
          "no token secret in the data directory " + config.database().dataDir().toAbsolutePath()
              + " yet: start the server once on that directory (it generates one), or pass the servers' secret with --auth-hs256-secret");
    }
    try {
      return Files.readString(file).trim();
    } catch (IOException e) {
      throw new StartupException("cannot read the token secret " + file.toAbsolutePath() + ": " + StartupException.describe(e));
    }
  }

  /** The settings tokens are verified with, the resolved HS256 secret included. */
  public static AuthSettings authSettings(ServerConfig config) {
    AuthSettings a = config.auth();
    return new AuthSettings(
        hs256(config), a.publicKeyFile(), a.publicKeyId(), a.jwksFile(), a.issuer(), a.audience(), a.clockSkew(), a.maxTokenLifetime(),
        a.requireServiceClientCertificate());
  }

  public static String pageTokenSecret(ServerConfig config) {
    return config.pageTokenSecret()
        .or(() -> hs256(config))
        .orElseThrow(
            () -> new IllegalArgumentException("invalid configuration: set ORDERS_PAGE_TOKEN_SECRET when tokens are verified with public keys only"));
  }

  private static String devSecret(Path dataDir) {
    Path file = dataDir.resolve(DEV_SECRET_FILE);
    try {
      if (Files.exists(file)) {
        return Files.readString(file).trim();
      }
      Files.createDirectories(dataDir);
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
