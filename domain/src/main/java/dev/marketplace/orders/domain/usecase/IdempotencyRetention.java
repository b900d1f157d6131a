package dev.marketplace.orders.domain.usecase;

import dev.marketplace.orders.domain.persistence.Transactor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * How long a mutating call's idempotency record is kept, and its removal afterwards. Within the
 * retention, the same {@code request_id} replays the first response; once its record is removed, a
 * retry with that {@code request_id} is a new request and runs again (a second order, a second
 * cancellation attempt, which now meets the order's current state). The retention is therefore at least {@link #MINIMUM}: longer than any
 * client's retries, a queue's redelivery or an operator replaying yesterday's failed calls.
 *
 * <p>Removal goes in short transactions of at most one batch each, oldest records first. It locks only
 * the expired rows it deletes, passes over any row a live call holds (see
 * {@code UnitOfWork#deleteIdempotencyRecordsCreatedBefore}) and keeps no lock on a record younger than
 * the retention, so calls never wait for it; any number of replicas may run it at once.
 */
public final class IdempotencyRetention {

  public static final Duration MINIMUM = Duration.ofHours(24);

  /**
   * What one {@link #removeExpired} did: {@code removed} records created before {@code createdBefore}
   * deleted in {@code batches} transactions (all of them, but for any a live call held meanwhile).
   */
  public record Removal(Instant createdBefore, int removed, int batches) {}

  private final Transactor transactor;
  private final Clock clock;
  private final Duration retention;

  public IdempotencyRetention(Transactor transactor, Clock clock, Duration retention) {
    this.transactor = Objects.requireNonNull(transactor, "transactor");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.retention = check(retention);
  }

  /** The retention unchanged, refused when under {@link #MINIMUM}. */
  private static Duration check(Duration retention) {
    Objects.requireNonNull(retention, "retention");
    if (retention.compareTo(MINIMUM) < 0) {
      throw new IllegalArgumentException(
          "idempotency records must be kept at least " + MINIMUM + " (a retry after its record is removed runs as a new request), was " + retention);
    }
    return retention;
  }

  public Duration retention() {
    return retention;
  }

  /**
   * Removes every record older than the retention, {@code batchSize} rows per transaction, until a
   * batch comes back short. The cutoff is fixed at the start, so records expiring meanwhile wait for
   * the next run and the loop ends; so do rows a live call held, which make a batch short. Stops
   * early, between batches, when the thread is interrupted.
   */
  public Removal removeExpired(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be positive, was " + batchSize);
    }
    Instant cutoff = clock.instant().minus(retention).truncatedTo(ChronoUnit.MICROS);
    int total = 0;
    int batches = 0;
    int removed;
    do {
      removed = transactor.inTransaction(uow -> uow.deleteIdempotencyRecordsCreatedBefore(cutoff, batchSize));
      total += removed;
      batches++;
    } while (removed == batchSize && !Thread.currentThread().isInterrupted());
    return new Removal(cutoff, total, batches);
  }
}
