package dev.marketplace.orders.domain.persistence;

import static dev.marketplace.orders.domain.persistence.jooq.Tables.EVENT_RELAYS;

import java.time.Duration;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record3;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The broker relays' rows ({@code event_relays}, V13): who holds each relay's lease until when, and the
 * last position the broker confirmed. Lease times are the database's clock ({@code NOW(6)}), never a
 * replica's, so replicas with skewed clocks still agree on who holds the lease. The confirmed position
 * only moves forward, and only for the holder: every write is fenced by {@code lease_holder}.
 */
public final class EventRelayStore {

  /** The database's clock, as the lease columns are written with it. */
  private static final Field<String> NOW = DSL.field("NOW(6)", SQLDataType.VARCHAR);

  private final DSLContext tx;

  EventRelayStore(DSLContext tx) {
    this.tx = tx;
  }

  /**
   * Takes the lease of relay {@code name} for {@code holder} when nobody holds it or it has expired,
   * or extends it when {@code holder} already holds it; creates the row on first use. Returns the
   * confirmed position when {@code holder} holds the lease now.
   */
  public Optional<Long> acquire(String name, String holder, Duration lease) {
    tx.insertInto(EVENT_RELAYS).set(EVENT_RELAYS.NAME, name).set(EVENT_RELAYS.CONFIRMED_POSITION, 0L).onDuplicateKeyIgnore().execute();
    int taken =
        tx.update(EVENT_RELAYS)
            .set(EVENT_RELAYS.LEASE_HOLDER, holder)
            .set(EVENT_RELAYS.LEASE_EXPIRES_AT, expiresAfter(lease))
            .where(EVENT_RELAYS.NAME.eq(name))
            .and(
                EVENT_RELAYS.LEASE_HOLDER.eq(holder)
                    .or(EVENT_RELAYS.LEASE_HOLDER.isNull())
                    .or(EVENT_RELAYS.LEASE_EXPIRES_AT.isNull())
                    .or(EVENT_RELAYS.LEASE_EXPIRES_AT.le(NOW)))
            .execute();
    if (taken == 0) {
      return Optional.empty();
    }
    return Optional.of(tx.select(EVENT_RELAYS.CONFIRMED_POSITION).from(EVENT_RELAYS).where(EVENT_RELAYS.NAME.eq(name)).fetchOne(EVENT_RELAYS.CONFIRMED_POSITION));
  }

  /** Extends the lease of {@code holder}, only while it still holds it unexpired; false when it lost it. */
  public boolean renew(String name, String holder, Duration lease) {
    return tx.update(EVENT_RELAYS)
            .set(EVENT_RELAYS.LEASE_EXPIRES_AT, expiresAfter(lease))
            .where(heldBy(name, holder))
            .and(EVENT_RELAYS.LEASE_EXPIRES_AT.gt(NOW))
            .execute()
        == 1;
  }

  /**
   * Stores {@code position} as confirmed by the broker, only while {@code holder} holds the lease and
   * only forward; false when another replica took the lease (whose confirmed position then stands).
   */
  public boolean confirm(String name, String holder, long position) {
    return tx.update(EVENT_RELAYS)
            .set(EVENT_RELAYS.CONFIRMED_POSITION, position)
            .set(EVENT_RELAYS.CONFIRMED_AT, NOW)
            .where(heldBy(name, holder))
            .and(EVENT_RELAYS.CONFIRMED_POSITION.le(position))
            .execute()
        == 1;
  }

  /** Gives the lease up at once, so that another replica need not wait for it to expire. */
  public void release(String name, String holder) {
    tx.update(EVENT_RELAYS)
        .setNull(EVENT_RELAYS.LEASE_HOLDER)
        .setNull(EVENT_RELAYS.LEASE_EXPIRES_AT)
        .where(heldBy(name, holder))
        .execute();
  }

  /** The confirmed position of relay {@code name} (0 before its first confirm) and who holds its lease unexpired, if anyone. */
  public RelayRow find(String name) {
    Record3<Long, String, Boolean> row =
        tx.select(EVENT_RELAYS.CONFIRMED_POSITION, EVENT_RELAYS.LEASE_HOLDER, DSL.field(EVENT_RELAYS.LEASE_EXPIRES_AT.gt(NOW)))
            .from(EVENT_RELAYS)
            .where(EVENT_RELAYS.NAME.eq(name))
            .fetchOne();
    if (row == null) {
      return new RelayRow(0, Optional.empty());
    }
    boolean unexpired = Boolean.TRUE.equals(row.value3());
    return new RelayRow(row.value1(), unexpired ? Optional.ofNullable(row.value2()) : Optional.empty());
  }

  /** A relay's row: what the broker confirmed, and the holder of an unexpired lease. */
  public record RelayRow(long confirmedPosition, Optional<String> leaseHolder) {}

  private static Condition heldBy(String name, String holder) {
    return EVENT_RELAYS.NAME.eq(name).and(EVENT_RELAYS.LEASE_HOLDER.eq(holder));
  }

  private static Field<String> expiresAfter(Duration lease) {
    return DSL.field("NOW(6) + INTERVAL {0} MICROSECOND", SQLDataType.VARCHAR, DSL.val(lease.toNanos() / 1_000));
  }
}
