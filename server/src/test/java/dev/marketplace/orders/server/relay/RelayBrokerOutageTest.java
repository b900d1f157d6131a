package dev.marketplace.orders.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.testing.Await;
import dev.marketplace.orders.domain.testing.TcpProxy;
import dev.marketplace.orders.server.testing.Checkout;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The broker goes away for several seconds while orders keep being written: the relay reports the
 * outage once, reconnects by itself and resumes after the last confirmed position. Nothing is lost,
 * first receipts stay in position order, and only positions around the outage arrive twice.
 */
class RelayBrokerOutageTest {

  private static final Duration OUTAGE = Duration.ofSeconds(5);

  @BeforeAll
  static void broker() {
    RabbitBroker.assumeAvailable();
  }

  @Test
  void brokerGoneForSecondsUnderLoad_everyPositionPublished_inOrder_duplicatesOnlyAroundTheOutage() throws Exception {
    String exchange = RabbitBroker.exchange("outage");
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger written = new AtomicInteger();
    AtomicReference<Throwable> writerFailure = new AtomicReference<>();
    try (GrpcTestServer server = new GrpcTestServer();
        RabbitBroker.Consumer consumer = new RabbitBroker.Consumer(exchange);
        TcpProxy proxy = new TcpProxy(RabbitBroker.HOST, RabbitBroker.PORT);
        EventRelay relay = RelayFixture.relay(server, RabbitBroker.url(proxy.port()), exchange, "relay-a", Duration.ofSeconds(3))) {
      Thread writer =
          new Thread(
              () -> {
                Checkout checkout = new Checkout(server);
                try {
                  for (int i = 0; writing.get(); i++) {
                    RelayFixture.placeAndCancel(server, checkout, "outage-buyer-" + i, "outage-seller-" + (i % 4), i % 2 == 1);
                    written.incrementAndGet();
                  }
                } catch (Throwable t) {
                  writerFailure.set(t);
                }
              },
              "outage-writer");
      relay.start();
      writer.start();
      try {
        Await.until("the relay to publish under load", Duration.ofSeconds(20), () -> consumer.positions().size() >= 40);

        long confirmedBeforeCut = relay.status().snapshot().confirmed();
        int writtenAtCut = written.get();
        proxy.cut();
        Await.until("the relay to notice the outage", Duration.ofSeconds(5), () -> !relay.status().snapshot().brokerUp());
        int receivedAtCut = consumer.positions().size();
        // Not a wait for a condition: the outage itself lasts this long, with the writer going on.
        Thread.sleep(OUTAGE.toMillis());
        List<Long> receivedDuringOutage = consumer.positions().subList(receivedAtCut, consumer.positions().size());
        int writtenDuringOutage = written.get() - writtenAtCut;
        proxy.restore();
        Await.until("the relay to reconnect", Duration.ofSeconds(15), () -> relay.status().snapshot().brokerUp());
        Await.until("the relay to publish after the outage", Duration.ofSeconds(15), () -> relay.status().snapshot().lastPublished() > confirmedBeforeCut + 20);
        writing.set(false);
        writer.join(30_000);
        assertThat(writerFailure.get()).as("the writer never failed").isNull();

        List<Long> all = RelayFixture.positions(server.dataSource());
        Await.until("every committed position to be published", Duration.ofSeconds(30), () -> consumer.receipts().keySet().containsAll(all));

        List<Long> received = consumer.positions();
        Map<Long, Integer> receipts = consumer.receipts();
        List<Long> duplicates = receipts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        System.out.println(
            "relay outage: " + all.size() + " positions, " + writtenDuringOutage + " orders written during the " + OUTAGE.toSeconds() + " s outage, "
                + received.size() + " messages received, duplicates " + duplicates + ", confirmed before the cut " + confirmedBeforeCut);

        assertThat(writtenDuringOutage).as("orders kept being written while the broker was away").isPositive();
        assertThat(receivedDuringOutage).as("nothing reached the broker while it was away").isEmpty();
        assertThat(receipts.keySet()).as("every committed position, and nothing else").containsExactlyElementsOf(all);
        assertThat(RelayFixture.firstReceiptsAscending(received)).as("first receipts in position order").isTrue();
        assertThat(duplicates)
            .as("only the batch cut off by the outage is published again")
            .allMatch(p -> p > confirmedBeforeCut)
            .hasSizeLessThanOrEqualTo(EventRelay.BATCH);
        RelayStatus.Snapshot status = relay.status().snapshot();
        assertThat(status.outages()).as("one outage, reported once").isEqualTo(1);
        assertThat(status.holdsLease()).as("the relay kept its lease through the outage").isTrue();
        assertThat(status.leasesGained()).isEqualTo(1);
      } finally {
        writing.set(false);
        writer.join(30_000);
      }
    }
  }
}
