package dev.marketplace.orders.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.testing.Await;
import dev.marketplace.orders.domain.usecase.EventRelayProgress;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two relays on one database, as two replicas would run them: one publishes, the other stands by and
 * takes over from the confirmed position when the first stops or its lease lapses.
 */
class RelayLeaseTest {

  private static final Duration LEASE = Duration.ofSeconds(2);
  private static final URI BROKER = RabbitBroker.url(RabbitBroker.PORT);

  @BeforeAll
  static void broker() {
    RabbitBroker.assumeAvailable();
  }

  @Test
  void twoRelays_onlyTheHolderPublishes_andWhenItStops_theOtherResumesFromTheConfirmedPosition() throws Exception {
    String exchange = RabbitBroker.exchange("lease-stop");
    try (GrpcTestServer server = new GrpcTestServer();
        RabbitBroker.Consumer consumer = new RabbitBroker.Consumer(exchange);
        EventRelay b = RelayFixture.relay(server, BROKER, exchange, "relay-b", LEASE)) {
      EventRelay a = RelayFixture.relay(server, BROKER, exchange, "relay-a", LEASE);
      List<Long> first;
      try {
        a.start();
        Await.until("relay a to hold the lease", Duration.ofSeconds(10), () -> a.status().snapshot().holdsLease());
        b.start();
        RelayFixture.write(server, "first", 8);
        first = RelayFixture.positions(server.dataSource());
        Await.until("relay a to publish everything", Duration.ofSeconds(20), consumer::positions, got -> got.size() >= first.size());
        assertThat(consumer.positions()).containsExactlyElementsOf(first);
        assertThat(b.status().snapshot().leasesGained()).as("b never held the lease while a did").isZero();
        assertThat(b.status().snapshot().lastPublished()).isZero();
      } finally {
        a.close();
      }
      long confirmedByA = RelayFixture.storedConfirmed(server.dataSource(), exchange);
      assertThat(a.status().snapshot().holdsLease()).as("a released the lease when stopped").isFalse();

      // a gave the lease up on stopping: b takes it within a third of the lease, not after it expires.
      Await.until("relay b to take over", LEASE, () -> b.status().snapshot().holdsLease());
      RelayFixture.write(server, "second", 8);
      List<Long> all = RelayFixture.positions(server.dataSource());
      Await.until("relay b to publish the rest", Duration.ofSeconds(20), consumer::positions, got -> got.size() >= all.size());

      assertThat(consumer.positions()).as("a clean handover publishes nothing twice").containsExactlyElementsOf(all);
      assertThat(confirmedByA).as("a stored what the broker confirmed before it stopped").isEqualTo(first.get(first.size() - 1));
      // The consumer may see the last message a moment before b's confirm comes back and its status moves.
      Await.until("b's status to show the last position published", Duration.ofSeconds(10), () -> b.status().snapshot().lastPublished() == all.get(all.size() - 1));
    }
  }

  @Test
  void holdersLeaseLapses_theOtherTakesOver_andTheOldHolderCanNoLongerMoveTheConfirmedPosition() throws Exception {
    String exchange = RabbitBroker.exchange("lease-lapse");
    try (GrpcTestServer server = new GrpcTestServer();
        RabbitBroker.Consumer consumer = new RabbitBroker.Consumer(exchange);
        EventRelay a = RelayFixture.relay(server, BROKER, exchange, "relay-a", LEASE);
        EventRelay b = RelayFixture.relay(server, BROKER, exchange, "relay-b", LEASE)) {
      a.start();
      Await.until("relay a to hold the lease", Duration.ofSeconds(10), () -> a.status().snapshot().holdsLease());
      b.start();
      RelayFixture.write(server, "first", 5);

      // As if a had paused (a long GC, a frozen VM) past its lease: the database's clock says it expired.
      try (Connection c = server.dataSource().getConnection();
          PreparedStatement s = c.prepareStatement("UPDATE event_relays SET lease_expires_at = NOW(6) - INTERVAL 1 SECOND WHERE name = ?")) {
        s.setString(1, exchange);
        assertThat(s.executeUpdate()).isEqualTo(1);
      }
      Await.until("relay b to take the lapsed lease", Duration.ofSeconds(5), () -> b.status().snapshot().holdsLease());
      Await.until("relay a to notice it lost the lease", Duration.ofSeconds(5), () -> !a.status().snapshot().holdsLease());

      EventRelayProgress formerHolder = RelayFixture.progress(server, exchange, "relay-a", LEASE);
      long confirmed = RelayFixture.storedConfirmed(server.dataSource(), exchange);
      assertThat(formerHolder.confirm(confirmed + 1_000)).as("the confirm of a replica that lost the lease is fenced off").isFalse();
      assertThat(formerHolder.renew()).as("nor can it renew a lease it lost").isFalse();
      assertThat(RelayFixture.storedConfirmed(server.dataSource(), exchange)).isEqualTo(confirmed);

      RelayFixture.write(server, "second", 5);
      List<Long> all = RelayFixture.positions(server.dataSource());
      Await.until("every position to be published", Duration.ofSeconds(20), () -> consumer.receipts().keySet().containsAll(all));
      Await.until("b to confirm the last position", Duration.ofSeconds(10), () -> RelayFixture.storedConfirmed(server.dataSource(), exchange) == all.get(all.size() - 1));

      List<Long> received = consumer.positions();
      assertThat(consumer.receipts().keySet()).containsExactlyElementsOf(all);
      assertThat(RelayFixture.firstReceiptsAscending(received)).as("first receipts in position order: " + received).isTrue();
      assertThat(a.status().snapshot().holdsLease()).isFalse();
      assertThat(b.status().snapshot().leasesGained()).isEqualTo(1);
    }
  }
}
