package dev.marketplace.orders.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketplace.orders.server.auth.AuthSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthConfigTest {

  @Test
  void defaults_noSecretOrKeys_30SecondsOfSkew_tokensOfADayAtMost() {
    assertThat(Concerns.defaults(AuthConfig::read))
        .isEqualTo(
            new AuthSettings(
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Duration.ofSeconds(30), Duration.ofHours(24), false));
  }

  @Test
  void everySettingMaps(@TempDir Path dir) throws Exception {
    Path pem = Files.writeString(dir.resolve("key.pem"), "k");
    Path jwks = Files.writeString(dir.resolve("jwks.json"), "{}");

    assertThat(
            Concerns.read(
                AuthConfig::read,
                Map.of(
                    "ORDERS_AUTH_HS256_SECRET", "s".repeat(32),
                    "ORDERS_AUTH_PUBLIC_KEY_FILE", pem.toString(),
                    "ORDERS_AUTH_PUBLIC_KEY_ID", "k1",
                    "ORDERS_AUTH_JWKS_FILE", jwks.toString(),
                    "ORDERS_AUTH_ISSUER", "https://id.example",
                    "ORDERS_AUTH_AUDIENCE", "orders",
                    "ORDERS_AUTH_CLOCK_SKEW", "PT5S",
                    "ORDERS_AUTH_MAX_TOKEN_LIFETIME", "PT8H",
                    "ORDERS_TLS_REQUIRE_SERVICE_CLIENT_CERT", "true")))
        .isEqualTo(
            new AuthSettings(
                Optional.of("s".repeat(32)), Optional.of(pem), Optional.of("k1"), Optional.of(jwks), Optional.of("https://id.example"),
                Optional.of("orders"), Duration.ofSeconds(5), Duration.ofHours(8), true));
  }

  @Test
  void aShortSecretOrAMissingKeyFile_isRefused(@TempDir Path dir) {
    assertThatThrownBy(
            () ->
                Concerns.read(
                    AuthConfig::read,
                    Map.of("ORDERS_AUTH_HS256_SECRET", "short", "ORDERS_AUTH_JWKS_FILE", dir.resolve("none.json").toString())))
        .hasMessageContaining("ORDERS_AUTH_HS256_SECRET must be at least 32 characters")
        .hasMessageContaining("ORDERS_AUTH_JWKS_FILE is not a readable file");
  }
}
