package dev.marketplace.orders.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketplace.orders.domain.cancellation.CancellationSettings;
import dev.marketplace.orders.domain.payment.PaymentMethod;
import dev.marketplace.orders.domain.refund.RefundWindow;
import dev.marketplace.orders.domain.refund.RefundWindowPolicy;
import dev.marketplace.orders.server.auth.AuthSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

  @Test
  void defaults() {
    ServerConfig config = ServerConfig.from(Map.of());

    assertThat(config.port()).isEqualTo(50051);
    assertThat(config.bindAddress()).isEqualTo("0.0.0.0");
    assertThat(config.dbUrl()).isEmpty();
    assertThat(config.embeddedDatabase()).isTrue();
    assertThat(config.dbUser()).isEqualTo("root");
    assertThat(config.dbPassword()).isEmpty();
    assertThat(config.dbPoolSize()).isEqualTo(10);
    assertThat(config.dataDir()).isEqualTo(Path.of(".orders-data"));
    assertThat(config.auth().hs256Secret()).isEmpty();
    assertThat(config.handlerQueueCapacity()).isEqualTo(256);
    assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(20));
    assertThat(config.healthCheckInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.demoData()).isFalse();
    assertThat(config.statementLog()).as("off unless asked for").isEmpty();
    assertThat(config.cancellation().sellerResponseWindow()).isEqualTo(Duration.ofHours(72));
    assertThat(config.cancellation().maxRequestsPerOrder()).isEqualTo(2);
    assertThat(config.cancellation().paymentVerificationRetryDelay()).isEqualTo(Duration.ofMinutes(15));
    assertThat(config.cancellation().refundWindows().windowFor(PaymentMethod.CARD)).isEqualTo(new RefundWindow(3, 20));
    assertThat(config.sweepInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.auth().clockSkew()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.auth().maxTokenLifetime()).isEqualTo(Duration.ofHours(24));
    assertThat(config.auth().issuer()).isEmpty();
    assertThat(config.auth().audience()).isEmpty();
    assertThat(config.auth().jwksFile()).isEmpty();
    assertThat(config.tls().enabled()).isFalse();
    assertThat(config.tls().clientAuth()).isEqualTo(ServerConfig.TlsSettings.ClientAuth.NONE);
    assertThat(config.maxInboundMessageSize()).isEqualTo(1024 * 1024);
    assertThat(config.maxInboundMetadataSize()).isEqualTo(16 * 1024);
    assertThat(config.idempotencyRetention()).isEqualTo(Duration.ofDays(7));
    assertThat(config.idempotencyCleanupInterval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.connections())
        .isEqualTo(
            new ServerConfig.ConnectionSettings(
                Duration.ofMinutes(2),
                Duration.ofSeconds(20),
                Duration.ofSeconds(20),
                Duration.ofMinutes(15),
                Duration.ofMinutes(30),
                Duration.ofSeconds(30)));
  }

  @Test
  void everySettingMapsFromItsEnvironmentVariable(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path pem = java.nio.file.Files.writeString(dir.resolve("key.pem"), "k");
    Path jwks = java.nio.file.Files.writeString(dir.resolve("jwks.json"), "{}");
    Path cert = java.nio.file.Files.writeString(dir.resolve("cert.pem"), "c");
    Path tlsKey = java.nio.file.Files.writeString(dir.resolve("tls-key.pem"), "k");
    Path ca = java.nio.file.Files.writeString(dir.resolve("ca.pem"), "ca");
    ServerConfig config =
        ServerConfig.from(
            Map.ofEntries(
                Map.entry("ORDERS_PORT", "6000"),
                Map.entry("ORDERS_BIND_ADDRESS", "127.0.0.1"),
                Map.entry("ORDERS_DB_URL", "jdbc:mysql://db:3306/orders"),
                Map.entry("ORDERS_DB_USER", "orders"),
                Map.entry("ORDERS_DB_PASSWORD", "pw"),
                Map.entry("ORDERS_DB_POOL_SIZE", "7"),
                Map.entry("ORDERS_DATA_DIR", "/var/lib/orders"),
                Map.entry("ORDERS_AUTH_HS256_SECRET", "s".repeat(32)),
                Map.entry("ORDERS_HANDLER_QUEUE_CAPACITY", "9"),
                Map.entry("ORDERS_SHUTDOWN_GRACE", "PT5S"),
                Map.entry("ORDERS_HEALTH_CHECK_INTERVAL", "PT1S"),
                Map.entry("ORDERS_DEMO_DATA", "true"),
                Map.entry("ORDERS_SELLER_RESPONSE_WINDOW", "PT1M"),
                Map.entry("ORDERS_SWEEP_INTERVAL", "PT3S"),
                Map.entry("ORDERS_MAX_CANCELLATION_REQUESTS", "5"),
                Map.entry("ORDERS_PAYMENT_RETRY_DELAY", "PT2M"),
                Map.entry("ORDERS_REFUND_WINDOWS", "CARD=3-7,*=2-10"),
                Map.entry("ORDERS_AUTH_PUBLIC_KEY_FILE", pem.toString()),
                Map.entry("ORDERS_AUTH_PUBLIC_KEY_ID", "k1"),
                Map.entry("ORDERS_AUTH_JWKS_FILE", jwks.toString()),
                Map.entry("ORDERS_AUTH_ISSUER", "https://id.example"),
                Map.entry("ORDERS_AUTH_AUDIENCE", "orders"),
                Map.entry("ORDERS_AUTH_CLOCK_SKEW", "PT5S"),
                Map.entry("ORDERS_AUTH_MAX_TOKEN_LIFETIME", "PT8H"),
                Map.entry("ORDERS_PAGE_TOKEN_SECRET", "p".repeat(32)),
                Map.entry("ORDERS_TLS_CERT_FILE", cert.toString()),
                Map.entry("ORDERS_TLS_KEY_FILE", tlsKey.toString()),
                Map.entry("ORDERS_TLS_CLIENT_CA_FILE", ca.toString()),
                Map.entry("ORDERS_TLS_CLIENT_AUTH", "OPTIONAL"),
                Map.entry("ORDERS_TLS_REQUIRE_SERVICE_CLIENT_CERT", "true"),
                Map.entry("ORDERS_MAX_INBOUND_MESSAGE_SIZE", "2048"),
                Map.entry("ORDERS_MAX_INBOUND_METADATA_SIZE", "4096"),
                Map.entry("ORDERS_IDEMPOTENCY_RETENTION", "PT36H"),
                Map.entry("ORDERS_IDEMPOTENCY_CLEANUP_INTERVAL", "PT1M"),
                Map.entry("ORDERS_KEEPALIVE_TIME", "PT1M"),
                Map.entry("ORDERS_KEEPALIVE_TIMEOUT", "PT10S"),
                Map.entry("ORDERS_PERMIT_KEEPALIVE_TIME", "PT15S"),
                Map.entry("ORDERS_MAX_CONNECTION_IDLE", "PT5M"),
                Map.entry("ORDERS_MAX_CONNECTION_AGE", "PT20M"),
                Map.entry("ORDERS_MAX_CONNECTION_AGE_GRACE", "PT45S"),
                Map.entry("ORDERS_STATEMENT_LOG", "/tmp/orders-statements.jsonl")));

    assertThat(config)
        .isEqualTo(
            new ServerConfig(
                6000,
                "127.0.0.1",
                Optional.of("jdbc:mysql://db:3306/orders"),
                "orders",
                "pw",
                7,
                Path.of("/var/lib/orders"),
                9,
                Duration.ofSeconds(5),
                Duration.ofSeconds(1),
                true,
                new CancellationSettings(
                    Duration.ofMinutes(1),
                    5,
                    Duration.ofMinutes(2),
                    new RefundWindowPolicy(new RefundWindow(2, 10), Map.of(PaymentMethod.CARD, new RefundWindow(3, 7)))),
                Duration.ofSeconds(3),
                new AuthSettings(
                    Optional.of("s".repeat(32)),
                    Optional.of(pem),
                    Optional.of("k1"),
                    Optional.of(jwks),
                    Optional.of("https://id.example"),
                    Optional.of("orders"),
                    Duration.ofSeconds(5),
                    Duration.ofHours(8),
                    true),
                Optional.of("p".repeat(32)),
                new ServerConfig.TlsSettings(Optional.of(cert), Optional.of(tlsKey), Optional.of(ca), ServerConfig.TlsSettings.ClientAuth.OPTIONAL),
                2048,
                4096,
                Duration.ofHours(36),
                Duration.ofMinutes(1),
                new ServerConfig.ConnectionSettings(
                    Duration.ofMinutes(1),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(15),
                    Duration.ofMinutes(5),
                    Duration.ofMinutes(20),
                    Duration.ofSeconds(45)),
                Optional.of(Path.of("/tmp/orders-statements.jsonl"))));
    assertThat(config.embeddedDatabase()).isFalse();
  }

  @Test
  void flagsAreTheEnvironmentNamesInLowerCase() {
    assertThat(Arrays.stream(ServerConfig.Setting.values()).map(ServerConfig.Setting::flag))
        .contains(
            "--port",
            "--db-url",
            "--auth-hs256-secret",
            "--data-dir",
            "--demo-data",
            "--idempotency-retention",
            "--idempotency-cleanup-interval",
            "--keepalive-time",
            "--permit-keepalive-time",
            "--max-connection-age-grace");
  }

  @Test
  void invalidSettings_areAllReported() {
    assertThatThrownBy(
            () ->
                ServerConfig.from(
                    Map.of(
                        "ORDERS_PORT", "seventy",
                        "ORDERS_DB_POOL_SIZE", "0",
                        "ORDERS_SHUTDOWN_GRACE", "20s",
                        "ORDERS_AUTH_HS256_SECRET", "short",
                        "ORDERS_DEMO_DATA", "yes",
                        "ORDERS_SELLER_RESPONSE_WINDOW", "PT0S",
                        "ORDERS_REFUND_WINDOWS", "CARD=7-3")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ORDERS_PORT")
        .hasMessageContaining("ORDERS_DB_POOL_SIZE")
        .hasMessageContaining("ORDERS_SHUTDOWN_GRACE")
        .hasMessageContaining("ORDERS_AUTH_HS256_SECRET")
        .hasMessageContaining("ORDERS_DEMO_DATA")
        .hasMessageContaining("ORDERS_SELLER_RESPONSE_WINDOW")
        .hasMessageContaining("ORDERS_REFUND_WINDOWS");
  }

  @Test
  void idempotencyRetentionUnder24Hours_isRefused_withTheReason() {
    assertThatThrownBy(() -> ServerConfig.from(Map.of("ORDERS_IDEMPOTENCY_RETENTION", "PT23H")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ORDERS_IDEMPOTENCY_RETENTION must be at least PT24H")
        .hasMessageContaining("runs as a new request")
        .hasMessageContaining("was PT23H");
    assertThat(ServerConfig.from(Map.of("ORDERS_IDEMPOTENCY_RETENTION", "PT24H")).idempotencyRetention()).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void invalidCleanupIntervalAndConnectionLifetimes_areAllReported() {
    assertThatThrownBy(
            () ->
                ServerConfig.from(
                    Map.of(
                        "ORDERS_IDEMPOTENCY_CLEANUP_INTERVAL", "PT0S",
                        "ORDERS_KEEPALIVE_TIME", "PT0S",
                        "ORDERS_KEEPALIVE_TIMEOUT", "20s",
                        "ORDERS_PERMIT_KEEPALIVE_TIME", "-PT1S",
                        "ORDERS_MAX_CONNECTION_IDLE", "PT0S",
                        "ORDERS_MAX_CONNECTION_AGE", "forever",
                        "ORDERS_MAX_CONNECTION_AGE_GRACE", "-PT5S")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ORDERS_IDEMPOTENCY_CLEANUP_INTERVAL must be longer than zero")
        .hasMessageContaining("ORDERS_KEEPALIVE_TIME must be longer than zero")
        .hasMessageContaining("ORDERS_KEEPALIVE_TIMEOUT must be an ISO-8601 duration")
        .hasMessageContaining("ORDERS_PERMIT_KEEPALIVE_TIME must not be negative")
        .hasMessageContaining("ORDERS_MAX_CONNECTION_IDLE must be longer than zero")
        .hasMessageContaining("ORDERS_MAX_CONNECTION_AGE must be an ISO-8601 duration")
        .hasMessageContaining("ORDERS_MAX_CONNECTION_AGE_GRACE must not be negative");
  }

  @Test
  void serviceCertificatesWithoutMutualTls_isAConfigurationError() {
    assertThatThrownBy(() -> ServerConfig.from(Map.of("ORDERS_TLS_REQUIRE_SERVICE_CLIENT_CERT", "true")))
        .hasMessageContaining("ORDERS_TLS_REQUIRE_SERVICE_CLIENT_CERT needs mutual TLS");
  }

  @Test
  void externalDatabaseWithoutSecret_refusesToStart() {
    ServerConfig config = ServerConfig.from(Map.of("ORDERS_DB_URL", "jdbc:mysql://db/orders"));
    assertThatThrownBy(() -> TokenSecrets.hs256(config)).hasMessageContaining("ORDERS_AUTH_HS256_SECRET");
  }

  @Test
  void embeddedDatabaseWithoutSecret_generatesOneOnceIntoTheDataDirectory(@org.junit.jupiter.api.io.TempDir Path dir) {
    ServerConfig config = ServerConfig.from(Map.of("ORDERS_DATA_DIR", dir.toString()));
    String first = TokenSecrets.hs256(config).orElseThrow();
    assertThat(first).hasSizeGreaterThanOrEqualTo(32);
    assertThat(TokenSecrets.hs256(config)).contains(first);
    assertThat(TokenSecrets.forMinting(config)).as("what the token command signs with").isEqualTo(first);
  }

  @Test
  void tokenCommandOnADataDirectoryWithoutSecret_refusesAndCreatesNothing(@org.junit.jupiter.api.io.TempDir Path dir) {
    Path dataDir = dir.resolve("never-served");
    ServerConfig config = ServerConfig.from(Map.of("ORDERS_DATA_DIR", dataDir.toString()));
    assertThatThrownBy(() -> TokenSecrets.forMinting(config))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("no token secret in the data directory " + dataDir.toAbsolutePath())
        .hasMessageContaining("start the server once")
        .hasMessageContaining("--auth-hs256-secret");
    assertThat(dataDir).doesNotExist();
  }

  @Test
  void tokenCommandWithAConfiguredSecret_usesIt_andNeedsNoDataDirectory(@org.junit.jupiter.api.io.TempDir Path dir) {
    String secret = "configured-secret-0123456789-0123456789";
    ServerConfig config = ServerConfig.from(Map.of("ORDERS_DATA_DIR", dir.resolve("none").toString(), "ORDERS_AUTH_HS256_SECRET", secret));
    assertThat(TokenSecrets.forMinting(config)).isEqualTo(secret);
    assertThat(dir.resolve("none")).doesNotExist();
  }
}
