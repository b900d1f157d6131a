package dev.marketplace.orders.domain.usecase;

import dev.marketplace.orders.domain.persistence.Transactor;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;

/**
 * How far the feed can be read without ever skipping an entry: the highest position up to which every
 * position is settled, either committed or never to be.
 *
 * <p>A position is allocated by the insert that writes the entry (an AUTO_INCREMENT value), in the
 * writing transaction, so positions are taken in one order and committed in another: a transaction
 * holding position 10 may still be running while position 11 has committed, and one that rolls back
 * leaves position 10 empty for good. A reader that moved on to 11 and past would skip 10 if it then
 * committed. So the horizon moves in two ways:
 *
 * <ol>
 *   <li>over committed positions that follow it without a gap, at once;
 *   <li>over holes, only once their fate is known. Positions are allocated in increasing order, so
 *       when position {@code top} is seen committed, every position below it had been allocated
 *       already. Once {@code top} has been seen for a short grace ({@code holeGrace}, which covers
 *       the microseconds between a position's allocation and the insert of its row, when no lock
 *       exists yet), one shared locking read of the range up to {@code top} (at READ COMMITTED: no gap locks, so no
 *       insert waits for it) settles every hole in it: InnoDB
 *       makes a locking read wait for a transaction that has inserted a row in the range and not
 *       ended, so when it returns, each missing position either committed or never will. The read is
 *       only made when the range has holes (a count says so).
 * </ol>
 *
 * So a hole costs about one grace however many there are (rolled-back writes, a bulk insert's unused
 * values), and a transaction still running holds the horizon until it ends. The horizon is per process
 * and shared by everything that reads the feed in it (the live streams, the broker relay). It starts
 * {@link #STARTUP_WINDOW} positions below the highest committed one and settles that window like any
 * range with holes, so transactions still running at start-up are waited for too.
 */
public final class FeedHorizon {

  /** How far below the latest position a fresh horizon starts: far more than could still be in flight. */
  static final long STARTUP_WINDOW = 100_000;

  private static final int SCAN_LIMIT = 1_000;

  private final Transactor transactor;
  private final long holeGraceNanos;
  /** Committed positions seen, highest last, each with when it was first seen (nanoTime); the ones not yet past their grace, and the latest past it. */
  private final ArrayDeque<long[]> sightings = new ArrayDeque<>();
  private volatile long settled = -1;
  /** Whether the start-up window is settled; until then {@code settled} is not yet where "now" is. */
  private volatile boolean started;

  public FeedHorizon(Transactor transactor, Duration holeGrace) {
    if (holeGrace.isNegative()) {
      throw new IllegalArgumentException("the hole grace is never negative");
    }
    this.transactor = transactor;
    this.holeGraceNanos = holeGrace.toNanos();
  }

  /**
   * Where the horizon stands. The first read (or advance) finds it: it starts {@link #STARTUP_WINDOW}
   * below the latest position and settles that window, waiting out one grace, so that the horizon
   * stands at the latest position, not far behind it, when the first subscriber asks where "now" is.
   */
  public long settled() {
    return started ? settled : advance();
  }

  /**
   * Moves the horizon as far as the database allows now and returns it. May wait for a transaction
   * holding a position below a committed one to end.
   */
  public synchronized long advance() {
    if (!started) {
      step();
      if (!sightings.isEmpty()) {
        try {
          Thread.sleep(holeGraceNanos / 1_000_000, (int) (holeGraceNanos % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      step();
      started = true;
      return settled;
    }
    return step();
  }

  private long step() {
    long top = transactor.inTransaction(uow -> uow.feed().latestPosition());
    long now = System.nanoTime();
    long at = settled >= 0 ? settled : Math.max(0, top - STARTUP_WINDOW);
    if (top > at && (sightings.isEmpty() || sightings.peekLast()[0] < top)) {
      sightings.addLast(new long[] {top, now});
    }
    // Holes below a position seen at least a grace ago: settle the whole range at once.
    long aged = -1;
    while (!sightings.isEmpty() && now - sightings.peekFirst()[1] >= holeGraceNanos) {
      aged = sightings.pollFirst()[0];
    }
    if (aged > at) {
      long from = at;
      long upTo = aged;
      if (transactor.inTransaction(uow -> uow.feed().countInRange(from, upTo)) < upTo - from) {
        transactor.inReadCommittedTransaction(uow -> uow.feed().settleRange(from, upTo + 1));
      }
      at = aged;
    }
    // Committed positions right after it, without a gap: at once.
    long from = at;
    List<Long> next = transactor.inTransaction(uow -> uow.feed().positionsAfter(from, SCAN_LIMIT));
    for (long position : next) {
      if (position != at + 1) {
        break;
      }
      at = position;
    }
    long reached = at;
    sightings.removeIf(sighting -> sighting[0] <= reached);
    settled = reached;
    return reached;
  }
}
