package dev.marketplace.orders.server.config;

import dev.marketplace.orders.server.config.ServerConfig.Setting;
import java.time.Duration;
import java.util.List;

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
    Duration maxConnectionAgeGrace) {

  // Below the idle timeouts of common load balancers and NATs (AWS NLB 350 s), so a quiet connection is not cut silently.
  static final Setting KEEPALIVE_TIME = new Setting("ORDERS_KEEPALIVE_TIME", "PT2M", "the server pings a connection that sent nothing for this long (ISO-8601)");
  // gRPC's usual value: a peer that does not answer a ping within 20 s is gone.
  static final Setting KEEPALIVE_TIMEOUT = new Setting("ORDERS_KEEPALIVE_TIMEOUT", "PT20S", "a connection whose ping is not answered within this is closed (ISO-8601)");
  // Lets clients detect a dead server within half a minute; pinging faster is refused (GOAWAY too_many_pings).
  static final Setting PERMIT_KEEPALIVE_TIME = new Setting("ORDERS_PERMIT_KEEPALIVE_TIME", "PT20S", "shortest client keepalive ping interval accepted (ISO-8601)");
  // An idle client gives its connection (and its load balancer slot) back; reconnecting costs one handshake.
  static final Setting MAX_CONNECTION_IDLE = new Setting("ORDERS_MAX_CONNECTION_IDLE", "PT15M", "a connection without calls for this long is closed (ISO-8601)");
  // Long-lived channels reconnect, re-resolve and rebalance onto new replicas within half an hour (gRPC adds +-10% jitter).
  static final Setting MAX_CONNECTION_AGE = new Setting("ORDERS_MAX_CONNECTION_AGE", "PT30M", "a connection older than this is closed gracefully with GOAWAY (ISO-8601)");
  // Longer than the client's default 10 s deadline, so calls in flight on an aged connection finish.
  static final Setting MAX_CONNECTION_AGE_GRACE = new Setting("ORDERS_MAX_CONNECTION_AGE_GRACE", "PT30S", "time calls on an aged connection get to finish before it is cut (ISO-8601)");

  static final List<Setting> SETTINGS =
      List.of(
          KEEPALIVE_TIME, KEEPALIVE_TIMEOUT, PERMIT_KEEPALIVE_TIME, MAX_CONNECTION_IDLE, MAX_CONNECTION_AGE, MAX_CONNECTION_AGE_GRACE);

  static ConnectionSettings read(SettingsReader settings) {
    return new ConnectionSettings(
        settings.positiveDuration(KEEPALIVE_TIME),
        settings.positiveDuration(KEEPALIVE_TIMEOUT),
        settings.duration(PERMIT_KEEPALIVE_TIME),
        settings.positiveDuration(MAX_CONNECTION_IDLE),
        settings.positiveDuration(MAX_CONNECTION_AGE),
        settings.duration(MAX_CONNECTION_AGE_GRACE));
  }
}
