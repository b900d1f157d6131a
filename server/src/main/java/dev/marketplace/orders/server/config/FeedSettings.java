package dev.marketplace.orders.server.config;

import dev.marketplace.orders.server.config.ServerConfig.Setting;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The feed of order events: how WatchOrderEvents streams follow it (poll rhythm, heartbeats, limits,
 * how far a slow consumer may fall behind) and, when an AMQP URL is set, the relay to RabbitMQ.
 */
public record FeedSettings(
    Duration pollInterval,
    Duration holeGrace,
    Duration heartbeatInterval,
    int maxStreams,
    int maxStreamsPerCaller,
    int streamBuffer,
    Duration stallTimeout,
    Optional<URI> amqpUrl,
    String amqpExchange,
    Duration relayLease) {

  // Commit to delivery is at most about this plus one query; one cheap index read per interval per replica.
  static final Setting POLL_INTERVAL = new Setting("ORDERS_FEED_POLL_INTERVAL", "PT0.1S", "how often the feed looks for newly committed events (ISO-8601)");
  // Covers the instant between a position's allocation and its row; only a rolled-back write waits this long.
  static final Setting HOLE_GRACE = new Setting("ORDERS_FEED_HOLE_GRACE", "PT0.3S", "how long a missing feed position is waited for before a locking read settles it (ISO-8601)");
  // Well under the idle timeouts of proxies and load balancers (typically 60 s).
  static final Setting HEARTBEAT_INTERVAL = new Setting("ORDERS_FEED_HEARTBEAT_INTERVAL", "PT15S", "how long a WatchOrderEvents stream may stay silent before a heartbeat (ISO-8601)");
  // Each stream costs a little memory and a share of one poll; the database cost does not grow with streams.
  static final Setting MAX_STREAMS = new Setting("ORDERS_FEED_MAX_STREAMS", "1000", "WatchOrderEvents streams open at once on this server");
  // A buyer's few devices, a backend's few consumers.
  static final Setting MAX_STREAMS_PER_CALLER = new Setting("ORDERS_FEED_MAX_STREAMS_PER_CALLER", "8", "WatchOrderEvents streams one caller may have open at once on this server");
  // Memory per stream is bounded by this; a consumer further behind reads the rest from the database at its own pace.
  static final Setting STREAM_BUFFER = new Setting("ORDERS_FEED_STREAM_BUFFER", "1000", "events a stream holds in memory for its consumer; beyond, it reads from the database as the consumer takes them");
  // A consumer that takes nothing for this long while events wait for it has stopped reading.
  static final Setting STALL_TIMEOUT = new Setting("ORDERS_FEED_STALL_TIMEOUT", "PT30S", "how long events may wait for a consumer that takes none before its stream is ended (CONSUMER_TOO_SLOW) (ISO-8601)");
  // Empty: no relay.
  static final Setting AMQP_URL = new Setting("ORDERS_AMQP_URL", "", "RabbitMQ to relay every order event to, e.g. amqp://guest:guest@127.0.0.1:5672; empty: no relay");
  static final Setting AMQP_EXCHANGE = new Setting("ORDERS_AMQP_EXCHANGE", "orders.events", "topic exchange the relay publishes to (routing key: the event type)");
  // A dead relay is replaced within about this long; the holder renews at a third of it.
  static final Setting RELAY_LEASE = new Setting("ORDERS_RELAY_LEASE", "PT10S", "how long the relaying replica's lease lasts without renewal (ISO-8601)");

  static final List<Setting> SETTINGS =
      List.of(POLL_INTERVAL, HOLE_GRACE, HEARTBEAT_INTERVAL, MAX_STREAMS, MAX_STREAMS_PER_CALLER, STREAM_BUFFER, STALL_TIMEOUT, AMQP_URL, AMQP_EXCHANGE, RELAY_LEASE);

  public static FeedSettings defaults() {
    return new FeedSettings(
        Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofSeconds(15), 1000, 8, 1000, Duration.ofSeconds(30), Optional.empty(), "orders.events", Duration.ofSeconds(10));
  }

  static FeedSettings read(SettingsReader settings) {
    Duration poll = settings.positiveDuration(POLL_INTERVAL);
    Duration grace = settings.duration(HOLE_GRACE);
    Duration heartbeat = settings.positiveDuration(HEARTBEAT_INTERVAL);
    int maxStreams = settings.integer(MAX_STREAMS, 0, 100_000);
    int perCaller = settings.integer(MAX_STREAMS_PER_CALLER, 1, 1_000);
    int buffer = settings.integer(STREAM_BUFFER, 10, 1_000_000);
    Duration stall = settings.positiveDuration(STALL_TIMEOUT);
    Optional<URI> amqp = settings.optional(AMQP_URL).flatMap(value -> amqpUrl(settings, value));
    String exchange = settings.text(AMQP_EXCHANGE);
    if (exchange.isEmpty() || exchange.length() > 255 || exchange.startsWith("amq.")) {
      settings.problem(AMQP_EXCHANGE.env() + " must be 1 to 255 characters and not start with 'amq.', was '" + exchange + "'");
    }
    Duration lease = settings.positiveDuration(RELAY_LEASE);
    if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
      settings.problem(RELAY_LEASE.env() + " must be at least PT1S, was " + lease);
    }
    return new FeedSettings(poll, grace, heartbeat, maxStreams, perCaller, buffer, stall, amqp, exchange, lease);
  }

  private static Optional<URI> amqpUrl(SettingsReader settings, String value) {
    try {
      URI uri = new URI(value);
      if (!("amqp".equals(uri.getScheme()) || "amqps".equals(uri.getScheme())) || uri.getHost() == null) {
        settings.problem(AMQP_URL.env() + " must be an amqp:// or amqps:// URL, was '" + redacted(value) + "'");
        return Optional.empty();
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      settings.problem(AMQP_URL.env() + " must be an amqp:// or amqps:// URL, was '" + redacted(value) + "'");
      return Optional.empty();
    }
  }

  /** The URL without its password, for messages and logs. */
  public static String redacted(String url) {
    return url.replaceAll("//([^:/@]*):[^@/]*@", "//$1:***@");
  }
}
