package dev.marketplace.orders.server.config;

import dev.marketplace.orders.domain.cancellation.CancellationSettings;
import dev.marketplace.orders.domain.usecase.IdempotencyRetention;
import dev.marketplace.orders.domain.refund.RefundWindowPolicy;
import dev.marketplace.orders.server.auth.AuthSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server's configuration. Every setting has an environment variable (the name below) and a flag
 * (the same name without {@code ORDERS_}, lower case, dashes: {@code ORDERS_DB_URL} is {@code --db-url});
 * a flag wins over the environment, and the environment over the default. Defaults are chosen for a
 * developer's laptop: embedded database, plaintext on the standard port.
 */
public record ServerConfig(
    int port,
    String bindAddress,
    Optional<String> dbUrl,
    String dbUser,
    String dbPassword,
    int dbPoolSize,
    Path dataDir,
    int handlerQueueCapacity,
    Duration shutdownGrace,
    Duration healthCheckInterval,
    boolean demoData,
    CancellationSettings cancellation,
    Duration sweepInterval,
    AuthSettings auth,
    Optional<String> pageTokenSecret,
    TlsSettings tls,
    int maxInboundMessageSize,
    int maxInboundMetadataSize,
    Duration idempotencyRetention,
    Duration idempotencyCleanupInterval,
    ConnectionSettings connections,
    Optional<Path> statementLog) {

  /** TLS for the gRPC port: off without a certificate; with a client CA, clients present certificates. */
  public record TlsSettings(Optional<Path> certificateFile, Optional<Path> privateKeyFile, Optional<Path> clientCaFile, ClientAuth clientAuth) {
    public enum ClientAuth {
      NONE,
      OPTIONAL,
      REQUIRE
    }

    public boolean enabled() {
      return certificateFile.isPresent();
    }
  }

  /**
   * How long client connections live: keepalive pings find dead peers, and idle or old connections
   * are closed (GOAWAY, in-flight calls finish within the grace) so clients reconnect and load
   * balancers can spread them over the replicas that exist now.
   */
  public record ConnectionSettings(
      Duration keepAliveTime,
      Duration keepAliveTimeout,
      Duration permitKeepAliveTime,
      Duration maxConnectionIdle,
      Duration maxConnectionAge,
      Duration maxConnectionAgeGrace) {}

  /** Every setting: its environment variable, its default (as text) and what it means. */
  public enum Setting {
    PORT("ORDERS_PORT", "50051", "gRPC port"),
    // All interfaces, as a server in a container or VM expects; set 127.0.0.1 to keep it local.
    BIND_ADDRESS("ORDERS_BIND_ADDRESS", "0.0.0.0", "address to listen on"),
    DB_URL("ORDERS_DB_URL", "", "JDBC URL of a MySQL 8 / MariaDB 10.6+ database; empty starts the embedded MariaDB"),
    DB_USER("ORDERS_DB_USER", "root", "database user"),
    DB_PASSWORD("ORDERS_DB_PASSWORD", "", "database password"),
    // About 2 x cores + a few: the handler threads are sized to the pool, so a call never waits for a connection.
    DB_POOL_SIZE("ORDERS_DB_POOL_SIZE", "10", "database connections, and handler threads"),
    DATA_DIR("ORDERS_DATA_DIR", ".orders-data", "directory of the embedded database's files (and the dev token secret)"),
    AUTH_HS256_SECRET("ORDERS_AUTH_HS256_SECRET", "", "HS256 secret for bearer tokens, at least 32 characters; empty with the embedded database generates one into the data directory"),
    // Enough to absorb a burst of a few hundred calls; beyond it callers get RESOURCE_EXHAUSTED.
    HANDLER_QUEUE_CAPACITY("ORDERS_HANDLER_QUEUE_CAPACITY", "256", "calls waiting for a handler thread before new ones are refused"),
    // Load balancers give a draining instance about 30 s; finish in-flight calls well inside that.
    SHUTDOWN_GRACE("ORDERS_SHUTDOWN_GRACE", "PT20S", "time in-flight calls get to finish on SIGTERM (ISO-8601)"),
    HEALTH_CHECK_INTERVAL("ORDERS_HEALTH_CHECK_INTERVAL", "PT2S", "how often health probes the database (ISO-8601)"),
    DEMO_DATA("ORDERS_DEMO_DATA", "false", "load a few demo orders in different states at start"),
    // The marketplace promise: a seller has 72 hours to answer a cancellation request.
    SELLER_RESPONSE_WINDOW("ORDERS_SELLER_RESPONSE_WINDOW", "PT72H", "time a seller has to answer a cancellation request (ISO-8601)"),
    // A request expires at most this long after its deadline even if nobody looks at it; reads never see it late.
    SWEEP_INTERVAL("ORDERS_SWEEP_INTERVAL", "PT10S", "how often expired cancellation requests are swept (ISO-8601)"),
    MAX_CANCELLATION_REQUESTS("ORDERS_MAX_CANCELLATION_REQUESTS", "2", "cancellation requests a buyer may make per order"),
    // Card verification usually settles within minutes.
    PAYMENT_RETRY_DELAY("ORDERS_PAYMENT_RETRY_DELAY", "PT15M", "retry delay suggested to a buyer cancelling while the payment is verified (ISO-8601)"),
    // The marketplace publishes 3 to 20 business days for every method.
    REFUND_WINDOWS("ORDERS_REFUND_WINDOWS", "*=3-20", "expected refund arrival in business days per payment method, e.g. CARD=3-7,WALLET=0-1,*=3-20"),
    AUTH_PUBLIC_KEY_FILE("ORDERS_AUTH_PUBLIC_KEY_FILE", "", "PEM public key (RSA or EC P-256) that RS256/ES256 tokens are verified with"),
    AUTH_PUBLIC_KEY_ID("ORDERS_AUTH_PUBLIC_KEY_ID", "", "key id (kid) tokens carry for that PEM key; empty: tokens without a kid"),
    AUTH_JWKS_FILE("ORDERS_AUTH_JWKS_FILE", "", "JWKS file of public keys with key ids; re-read when it changes (key rotation)"),
    AUTH_ISSUER("ORDERS_AUTH_ISSUER", "", "required iss of tokens; empty: not checked"),
    AUTH_AUDIENCE("ORDERS_AUTH_AUDIENCE", "", "required aud of tokens; empty: not checked"),
    // Tolerates the clock drift between the identity provider and this server.
    AUTH_CLOCK_SKEW("ORDERS_AUTH_CLOCK_SKEW", "PT30S", "clock skew allowed on exp and nbf (ISO-8601)"),
    AUTH_MAX_TOKEN_LIFETIME("ORDERS_AUTH_MAX_TOKEN_LIFETIME", "PT24H", "longest validity accepted: exp at most this after iat (or after now without iat)"),
    PAGE_TOKEN_SECRET("ORDERS_PAGE_TOKEN_SECRET", "", "key page tokens are signed with; empty: derived from the HS256 secret"),
    TLS_CERT_FILE("ORDERS_TLS_CERT_FILE", "", "PEM certificate chain for TLS; empty: plaintext"),
    TLS_KEY_FILE("ORDERS_TLS_KEY_FILE", "", "PEM (PKCS#8) private key of that certificate"),
    TLS_CLIENT_CA_FILE("ORDERS_TLS_CLIENT_CA_FILE", "", "PEM trust bundle for client certificates (mutual TLS)"),
    TLS_CLIENT_AUTH("ORDERS_TLS_CLIENT_AUTH", "", "NONE, OPTIONAL or REQUIRE client certificates; empty: REQUIRE with a client CA, else NONE"),
    TLS_REQUIRE_SERVICE_CLIENT_CERT("ORDERS_TLS_REQUIRE_SERVICE_CLIENT_CERT", "false", "SERVICE tokens only over mutual TLS with a client certificate whose CN is the token's sub"),
    // Our largest request (an order of 100 lines) is well under 100 KiB.
    MAX_INBOUND_MESSAGE_SIZE("ORDERS_MAX_INBOUND_MESSAGE_SIZE", "1048576", "largest request message accepted, in bytes"),
    // A bearer token plus tracing headers fit in a few KiB.
    MAX_INBOUND_METADATA_SIZE("ORDERS_MAX_INBOUND_METADATA_SIZE", "16384", "largest request metadata (headers) accepted, in bytes"),
    // A week: covers client retries, a queue redelivering after a long outage and an operator replaying
    // the failed calls of a weekend; one small row per mutation for a week is cheap. At least PT24H.
    IDEMPOTENCY_RETENTION("ORDERS_IDEMPOTENCY_RETENTION", "P7D", "how long a request_id replays its first response; an older one runs as a new request (ISO-8601, at least PT24H)"),
    // A record outlives its retention by at most this much; a run is a few short transactions.
    IDEMPOTENCY_CLEANUP_INTERVAL("ORDERS_IDEMPOTENCY_CLEANUP_INTERVAL", "PT10M", "how often expired idempotency records are deleted (ISO-8601)"),
    // Below the idle timeouts of common load balancers and NATs (AWS NLB 350 s), so a quiet connection is not cut silently.
    KEEPALIVE_TIME("ORDERS_KEEPALIVE_TIME", "PT2M", "the server pings a connection that sent nothing for this long (ISO-8601)"),
    // gRPC's usual value: a peer that does not answer a ping within 20 s is gone.
    KEEPALIVE_TIMEOUT("ORDERS_KEEPALIVE_TIMEOUT", "PT20S", "a connection whose ping is not answered within this is closed (ISO-8601)"),
    // Lets clients detect a dead server within half a minute; pinging faster is refused (GOAWAY too_many_pings).
    PERMIT_KEEPALIVE_TIME("ORDERS_PERMIT_KEEPALIVE_TIME", "PT20S", "shortest client keepalive ping interval accepted (ISO-8601)"),
    // An idle client gives its connection (and its load balancer slot) back; reconnecting costs one handshake.
    MAX_CONNECTION_IDLE("ORDERS_MAX_CONNECTION_IDLE", "PT15M", "a connection without calls for this long is closed (ISO-8601)"),
    // Long-lived channels reconnect, re-resolve and rebalance onto new replicas within half an hour (gRPC adds +-10% jitter).
    MAX_CONNECTION_AGE("ORDERS_MAX_CONNECTION_AGE", "PT30M", "a connection older than this is closed gracefully with GOAWAY (ISO-8601)"),
    // Longer than the client's default 10 s deadline, so calls in flight on an aged connection finish.
    MAX_CONNECTION_AGE_GRACE("ORDERS_MAX_CONNECTION_AGE_GRACE", "PT30S", "time calls on an aged connection get to finish before it is cut (ISO-8601)"),
    // For the benchmark's raw-JDBC baseline and for investigations; it serialises database work on one file.
    STATEMENT_LOG("ORDERS_STATEMENT_LOG", "", "file to append every SQL statement, its bound values and transaction boundaries to (JSON lines); empty: off");

    private final String env;
    private final String defaultValue;
    private final String description;

    Setting(String env, String defaultValue, String description) {
      this.env = env;
      this.defaultValue = defaultValue;
      this.description = description;
    }

    public String env() {
      return env;
    }

    public String flag() {
      return "--" + env.substring("ORDERS_".length()).toLowerCase().replace('_', '-');
    }

    public String defaultValue() {
      return defaultValue;
    }

    public String description() {
      return description;
    }
  }

  /**
   * Reads the settings from a map keyed by environment variable name (the process environment with
   * the flags laid over it). Every invalid setting is reported, not just the first.
   */
  public static ServerConfig from(Map<String, String> settings) {
    Reader reader = new Reader(settings);
    ServerConfig config =
        new ServerConfig(
            reader.integer(Setting.PORT, 0, 65535),
            reader.address(Setting.BIND_ADDRESS),
            reader.optional(Setting.DB_URL),
            reader.text(Setting.DB_USER),
            reader.text(Setting.DB_PASSWORD),
            reader.integer(Setting.DB_POOL_SIZE, 1, 500),
            Path.of(reader.text(Setting.DATA_DIR)),
            reader.integer(Setting.HANDLER_QUEUE_CAPACITY, 0, 100_000),
            reader.duration(Setting.SHUTDOWN_GRACE),
            reader.duration(Setting.HEALTH_CHECK_INTERVAL),
            reader.bool(Setting.DEMO_DATA),
            reader.cancellation(),
            reader.positiveDuration(Setting.SWEEP_INTERVAL),
            reader.auth(),
            reader.optional(Setting.PAGE_TOKEN_SECRET),
            reader.tls(),
            reader.integer(Setting.MAX_INBOUND_MESSAGE_SIZE, 1024, 64 * 1024 * 1024),
            reader.integer(Setting.MAX_INBOUND_METADATA_SIZE, 1024, 1024 * 1024),
            reader.idempotencyRetention(),
            reader.positiveDuration(Setting.IDEMPOTENCY_CLEANUP_INTERVAL),
            reader.connections(),
            reader.optional(Setting.STATEMENT_LOG).map(Path::of));
    reader.throwIfInvalid();
    return config;
  }

  public boolean embeddedDatabase() {
    return dbUrl.isEmpty();
  }

  private static final class Reader {
    private final Map<String, String> settings;
    private final List<String> problems = new ArrayList<>();

    Reader(Map<String, String> settings) {
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
          problems.add(s.env() + " must be between " + min + " and " + max + ", was " + value);
        }
        return parsed;
      } catch (NumberFormatException e) {
        problems.add(s.env() + " must be a whole number, was '" + value + "'");
        return Integer.parseInt(s.defaultValue());
      }
    }

    Duration duration(Setting s) {
      String value = text(s);
      try {
        Duration parsed = Duration.parse(value);
        if (parsed.isNegative()) {
          problems.add(s.env() + " must not be negative, was " + value);
        }
        return parsed;
      } catch (DateTimeParseException e) {
        problems.add(s.env() + " must be an ISO-8601 duration such as PT20S, was '" + value + "'");
        return Duration.parse(s.defaultValue());
      }
    }

    Duration positiveDuration(Setting s) {
      Duration value = duration(s);
      if (value.isZero()) {
        problems.add(s.env() + " must be longer than zero");
        return Duration.parse(s.defaultValue());
      }
      return value;
    }

    Duration idempotencyRetention() {
      Duration value = duration(Setting.IDEMPOTENCY_RETENTION);
      if (!value.isNegative() && value.compareTo(IdempotencyRetention.MINIMUM) < 0) {
        problems.add(
            Setting.IDEMPOTENCY_RETENTION.env() + " must be at least " + IdempotencyRetention.MINIMUM
                + " (a retry after its record is removed runs as a new request), was " + value);
        return Duration.parse(Setting.IDEMPOTENCY_RETENTION.defaultValue());
      }
      return value;
    }

    ConnectionSettings connections() {
      return new ConnectionSettings(
          positiveDuration(Setting.KEEPALIVE_TIME),
          positiveDuration(Setting.KEEPALIVE_TIMEOUT),
          duration(Setting.PERMIT_KEEPALIVE_TIME),
          positiveDuration(Setting.MAX_CONNECTION_IDLE),
          positiveDuration(Setting.MAX_CONNECTION_AGE),
          duration(Setting.MAX_CONNECTION_AGE_GRACE));
    }

    CancellationSettings cancellation() {
      Duration window = positiveDuration(Setting.SELLER_RESPONSE_WINDOW);
      int maxRequests = integer(Setting.MAX_CANCELLATION_REQUESTS, 1, 100);
      Duration retryDelay = duration(Setting.PAYMENT_RETRY_DELAY);
      RefundWindowPolicy refunds = RefundWindowPolicy.defaults();
      try {
        refunds = RefundWindowPolicy.parse(text(Setting.REFUND_WINDOWS));
      } catch (IllegalArgumentException e) {
        problems.add(Setting.REFUND_WINDOWS.env() + ": " + e.getMessage());
      }
      if (!problems.isEmpty()) {
        return CancellationSettings.defaults();
      }
      return new CancellationSettings(window, maxRequests, retryDelay, refunds);
    }

    Optional<Path> file(Setting s) {
      Optional<String> value = optional(s);
      if (value.isPresent() && !java.nio.file.Files.isReadable(Path.of(value.get()))) {
        problems.add(s.env() + " is not a readable file: " + value.get());
      }
      return value.map(Path::of);
    }

    AuthSettings auth() {
      return new AuthSettings(
          secret(Setting.AUTH_HS256_SECRET),
          file(Setting.AUTH_PUBLIC_KEY_FILE),
          optional(Setting.AUTH_PUBLIC_KEY_ID),
          file(Setting.AUTH_JWKS_FILE),
          optional(Setting.AUTH_ISSUER),
          optional(Setting.AUTH_AUDIENCE),
          duration(Setting.AUTH_CLOCK_SKEW),
          positiveDuration(Setting.AUTH_MAX_TOKEN_LIFETIME),
          bool(Setting.TLS_REQUIRE_SERVICE_CLIENT_CERT));
    }

    TlsSettings tls() {
      Optional<Path> cert = file(Setting.TLS_CERT_FILE);
      Optional<Path> key = file(Setting.TLS_KEY_FILE);
      Optional<Path> clientCa = file(Setting.TLS_CLIENT_CA_FILE);
      if (cert.isPresent() != key.isPresent()) {
        problems.add("ORDERS_TLS_CERT_FILE and ORDERS_TLS_KEY_FILE go together");
      }
      if (clientCa.isPresent() && cert.isEmpty()) {
        problems.add("ORDERS_TLS_CLIENT_CA_FILE needs ORDERS_TLS_CERT_FILE (mutual TLS is TLS first)");
      }
      String mode = text(Setting.TLS_CLIENT_AUTH).toUpperCase();
      TlsSettings.ClientAuth clientAuth = clientCa.isPresent() ? TlsSettings.ClientAuth.REQUIRE : TlsSettings.ClientAuth.NONE;
      if (!mode.isEmpty()) {
        try {
          clientAuth = TlsSettings.ClientAuth.valueOf(mode);
        } catch (IllegalArgumentException e) {
          problems.add("ORDERS_TLS_CLIENT_AUTH must be NONE, OPTIONAL or REQUIRE, was " + mode);
        }
      }
      if (bool(Setting.TLS_REQUIRE_SERVICE_CLIENT_CERT) && (clientCa.isEmpty() || clientAuth == TlsSettings.ClientAuth.NONE)) {
        problems.add("ORDERS_TLS_REQUIRE_SERVICE_CLIENT_CERT needs mutual TLS (ORDERS_TLS_CLIENT_CA_FILE, client auth OPTIONAL or REQUIRE)");
      }
      if (clientAuth != TlsSettings.ClientAuth.NONE && clientCa.isEmpty()) {
        problems.add("ORDERS_TLS_CLIENT_AUTH " + clientAuth + " needs ORDERS_TLS_CLIENT_CA_FILE");
      }
      return new TlsSettings(cert, key, clientCa, clientAuth);
    }

    boolean bool(Setting s) {
      String value = text(s).toLowerCase();
      if (!value.equals("true") && !value.equals("false")) {
        problems.add(s.env() + " must be true or false, was '" + value + "'");
      }
      return value.equals("true");
    }

    String address(Setting s) {
      String value = text(s);
      try {
        InetAddress.getByName(value);
      } catch (UnknownHostException e) {
        problems.add(s.env() + " is not an address of this machine: " + value);
      }
      return value;
    }

    Optional<String> secret(Setting s) {
      Optional<String> value = optional(s);
      if (value.isPresent() && value.get().length() < 32) {
        problems.add(s.env() + " must be at least 32 characters (HS256 needs a 256-bit key)");
      }
      return value;
    }

    void throwIfInvalid() {
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("invalid configuration: " + String.join("; ", problems));
      }
    }
  }
}
