package dev.marketplace.orders.server.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How bearer tokens are verified: with the HS256 secret and/or public keys (a PEM file under an
 * optional key id, a JWKS file with key ids); {@code iss} and {@code aud} are checked when set;
 * {@code exp} and {@code nbf} allow {@code clockSkew}; {@code exp} may lie at most {@code maxTokenLifetime}
 * after {@code iat} (or after now, without {@code iat}). With {@code requireServiceClientCertificate}
 * (mutual TLS), a SERVICE token is accepted only on a connection whose client certificate names the
 * token's subject (its CN).
 */
public record AuthSettings(
    Optional<String> hs256Secret,
    Optional<Path> publicKeyFile,
    Optional<String> publicKeyId,
    Optional<Path> jwksFile,
    Optional<String> issuer,
    Optional<String> audience,
    Duration clockSkew,
    Duration maxTokenLifetime,
    boolean requireServiceClientCertificate) {

  /** Tokens minted for a working day; longer-lived credentials belong in mutual TLS, not bearer tokens. */
  public static final Duration DEFAULT_MAX_TOKEN_LIFETIME = Duration.ofHours(24);

  public AuthSettings {
    Objects.requireNonNull(clockSkew, "clockSkew");
    Objects.requireNonNull(maxTokenLifetime, "maxTokenLifetime");
  }

  /** Only the HS256 secret, no issuer or audience check, 30 s of clock skew. */
  public static AuthSettings hs256(String secret) {
    return new AuthSettings(
        Optional.of(secret), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Duration.ofSeconds(30), DEFAULT_MAX_TOKEN_LIFETIME, false);
  }
}
