package dev.marketplace.orders.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.testing.Await;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The relay publishes what the database holds: every committed position once, in position order, the
 * event type as routing key, the position as message id, the protobuf as body; the backlog written
 * before it started as well as what is written while it runs.
 */
class RelayPublishingTest {

  @BeforeAll
  static void broker() {
    RabbitBroker.assumeAvailable();
  }

  @Test
  void everyCommittedPosition_isPublishedOnceInOrder_withTypeAsRoutingKey_andPositionAsMessageId() throws Exception {
    String exchange = RabbitBroker.exchange("publishing");
    try (GrpcTestServer server = new GrpcTestServer();
        RabbitBroker.Consumer consumer = new RabbitBroker.Consumer(exchange)) {
      RelayFixture.write(server, "before", 10);
      try (EventRelay relay = RelayFixture.relay(server, RabbitBroker.url(RabbitBroker.PORT), exchange, "relay-a", Duration.ofSeconds(3))) {
        relay.start();
        RelayFixture.write(server, "during", 10);

        Map<Long, String> committed = RelayFixture.typesByPosition(server.dataSource());
        List<Long> positions = List.copyOf(committed.keySet());
        Await.until("every committed position to be published", Duration.ofSeconds(20), consumer::positions, got -> got.size() >= positions.size());
        long last = positions.get(positions.size() - 1);
        Await.until("the last position to be stored as confirmed", Duration.ofSeconds(10), () -> RelayFixture.storedConfirmed(server.dataSource(), exchange) == last);

        assertThat(consumer.positions()).as("exactly the committed positions, in order, once each").containsExactlyElementsOf(positions);
        for (RabbitBroker.Delivery delivery : consumer.deliveries()) {
          long position = delivery.position();
          assertThat(delivery.event().getPosition()).as("body position").isEqualTo(position);
          assertThat(delivery.routingKey()).as("routing key of " + position).isEqualTo(committed.get(position)).isEqualTo(delivery.event().getType().name());
          assertThat(delivery.properties().getContentType()).isEqualTo("application/x-protobuf");
          assertThat(delivery.properties().getType()).isEqualTo("orders.v1.OrderEvent");
          assertThat(delivery.properties().getDeliveryMode()).as("persistent").isEqualTo(2);
          assertThat(delivery.properties().getTimestamp()).isNotNull();
          assertThat(delivery.event().getOrderId()).isNotEmpty();
          assertThat(delivery.event().getBuyerId()).matches("(before|during)-buyer-\\d+");
        }
        assertThat(committed.values()).as("several event types were relayed").contains("ORDER_CREATED", "PAYMENT_CAPTURED", "ORDER_CANCELLED");
        // The status moves after the stored confirm: wait for it rather than race it.
        Await.until("the relay's status to show the last position", Duration.ofSeconds(10), () -> relay.status().snapshot().confirmed() == last && relay.status().snapshot().lag() == 0);
        RelayStatus.Snapshot status = relay.status().snapshot();
        assertThat(status.holdsLease()).isTrue();
        assertThat(status.lastPublished()).isEqualTo(last);
        assertThat(status.confirmed()).isEqualTo(last);
        assertThat(status.lag()).isZero();
      }
    }
  }
}
