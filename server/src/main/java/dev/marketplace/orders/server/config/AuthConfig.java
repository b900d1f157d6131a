package dev.marketplace.orders.server.config;

import dev.marketplace.orders.server.auth.AuthSettings;
import dev.marketplace.orders.server.config.ServerConfig.Setting;
import java.util.List;

/**
 * The settings of bearer-token verification, read into the auth package's own {@link AuthSettings}
 * (what the token verifier takes). Which HS256 secret is used in the end - the configured one, or
 * one generated for the embedded database - is {@link TokenSecrets}'.
 */
public final class AuthConfig {

  // Empty: with the embedded database one is generated into the data directory; an external one needs a secret or keys.
  static final Setting HS256_SECRET = new Setting("ORDERS_AUTH_HS256_SECRET", "", "HS256 secret for bearer tokens, at least 32 characters; empty with the embedded database generates one into the data directory");
  static final Setting PUBLIC_KEY_FILE = new Setting("ORDERS_AUTH_PUBLIC_KEY_FILE", "", "PEM public key (RSA or EC P-256) that RS256/ES256 tokens are verified with");
  static final Setting PUBLIC_KEY_ID = new Setting("ORDERS_AUTH_PUBLIC_KEY_ID", "", "key id (kid) tokens carry for that PEM key; empty: tokens without a kid");
  static final Setting JWKS_FILE = new Setting("ORDERS_AUTH_JWKS_FILE", "", "JWKS file of public keys with key ids; re-read when it changes (key rotation)");
  static final Setting ISSUER = new Setting("ORDERS_AUTH_ISSUER", "", "required iss of tokens; empty: not checked");
  static final Setting AUDIENCE = new Setting("ORDERS_AUTH_AUDIENCE", "", "required aud of tokens; empty: not checked");
  // Tolerates the clock drift between the identity provider and this server.
  static final Setting CLOCK_SKEW = new Setting("ORDERS_AUTH_CLOCK_SKEW", "PT30S", "clock skew allowed on exp and nbf (ISO-8601)");
  // Tokens minted for a working day; longer-lived credentials belong in mutual TLS, not bearer tokens.
  static final Setting MAX_TOKEN_LIFETIME = new Setting("ORDERS_AUTH_MAX_TOKEN_LIFETIME", AuthSettings.DEFAULT_MAX_TOKEN_LIFETIME.toString(), "longest validity accepted: exp at most this after iat (or after now without iat)");
  // Off: it needs mutual TLS, which a development setup does not have.
  static final Setting REQUIRE_SERVICE_CLIENT_CERT = new Setting("ORDERS_TLS_REQUIRE_SERVICE_CLIENT_CERT", "false", "SERVICE tokens only over mutual TLS with a client certificate whose CN is the token's sub");

  static final List<Setting> SETTINGS =
      List.of(
          HS256_SECRET, PUBLIC_KEY_FILE, PUBLIC_KEY_ID, JWKS_FILE, ISSUER, AUDIENCE, CLOCK_SKEW, MAX_TOKEN_LIFETIME,
          REQUIRE_SERVICE_CLIENT_CERT);

  private AuthConfig() {}

  static AuthSettings read(SettingsReader settings) {
    return new AuthSettings(
        settings.secret(HS256_SECRET),
        settings.file(PUBLIC_KEY_FILE),
        settings.optional(PUBLIC_KEY_ID),
        settings.file(JWKS_FILE),
        settings.optional(ISSUER),
        settings.optional(AUDIENCE),
        settings.duration(CLOCK_SKEW),
        settings.positiveDuration(MAX_TOKEN_LIFETIME),
        settings.bool(REQUIRE_SERVICE_CLIENT_CERT));
  }
}
