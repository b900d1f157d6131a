package dev.marketplace.orders.domain.persistence;

import static dev.marketplace.orders.domain.persistence.jooq.Tables.IDEMPOTENCY_RECORDS;

import dev.marketplace.orders.domain.idempotency.IdempotencyKey;
import java.time.Instant;
import java.util.Optional;
import org.jooq.DSLContext;

/** Idempotency records: one row per (caller, request id), written in the transaction of the change. */
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
            .set(IDEMPOTENCY_RECORDS.REQUEST_ID, key.requestId())
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
        .and(IDEMPOTENCY_RECORDS.REQUEST_ID.eq(key.requestId()))
        .execute();
  }

  Optional<Stored> find(IdempotencyKey key) {
    return tx.select(
            IDEMPOTENCY_RECORDS.OPERATION,
            IDEMPOTENCY_RECORDS.REQUEST_FINGERPRINT,
            IDEMPOTENCY_RECORDS.RESPONSE)
        .from(IDEMPOTENCY_RECORDS)
        .where(IDEMPOTENCY_RECORDS.CALLER.eq(key.caller()))
        .and(IDEMPOTENCY_RECORDS.REQUEST_ID.eq(key.requestId()))
        .fetchOptional(r -> new Stored(r.value1(), r.value2(), r.value3()));
  }
}
