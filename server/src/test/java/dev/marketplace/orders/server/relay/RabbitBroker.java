package dev.marketplace.orders.server.relay;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.marketplace.orders.v1.OrderEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * The RabbitMQ the CI machine runs on 127.0.0.1:5672 (guest/guest), for the broker suite. Without one
 * the suite is skipped, with a message that says so. Each test gets an exchange of its own and reads
 * it through its own exclusive, auto-deleted queue bound with {@code #}.
 */
final class RabbitBroker {

  static final String HOST = "127.0.0.1";
  static final int PORT = 5672;

  private RabbitBroker() {}

  /** Skips the calling test (or class) when nothing answers on 127.0.0.1:5672. */
  static void assumeAvailable() {
    boolean answers;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, PORT), 1_000);
      answers = true;
    } catch (IOException e) {
      answers = false;
    }
    Assumptions.assumeTrue(
        answers, "broker suite skipped: no RabbitMQ answers on " + HOST + ":" + PORT + " (guest/guest); CI starts one, start one locally to run it");
  }

  static URI url(int port) {
    return URI.create("amqp://guest:guest@" + HOST + ":" + port);
  }

  /** An exchange name of the test's own, so tests and runs never read each other's messages. */
  static String exchange(String test) {
    return "orders.events.test." + test + "." + UUID.randomUUID().toString().substring(0, 8);
  }

  /** What the consumer received, in delivery order. */
  record Delivery(String routingKey, AMQP.BasicProperties properties, OrderEvent event) {
    long position() {
      return Long.parseLong(properties.getMessageId());
    }
  }

  /**
   * A consumer directly on the broker (not through any proxy a test puts before the relay): declares
   * the exchange as the relay does, binds an exclusive auto-delete queue with {@code #}, and keeps
   * every delivery. Closing deletes the exchange.
   */
  static final class Consumer implements AutoCloseable {

    private final String exchange;
    private final Connection connection;
    private final Channel channel;
    private final List<Delivery> deliveries = new ArrayList<>();

    Consumer(String exchange) throws IOException, TimeoutException {
      this.exchange = exchange;
      ConnectionFactory factory = new ConnectionFactory();
      factory.setHost(HOST);
      factory.setPort(PORT);
      factory.setUsername("guest");
      factory.setPassword("guest");
      connection = factory.newConnection("orders relay test consumer");
      channel = connection.createChannel();
      channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
      String queue = channel.queueDeclare("", false, true, true, null).getQueue();
      channel.queueBind(queue, exchange, "#");
      channel.basicConsume(
          queue,
          true,
          new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) throws IOException {
              Delivery delivery = new Delivery(envelope.getRoutingKey(), properties, OrderEvent.parseFrom(body));
              synchronized (deliveries) {
                deliveries.add(delivery);
              }
            }
          });
    }

    List<Delivery> deliveries() {
      synchronized (deliveries) {
        return List.copyOf(deliveries);
      }
    }

    /** Every position received, in delivery order, duplicates included. */
    List<Long> positions() {
      return deliveries().stream().map(Delivery::position).toList();
    }

    /** How often each position was received, in order of first receipt. */
    Map<Long, Integer> receipts() {
      Map<Long, Integer> counts = new LinkedHashMap<>();
      positions().forEach(p -> counts.merge(p, 1, Integer::sum));
      return counts;
    }

    @Override
    public void close() throws IOException, TimeoutException {
      try {
        channel.exchangeDelete(exchange);
      } finally {
        connection.close();
      }
    }
  }
}
