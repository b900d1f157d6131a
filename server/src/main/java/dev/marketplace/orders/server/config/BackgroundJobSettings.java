package dev.marketplace.orders.server.config;

import dev.marketplace.orders.domain.usecase.IdempotencyRetention;
import dev.marketplace.orders.server.config.ServerConfig.Setting;
import java.time.Duration;
import java.util.List;

/**
 * The background jobs' rhythm: the database health probe, the sweep of expired cancellation requests,
 * and the removal of idempotency records older than their retention.
 */
public record BackgroundJobSettings(
    Duration healthCheckInterval, Duration sweepInterval, Duration idempotencyRetention, Duration idempotencyCleanupInterval) {

  // Health follows a database outage (and its end) within a couple of seconds, at one cheap query per probe.
  static final Setting HEALTH_CHECK_INTERVAL = new Setting("ORDERS_HEALTH_CHECK_INTERVAL", "PT2S", "how often health probes the database (ISO-8601)");
  // A request expires at most this long after its deadline even if nobody looks at it; reads never see it late.
  static final Setting SWEEP_INTERVAL = new Setting("ORDERS_SWEEP_INTERVAL", "PT10S", "how often expired cancellation requests are swept (ISO-8601)");
  // A week: covers client retries, a queue redelivering after a long outage and an operator replaying
  // the failed calls of a weekend; one small row per mutation for a week is cheap. At least PT24H.
  static final Setting IDEMPOTENCY_RETENTION = new Setting("ORDERS_IDEMPOTENCY_RETENTION", "P7D", "how long a request_id replays its first response; an older one runs as a new request (ISO-8601, at least PT24H)");
  // A record outlives its retention by at most this much; a run is a few short transactions.
  static final Setting IDEMPOTENCY_CLEANUP_INTERVAL = new Setting("ORDERS_IDEMPOTENCY_CLEANUP_INTERVAL", "PT10M", "how often expired idempotency records are deleted (ISO-8601)");

  static final List<Setting> SETTINGS =
      List.of(HEALTH_CHECK_INTERVAL, SWEEP_INTERVAL, IDEMPOTENCY_RETENTION, IDEMPOTENCY_CLEANUP_INTERVAL);

  static BackgroundJobSettings read(SettingsReader settings) {
    return new BackgroundJobSettings(
        settings.duration(HEALTH_CHECK_INTERVAL),
        settings.positiveDuration(SWEEP_INTERVAL),
        idempotencyRetention(settings),
        settings.positiveDuration(IDEMPOTENCY_CLEANUP_INTERVAL));
  }

  private static Duration idempotencyRetention(SettingsReader settings) {
    Duration value = settings.duration(IDEMPOTENCY_RETENTION);
    if (!value.isNegative() && value.compareTo(IdempotencyRetention.MINIMUM) < 0) {
      settings.problem(
          IDEMPOTENCY_RETENTION.env() + " must be at least " + IdempotencyRetention.MINIMUM
              + " (a retry after its record is removed runs as a new request), was " + value);
      return Duration.parse(IDEMPOTENCY_RETENTION.defaultValue());
    }
    return value;
  }
}
