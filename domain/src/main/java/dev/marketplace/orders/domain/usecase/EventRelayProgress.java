package dev.marketplace.orders.domain.usecase;

import dev.marketplace.orders.domain.persistence.EventRelayStore.RelayRow;
import dev.marketplace.orders.domain.persistence.Transactor;
import java.time.Duration;
import java.util.Optional;

/**
 * One replica's standing in a broker relay: the lease that lets one replica at a time publish the feed
 * to the broker, and the last position the broker confirmed, from which whoever holds the lease next
 * resumes. Each call is one short transaction; lease times are the database's clock.
 *
 * <p>The holder publishes only while its lease is valid, stores a batch's last position only after
 * the broker confirmed the batch, and only while it still holds the lease ({@link #confirm} is fenced
 * by the holder's name): a replica that paused past its lease and lost it to another cannot move the
 * confirmed position under the new holder. The cost is a batch published twice around a takeover,
 * never a position skipped.
 */
public final class EventRelayProgress {

  private final Transactor transactor;
  private final String relay;
  private final String holder;
  private final Duration lease;

  /** {@code relay} names the relay (its exchange); {@code holder} this replica, unique among replicas. */
  public EventRelayProgress(Transactor transactor, String relay, String holder, Duration lease) {
    if (lease.toMillis() < 1) {
      throw new IllegalArgumentException("a lease lasts at least a millisecond");
    }
    this.transactor = transactor;
    this.relay = relay;
    this.holder = holder;
    this.lease = lease;
  }

  public String holder() {
    return holder;
  }

  public Duration lease() {
    return lease;
  }

  /**
   * Takes the lease when it is free or expired (or extends this replica's own) and returns the
   * confirmed position to resume after; empty while another replica holds it.
   */
  public Optional<Long> acquire() {
    return transactor.inTransaction(uow -> uow.relays().acquire(relay, holder, lease));
  }

  /** Extends the lease this replica holds; false when it has expired or another replica holds it. */
  public boolean renew() {
    return transactor.inTransaction(uow -> uow.relays().renew(relay, holder, lease));
  }

  /** Stores {@code position} as confirmed by the broker; false when this replica no longer holds the lease. */
  public boolean confirm(long position) {
    return transactor.inTransaction(uow -> uow.relays().confirm(relay, holder, position));
  }

  /** Gives the lease up, so another replica takes over without waiting for it to expire. */
  public void release() {
    transactor.inTransaction(
        uow -> {
          uow.relays().release(relay, holder);
          return null;
        });
  }

  /** The relay's confirmed position and current holder, as the database has them. */
  public RelayRow standing() {
    return transactor.inTransaction(uow -> uow.relays().find(relay));
  }
}
