package dev.marketplace.orders.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketplace.orders.domain.cancellation.CancellationSettings;
import dev.marketplace.orders.domain.conversation.ConversationSettings;
import dev.marketplace.orders.domain.dispute.DisputeSettings;
import dev.marketplace.orders.domain.returns.ReturnSettings;
import dev.marketplace.orders.domain.payment.PaymentMethod;
import dev.marketplace.orders.domain.refund.RefundWindow;
import dev.marketplace.orders.domain.refund.RefundWindowPolicy;
import dev.marketplace.orders.server.auth.AuthSettings;
import dev.marketplace.orders.server.config.ServerConfig.Setting;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole configuration: every concern's part, every variable mapped, every problem reported, the README in step. */
class ServerConfigTest {

  @Test
  void defaults_areEachConcernsDefaults() {
    ServerConfig config = ServerConfig.from(Map.of());

    assertThat(config)
        .isEqualTo(
            new ServerConfig(
                Concerns.defaults(ListenerSettings::read),
                Concerns.defaults(DatabaseSettings::read),
                Concerns.defaults(AuthConfig::read),
                Optional.empty(),
                Concerns.defaults(TlsSettings::read),
                Concerns.defaults(ConnectionSettings::read),
                Concerns.defaults(LimitSettings::read),
                Concerns.defaults(CancellationConfig::read),
                Concerns.defaults(ConversationConfig::read),
                Concerns.defaults(DisputeConfig::read),
                Concerns.defaults(ReturnConfig::read),
                Concerns.defaults(BackgroundJobSettings::read),
                FeedSettings.defaults(),
                false));
    assertThat(Concerns.defaults(FeedSettings::read)).isEqualTo(FeedSettings.defaults());
    assertThat(config.database().embedded()).as("no URL: the embedded database").isTrue();
  }

  @Test
  void everySettingMapsFromItsEnvironmentVariable(@TempDir Path dir) throws Exception {
    Path pem = Files.writeString(dir.resolve("key.pem"), "k");
    Path jwks = Files.writeString(dir.resolve("jwks.json"), "{}");
    Path cert = Files.writeString(dir.resolve("cert.pem"), "c");
    Path tlsKey = Files.writeString(dir.resolve("tls-key.pem"), "k");
    Path ca = Files.writeString(dir.resolve("ca.pem"), "ca");
    Map<String, String> environment =
        Map.ofEntries(
            Map.entry("ORDERS_PORT", "6000"),
            Map.entry("ORDERS_DISPUTE_WINDOW", "P30D"),
            Map.entry("ORDERS_DISPUTE_ESCALATION_DELAY", "P1D"),
            Map.entry("ORDERS_DISPUTE_RESPONSE_WINDOW", "P10D"),
            Map.entry("ORDERS_RETURN_WINDOW", "P30D"),
            Map.entry("ORDERS_RETURN_RESPONSE_WINDOW", "P2D"),
            Map.entry("ORDERS_RETURN_RECEIPT_WINDOW", "P20D"),
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
            Map.entry("ORDERS_MODIFICATION_RESPONSE_WINDOW", "PT48H"),
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
            Map.entry("ORDERS_STATEMENT_LOG", "/tmp/orders-statements.jsonl"),
            Map.entry("ORDERS_MESSAGE_RATE", "12"),
            Map.entry("ORDERS_LANGUAGE_DETECTION", "false"),
            Map.entry("ORDERS_TRANSLATOR_URL", "http://translate.internal:5000"),
            Map.entry("ORDERS_TRANSLATOR_API_KEY", "tk"),
            Map.entry("ORDERS_TRANSLATOR_BUDGET", "PT0.5S"),
            Map.entry("ORDERS_FEED_POLL_INTERVAL", "PT0.2S"),
            Map.entry("ORDERS_FEED_HOLE_GRACE", "PT0.5S"),
            Map.entry("ORDERS_FEED_HEARTBEAT_INTERVAL", "PT5S"),
            Map.entry("ORDERS_FEED_MAX_STREAMS", "50"),
            Map.entry("ORDERS_FEED_MAX_STREAMS_PER_CALLER", "3"),
            Map.entry("ORDERS_FEED_STREAM_BUFFER", "200"),
            Map.entry("ORDERS_FEED_STALL_TIMEOUT", "PT45S"),
            Map.entry("ORDERS_AMQP_URL", "amqp://guest:guest@mq:5672"),
            Map.entry("ORDERS_AMQP_EXCHANGE", "market.events"),
            Map.entry("ORDERS_RELAY_LEASE", "PT20S"));
    assertThat(environment.keySet())
        .as("this test sets every variable")
        .containsExactlyInAnyOrderElementsOf(Arrays.stream(Setting.values()).map(Setting::env).toList());

    ServerConfig config = ServerConfig.from(environment);

    assertThat(config)
        .isEqualTo(
            new ServerConfig(
                new ListenerSettings(6000, "127.0.0.1", Duration.ofSeconds(5)),
                new DatabaseSettings(
                    Optional.of("jdbc:mysql://db:3306/orders"),
                    "orders",
                    "pw",
                    7,
                    Path.of("/var/lib/orders"),
                    Optional.of(Path.of("/tmp/orders-statements.jsonl"))),
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
                new TlsSettings(Optional.of(cert), Optional.of(tlsKey), Optional.of(ca), TlsSettings.ClientAuth.OPTIONAL),
                new ConnectionSettings(
                    Duration.ofMinutes(1),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(15),
                    Duration.ofMinutes(5),
                    Duration.ofMinutes(20),
                    Duration.ofSeconds(45)),
                new LimitSettings(2048, 4096, 9),
                new CancellationSettings(
                    Duration.ofMinutes(1),
                    5,
                    Duration.ofMinutes(2),
                    new RefundWindowPolicy(new RefundWindow(2, 10), Map.of(PaymentMethod.CARD, new RefundWindow(3, 7))),
                    Duration.ofHours(48)),
                new ConversationConfig(
                    new ConversationSettings(12),
                    false,
                    Optional.of(URI.create("http://translate.internal:5000")),
                    Optional.of("tk"),
                    Duration.ofMillis(500)),
                new DisputeSettings(Duration.ofDays(30), Duration.ofDays(1), Duration.ofDays(10)),
                new ReturnSettings(Duration.ofDays(30), Duration.ofDays(2), Duration.ofDays(20)),
                new BackgroundJobSettings(Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofHours(36), Duration.ofMinutes(1)),
                new FeedSettings(
                    Duration.ofMillis(200),
                    Duration.ofMillis(500),
                    Duration.ofSeconds(5),
                    50,
                    3,
                    200,
                    Duration.ofSeconds(45),
                    Optional.of(URI.create("amqp://guest:guest@mq:5672")),
                    "market.events",
                    Duration.ofSeconds(20)),
                true));
    assertThat(config.database().embedded()).isFalse();
  }

  @Test
  void everySettingHasItsOwnVariable_andFlagsAreTheNamesInLowerCase() {
    List<String> variables = Arrays.stream(Setting.values()).map(Setting::env).toList();

    assertThat(variables).doesNotHaveDuplicates().allMatch(env -> env.startsWith("ORDERS_"));
    assertThat(Arrays.stream(Setting.values()).map(Setting::flag))
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
  void theReadmesTable_namesEverySettingWithItsFlagAndDefault() throws Exception {
    List<String> rows = Files.readAllLines(Path.of("..", "README.md")).stream().filter(line -> line.startsWith("| `ORDERS_")).toList();

    for (Setting setting : Setting.values()) {
      String row =
          rows.stream()
              .filter(line -> line.contains("`" + setting.env() + "`"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("README.md has no row for " + setting.env()));
      assertThat(row).as(setting.env()).contains("`" + setting.flag() + "`");
      if (!setting.defaultValue().isEmpty()) {
        assertThat(row).as(setting.env()).contains("`" + setting.defaultValue() + "`");
      }
    }
  }

  @Test
  void invalidSettings_ofEveryConcern_areAllReported() {
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
                        "ORDERS_REFUND_WINDOWS", "CARD=7-3",
                        "ORDERS_IDEMPOTENCY_CLEANUP_INTERVAL", "PT0S")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ORDERS_PORT")
        .hasMessageContaining("ORDERS_DB_POOL_SIZE")
        .hasMessageContaining("ORDERS_SHUTDOWN_GRACE")
        .hasMessageContaining("ORDERS_AUTH_HS256_SECRET")
        .hasMessageContaining("ORDERS_DEMO_DATA")
        .hasMessageContaining("ORDERS_SELLER_RESPONSE_WINDOW")
        .hasMessageContaining("ORDERS_REFUND_WINDOWS")
        .hasMessageContaining("ORDERS_IDEMPOTENCY_CLEANUP_INTERVAL");
  }

  @Test
  void serviceCertificatesWithoutMutualTls_isAConfigurationError() {
    assertThatThrownBy(() -> ServerConfig.from(Map.of("ORDERS_TLS_REQUIRE_SERVICE_CLIENT_CERT", "true")))
        .hasMessageContaining("ORDERS_TLS_REQUIRE_SERVICE_CLIENT_CERT needs mutual TLS");
  }
}
