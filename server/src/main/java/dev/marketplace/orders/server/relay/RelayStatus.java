package dev.marketplace.orders.server.relay;

import java.util.Optional;

/**
 * Where the broker relay of this replica stands, for health details and logs: whether it holds the
 * lease, whether the broker answers, the last position it published and the last the broker
 * confirmed, the feed's horizon and the lag (horizon minus confirmed). Written by the relay's thread
 * only; read from anywhere.
 */
public final class RelayStatus {

  private volatile boolean holdsLease;
  private volatile boolean brokerUp;
  private volatile long lastPublished;
  private volatile long confirmed;
  private volatile long horizon;
  private volatile int outages;
  private volatile int leasesGained;
  private volatile String lastProblem;

  /** A consistent enough copy for a log line or a health detail. */
  public record Snapshot(
      boolean holdsLease, boolean brokerUp, long lastPublished, long confirmed, long horizon, long lag, int outages, int leasesGained, Optional<String> lastProblem) {
    @Override
    public String toString() {
      return (holdsLease ? "relaying" : "standing by") + ", broker " + (brokerUp ? "up" : "down") + ", last published " + lastPublished
          + ", confirmed " + confirmed + ", horizon " + horizon + ", lag " + lag;
    }
  }

  public Snapshot snapshot() {
    long confirmedNow = confirmed;
    long horizonNow = horizon;
    return new Snapshot(
        holdsLease, brokerUp, lastPublished, confirmedNow, horizonNow, Math.max(0, horizonNow - confirmedNow), outages, leasesGained, Optional.ofNullable(lastProblem));
  }

  void leaseGained(long confirmedPosition) {
    confirmed = confirmedPosition;
    leasesGained++;
    holdsLease = true;
  }

  void leaseLost() {
    holdsLease = false;
  }

  void brokerUp() {
    brokerUp = true;
  }

  void outageStarted(String problem) {
    brokerUp = false;
    outages++;
    lastProblem = problem;
  }

  void problem(String problem) {
    lastProblem = problem;
  }

  void published(long position) {
    lastPublished = position;
  }

  void confirmed(long position) {
    confirmed = position;
  }

  void horizon(long position) {
    horizon = position;
  }
}
