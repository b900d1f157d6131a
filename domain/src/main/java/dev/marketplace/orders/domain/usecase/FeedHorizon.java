package dev.marketplace.orders.domain.usecase;

import dev.marketplace.orders.domain.persistence.Transactor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How far the feed can be read without ever skipping an entry: the highest position up to which every
 * position is settled, either committed or never to be.
 *
 * <p>A position is allocated by the insert that writes the entry (an AUTO_INCREMENT value), in the
 * writing transaction, so positions are taken in one order and committed in another: a transaction
 * holding position 10 may still be running while position 11 has committed, and one that rolls back
 * leaves position 10 empty for good. A reader that moved on to 11 and past would skip 10 if it then
 * committed. So the horizon only moves over a hole once it knows the hole's fate:
 *
 * <ol>
 *   <li>a hole that fills up by the next scan was a transaction committing late: nothing to do;
 *   <li>a hole still open after a short grace ({@code holeGrace}) is settled by a locking read of its
 *       range. InnoDB makes a locking read wait for a transaction that has inserted a row in that range
 *       and not ended, so when the read returns, each missing position either committed (the read sees
 *       it) or rolled back. The grace covers the microseconds between the allocation of a position and
 *       the insert of its row, during which no lock exists yet.
 * </ol>
 *
 * The horizon is per process and shared by everything that reads the feed in it (the live streams,
 * the broker relay). It starts {@link #STARTUP_WINDOW} positions below the highest committed one and
 * settles that window like any other, so transactions still running at start-up are waited for too.
 */
public final class FeedHorizon {

  /** How far below the latest position a fresh horizon starts: far more than could still be in flight. */
  static final long STARTUP_WINDOW = 100_000;

  private static final int SCAN_LIMIT = 1_000;

  private final Transactor transactor;
  private final long holeGraceNanos;
  /** Holes seen and not yet settled: the position before each, and when it was first seen (nanoTime). */
  private final Map<Long, Long> holes = new TreeMap<>();
  private volatile long settled = -1;

  public FeedHorizon(Transactor transactor, Duration holeGrace) {
    if (holeGrace.isNegative()) {
      throw new IllegalArgumentException("the hole grace is never negative");
    }
    this.transactor = transactor;
    this.holeGraceNanos = holeGrace.toNanos();
  }

  /** Where the horizon stands (the first call finds it). */
  public long settled() {
    long at = settled;
    return at >= 0 ? at : advance();
  }

  /**
   * Moves the horizon as far as the database allows now, at most {@value #SCAN_LIMIT} positions, and
   * returns it. Every hole in the scanned range starts its grace at once (they age together, however
   * many there are); the holes past their grace up to the first young one are settled together, by one
   * locking read of that range, which may wait for a transaction holding one of them to end.
   */
  public synchronized long advance() {
    long at = settled >= 0 ? settled : Math.max(0, transactor.inTransaction(uow -> uow.feed().latestPosition()) - STARTUP_WINDOW);
    long from = at;
    List<Long> seen = transactor.inTransaction(uow -> uow.feed().positionsAfter(from, SCAN_LIMIT));
    long now = System.nanoTime();
    long previous = at;
    for (long position : seen) {
      if (position != previous + 1) {
        holes.putIfAbsent(previous, now);
      }
      previous = position;
    }
    long reach = at;
    boolean holesToSettle = false;
    previous = at;
    for (long position : seen) {
      if (position != previous + 1) {
        if (now - holes.get(previous) < holeGraceNanos) {
          break;
        }
        holesToSettle = true;
      }
      reach = position;
      previous = position;
    }
    if (holesToSettle) {
      long upTo = reach;
      transactor.inTransaction(uow -> uow.feed().settleRange(from, upTo));
    }
    long reached = reach;
    holes.keySet().removeIf(before -> before < reached);
    settled = reached;
    return reached;
  }
}
