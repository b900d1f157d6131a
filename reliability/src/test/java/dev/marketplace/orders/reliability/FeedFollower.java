package dev.marketplace.orders.reliability;

import dev.marketplace.orders.client.OrderEventHandler;
import dev.marketplace.orders.client.OrderEventSubscription;
import dev.marketplace.orders.client.OrdersClient;
import dev.marketplace.orders.client.OrdersException;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.server.auth.TokenIssuer;
import dev.marketplace.orders.v1.OrderEvent;
import dev.marketplace.orders.v1.WatchOrderEventsRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A consumer of the whole feed through the {@code client} module's {@code watchOrderEvents}, from the
 * first position, following the run through whatever the test inflicts (a killed server, a database
 * gone): its subscription resumes by itself. At the end, what it received is compared with every
 * history row the database holds: each position once, in position order, none missing.
 */
final class FeedFollower implements AutoCloseable, OrderEventHandler {

  private final OrdersClient client;
  private final OrderEventSubscription subscription;
  private final List<Long> positions = new ArrayList<>();
  private final AtomicInteger reconnects = new AtomicInteger();
  private volatile Exception error;

  FeedFollower(String target) {
    String token = new TokenIssuer(ServerProcess.SECRET, Clock.systemUTC()).issue("notifier", Role.SERVICE, List.of("events.read"), Duration.ofHours(1));
    client =
        OrdersClient.builder()
            .target(target)
            .plaintext()
            .tokenSupplier(() -> token)
            .watchReconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
            .build();
    subscription =
        client.watchOrderEvents(
            WatchOrderEventsRequest.newBuilder().setScope(WatchOrderEventsRequest.Scope.ALL_ORDERS).setResumeToken("0").build(), this);
  }

  @Override
  public synchronized void onEvent(OrderEvent event) {
    positions.add(event.getPosition());
  }

  @Override
  public void onReconnecting(OrdersException cause, Duration delay) {
    reconnects.incrementAndGet();
  }

  @Override
  public void onError(Exception e) {
    error = e;
  }

  int reconnects() {
    return reconnects.get();
  }

  synchronized int received() {
    return positions.size();
  }

  /**
   * Waits (up to {@code patience}) until the follower has every position the database holds, then
   * lists what is wrong: repeats, positions out of order, positions missing, or a subscription that
   * gave up.
   */
  List<String> violations(DataSource dataSource, Duration patience) throws Exception {
    List<Long> stored = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT position FROM order_events ORDER BY position")) {
      while (rs.next()) {
        stored.add(rs.getLong(1));
      }
    }
    long end = System.nanoTime() + patience.toNanos();
    while (System.nanoTime() < end && received() < stored.size() && error == null) {
      Thread.sleep(50);
    }
    List<Long> seen;
    synchronized (this) {
      seen = List.copyOf(positions);
    }
    List<String> violations = new ArrayList<>();
    if (error != null) {
      violations.add("the feed subscription stopped: " + error);
    }
    Set<Long> distinct = new HashSet<>();
    for (int i = 0; i < seen.size(); i++) {
      if (!distinct.add(seen.get(i))) {
        violations.add("feed position " + seen.get(i) + " delivered twice");
      }
      if (i > 0 && seen.get(i) <= seen.get(i - 1)) {
        violations.add("feed position " + seen.get(i) + " delivered after " + seen.get(i - 1));
      }
    }
    List<Long> missing = stored.stream().filter(p -> !distinct.contains(p)).toList();
    if (!missing.isEmpty()) {
      violations.add(missing.size() + " feed positions never delivered, the first " + missing.subList(0, Math.min(10, missing.size())));
    }
    return violations;
  }

  @Override
  public void close() {
    subscription.close();
    client.close();
  }
}
