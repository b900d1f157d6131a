package dev.marketplace.orders.domain.persistence;

import static dev.marketplace.orders.domain.persistence.jooq.Tables.IDEMPOTENCY_RECORDS;

import dev.marketplace.orders.domain.idempotency.IdempotencyKey;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jooq.BatchBindStep;
import org.jooq.DSLContext;
import org.jooq.Record2;
import org.jooq.Result;

/** Idempotency records: one row per (caller, call id), written in the transaction of the change. */
final class IdempotencyStore {

  record Stored(String operation, byte[] fingerprint, byte[] response) {}

  private final DSLContext tx;

  IdempotencyStore(DSLContext tx) {
    this.tx = tx;
  }

  /**
   * Inserts the key; false when it already exists. A concurrent uncommitted claim of the same key
   * makes this wait until that transaction ends (the primary key's lock), so after a false the
   * first call's record is committed and readable.
   */
  boolean claim(IdempotencyKey key, Instant now) {
    return tx.insertInto(IDEMPOTENCY_RECORDS)
            .set(IDEMPOTENCY_RECORDS.CALLER, key.caller())
            .set(IDEMPOTENCY_RECORDS.REQUEST_ID, key.callId())
            .set(IDEMPOTENCY_RECORDS.OPERATION, key.operation())
            .set(IDEMPOTENCY_RECORDS.REQUEST_FINGERPRINT, key.fingerprint())
            .set(IDEMPOTENCY_RECORDS.CREATED_AT, Times.toDb(now))
            .onDuplicateKeyIgnore()
            .execute()
        == 1;
  }

  void complete(IdempotencyKey key, byte[] response) {
    tx.update(IDEMPOTENCY_RECORDS)
        .set(IDEMPOTENCY_RECORDS.RESPONSE, response)
        .where(IDEMPOTENCY_RECORDS.CALLER.eq(key.caller()))
        .and(IDEMPOTENCY_RECORDS.REQUEST_ID.eq(key.callId()))
        .execute();
  }

  /** Gives up this transaction's claim of the key, as if it had never been made. */
  void release(IdempotencyKey key) {
    tx.deleteFrom(IDEMPOTENCY_RECORDS)
        .where(IDEMPOTENCY_RECORDS.CALLER.eq(key.caller()))
        .and(IDEMPOTENCY_RECORDS.REQUEST_ID.eq(key.callId()))
        .execute();
  }

  Optional<Stored> find(IdempotencyKey key) {
    return tx.select(
            IDEMPOTENCY_RECORDS.OPERATION,
            IDEMPOTENCY_RECORDS.REQUEST_FINGERPRINT,
            IDEMPOTENCY_RECORDS.RESPONSE)
        .from(IDEMPOTENCY_RECORDS)
        .where(IDEMPOTENCY_RECORDS.CALLER.eq(key.caller()))
        .and(IDEMPOTENCY_RECORDS.REQUEST_ID.eq(key.callId()))
        .fetchOptional(r -> new Stored(r.value1(), r.value2(), r.value3()));
  }

  /**
   * Deletes at most {@code limit} records created before {@code cutoff}, oldest first; returns how
   * many. The expired rows are claimed by a range scan on {@code idx_idempotency_records_created} with
   * {@code SKIP LOCKED} - a row a live call holds (a retry replaying it right now, or the brand-new
   * claim next to the range in the index) is passed over, never waited for - and then deleted one
   * primary key at a time, in one JDBC batch. By key, not by a condition: on a small table the
   * optimizer would scan every row for a condition and wait for each one live calls hold.
   */
  int deleteCreatedBefore(Instant cutoff, int limit) {
    Result<Record2<String, UUID>> expired =
        tx.select(IDEMPOTENCY_RECORDS.CALLER, IDEMPOTENCY_RECORDS.REQUEST_ID)
            .from(IDEMPOTENCY_RECORDS)
            .where(IDEMPOTENCY_RECORDS.CREATED_AT.lt(Times.toDb(cutoff)))
            .orderBy(IDEMPOTENCY_RECORDS.CREATED_AT)
            .limit(limit)
            .forUpdate()
            .skipLocked()
            .fetch();
    if (expired.isEmpty()) {
      return 0;
    }
    BatchBindStep deletes =
        tx.batch(
            tx.deleteFrom(IDEMPOTENCY_RECORDS)
                .where(IDEMPOTENCY_RECORDS.CALLER.eq((String) null))
                .and(IDEMPOTENCY_RECORDS.REQUEST_ID.eq((UUID) null)));
    for (Record2<String, UUID> key : expired) {
      deletes.bind(key.value1(), key.value2());
    }
    deletes.execute();
    return expired.size(); // each claimed row is locked by this transaction, so each one is deleted
  }
}
