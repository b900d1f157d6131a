package dev.marketplace.orders.server.relay;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.usecase.EventFeed;
import dev.marketplace.orders.domain.usecase.EventRelayProgress;
import dev.marketplace.orders.domain.usecase.FeedHorizon;
import dev.marketplace.orders.server.testing.Checkout;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.CancelOrderRequest;
import dev.marketplace.orders.v1.CancellationReason;
import dev.marketplace.orders.v1.Order;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** What the relay tests share: history written through the API, relays built as BackgroundJobs builds them, the feed as the database has it. */
final class RelayFixture {

  static final Duration POLL = Duration.ofMillis(50);

  private RelayFixture() {}

  /**
   * A relay of its own, as a separate replica would have: its own horizon over the shared database,
   * its own holder name.
   */
  static EventRelay relay(GrpcTestServer server, URI broker, String exchange, String holder, Duration lease) {
    Transactor transactor = server.injector.getInstance(Transactor.class);
    EventFeed feed = new EventFeed(transactor, new FeedHorizon(transactor, Duration.ofMillis(300)));
    return new EventRelay(feed, progress(server, exchange, holder, lease), broker, exchange, POLL);
  }

  static EventRelayProgress progress(GrpcTestServer server, String exchange, String holder, Duration lease) {
    return new EventRelayProgress(server.injector.getInstance(Transactor.class), exchange, holder, lease);
  }

  /**
   * An order placed (and paid when {@code paid}) and cancelled by its buyer: unpaid it is cancelled at
   * once, paid the seller is asked. A few history entries of different types.
   */
  static void placeAndCancel(GrpcTestServer server, Checkout checkout, String buyer, String seller, boolean paid) {
    Order order = paid ? checkout.paid(buyer, seller) : checkout.placed(buyer, seller);
    server
        .cancellationsAs(buyer, Role.BUYER)
        .cancelOrder(
            CancelOrderRequest.newBuilder()
                .setRequestId(Requests.newId())
                .setOrderId(order.getOrderId())
                .setReason(CancellationReason.Code.ORDERED_BY_ACCIDENT)
                .build());
  }

  static void write(GrpcTestServer server, String run, int orders) {
    Checkout checkout = new Checkout(server);
    for (int i = 0; i < orders; i++) {
      placeAndCancel(server, checkout, run + "-buyer-" + i, run + "-seller-" + (i % 3), i % 2 == 1);
    }
  }

  /** Every committed position, ascending: {@code SELECT position FROM order_events ORDER BY position}. */
  static List<Long> positions(DataSource dataSource) throws Exception {
    return new ArrayList<>(typesByPosition(dataSource).keySet());
  }

  /** Every committed position with its event type, ascending. */
  static Map<Long, String> typesByPosition(DataSource dataSource) throws Exception {
    Map<Long, String> rows = new LinkedHashMap<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT position, event_type FROM order_events ORDER BY position")) {
      while (rs.next()) {
        rows.put(rs.getLong(1), rs.getString(2));
      }
    }
    return rows;
  }

  /** The confirmed position stored for the relay of {@code exchange}. */
  static long storedConfirmed(DataSource dataSource, String exchange) throws Exception {
    try (Connection c = dataSource.getConnection();
        var s = c.prepareStatement("SELECT confirmed_position FROM event_relays WHERE name = ?")) {
      s.setString(1, exchange);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /** Whether each position's first receipt came after every earlier position's first receipt. */
  static boolean firstReceiptsAscending(List<Long> received) {
    long highest = 0;
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (long p : received) {
      if (seen.add(p)) {
        if (p <= highest) {
          return false;
        }
        highest = p;
      }
    }
    return true;
  }
}
