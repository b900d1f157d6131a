-- The feed of every order's history (WatchOrderEvents, the broker relay).
--
-- order_events.position is the entry's place in the feed: an AUTO_INCREMENT value, allocated by the
-- insert in the writing transaction under InnoDB's auto-increment mutex (held for the allocation, not
-- to commit), so writers are not serialised by a counter row. Positions are unique and increase with
-- allocation, not with commit: a transaction can commit position 11 while 10 is still being written,
-- and a transaction that rolls back leaves a hole for good. Readers therefore never pass a hole before
-- they know its fate (domain usecase FeedHorizon): a locking read of the missing positions waits for
-- the transaction that holds them and finds the row if it committed, nothing if it rolled back.
-- Existing entries are numbered in (order_id, sequence_no) order.
ALTER TABLE order_events
  ADD COLUMN position BIGINT NOT NULL AUTO_INCREMENT,
  ADD UNIQUE KEY uk_order_events_position (position);

-- One row per broker relay (named after its exchange): the last position the broker confirmed, and
-- the lease that lets one replica at a time relay. A replica holds the lease while lease_expires_at
-- is ahead of the database's clock and renews it; another takes it once it has expired. The
-- confirmed position is only moved by the holder (fenced by lease_holder in the UPDATE).
CREATE TABLE event_relays (
  name                VARCHAR(255) NOT NULL,
  lease_holder        VARCHAR(255) NULL,
  lease_expires_at    DATETIME(6)  NULL,
  confirmed_position  BIGINT       NOT NULL DEFAULT 0,
  confirmed_at        DATETIME(6)  NULL,
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
