package dev.marketplace.orders.server.config;

import dev.marketplace.orders.domain.cancellation.CancellationSettings;
import dev.marketplace.orders.domain.dispute.DisputeSettings;
import dev.marketplace.orders.domain.returns.ReturnSettings;
import dev.marketplace.orders.server.auth.AuthSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The server's configuration, one typed part per concern, each declaring its settings with their
 * defaults and why. Every setting has an environment variable and a flag (the same name without
 * {@code ORDERS_}, lower case, dashes: {@code ORDERS_DB_URL} is {@code --db-url}); a flag wins over the
 * environment, and the environment over the default. Defaults are chosen for a developer's laptop:
 * embedded database, plaintext on the standard port.
 */
public record ServerConfig(
    ListenerSettings listener,
    DatabaseSettings database,
    AuthSettings auth,
    Optional<String> pageTokenSecret,
    TlsSettings tls,
    ConnectionSettings connections,
    LimitSettings limits,
    CancellationSettings cancellation,
    ConversationConfig conversations,
    DisputeSettings disputes,
    ReturnSettings returns,
    BackgroundJobSettings jobs,
    FeedSettings feed,
    boolean demoData) {

  // Empty: page tokens are signed with a key derived from the HS256 secret, which every replica shares.
  static final Setting PAGE_TOKEN_SECRET = new Setting("ORDERS_PAGE_TOKEN_SECRET", "", "key page tokens are signed with; empty: derived from the HS256 secret");
  // Off: a server holds only what its callers put in.
  static final Setting DEMO_DATA = new Setting("ORDERS_DEMO_DATA", "false", "load a few demo orders in different states at start");

  /** One setting: its environment variable, its default (as text) and what it means. */
  public record Setting(String env, String defaultValue, String description) {

    public String flag() {
      return "--" + env.substring("ORDERS_".length()).toLowerCase().replace('_', '-');
    }

    /** Every setting, concern by concern. */
    public static Setting[] values() {
      return Stream.of(
              ListenerSettings.SETTINGS,
              DatabaseSettings.SETTINGS,
              AuthConfig.SETTINGS,
              List.of(PAGE_TOKEN_SECRET),
              TlsSettings.SETTINGS,
              ConnectionSettings.SETTINGS,
              LimitSettings.SETTINGS,
              CancellationConfig.SETTINGS,
              ConversationConfig.SETTINGS,
              DisputeConfig.SETTINGS,
              ReturnConfig.SETTINGS,
              BackgroundJobSettings.SETTINGS,
              FeedSettings.SETTINGS,
              List.of(DEMO_DATA))
          .flatMap(List::stream)
          .toArray(Setting[]::new);
    }
  }

  /**
   * Reads the settings from a map keyed by environment variable name (the process environment with
   * the flags laid over it). Every invalid setting is reported, not just the first.
   */
  public static ServerConfig from(Map<String, String> settings) {
    SettingsReader reader = new SettingsReader(settings);
    ServerConfig config =
        new ServerConfig(
            ListenerSettings.read(reader),
            DatabaseSettings.read(reader),
            AuthConfig.read(reader),
            reader.optional(PAGE_TOKEN_SECRET),
            TlsSettings.read(reader),
            ConnectionSettings.read(reader),
            LimitSettings.read(reader),
            CancellationConfig.read(reader),
            ConversationConfig.read(reader),
            DisputeConfig.read(reader),
            ReturnConfig.read(reader),
            BackgroundJobSettings.read(reader),
            FeedSettings.read(reader),
            reader.bool(DEMO_DATA));
    if (config.auth().requireServiceClientCertificate() && !config.tls().mutual()) {
      reader.problem(
          AuthConfig.REQUIRE_SERVICE_CLIENT_CERT.env() + " needs mutual TLS (" + TlsSettings.CLIENT_CA_FILE.env()
              + ", client auth OPTIONAL or REQUIRE)");
    }
    reader.throwIfInvalid();
    return config;
  }
}
