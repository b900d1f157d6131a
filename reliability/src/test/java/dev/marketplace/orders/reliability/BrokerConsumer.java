package dev.marketplace.orders.reliability;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * A consumer of the relay's exchange on the RabbitMQ at 127.0.0.1:5672 (guest/guest): an exclusive,
 * auto-deleted queue bound with {@code #}, keeping the message id (the feed position) of every
 * delivery in arrival order. Closing deletes the exchange.
 */
final class BrokerConsumer implements AutoCloseable {

  static final String URL = "amqp://guest:guest@127.0.0.1:5672";

  private final String exchange;
  private final Connection connection;
  private final Channel channel;
  private final List<Long> positions = new ArrayList<>();

  /** Skips the calling test when nothing answers on 127.0.0.1:5672. */
  static void assumeBroker() {
    boolean answers;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", 5672), 1_000);
      answers = true;
    } catch (IOException e) {
      answers = false;
    }
    Assumptions.assumeTrue(answers, "broker suite skipped: no RabbitMQ answers on 127.0.0.1:5672 (guest/guest); CI starts one, start one locally to run it");
  }

  BrokerConsumer(String exchange) throws IOException, TimeoutException {
    this.exchange = exchange;
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(5672);
    connection = factory.newConnection("orders reliability consumer");
    channel = connection.createChannel();
    channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
    String queue = channel.queueDeclare("", false, true, true, null).getQueue();
    channel.queueBind(queue, exchange, "#");
    channel.basicConsume(
        queue,
        true,
        new DefaultConsumer(channel) {
          @Override
          public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            synchronized (positions) {
              positions.add(Long.parseLong(properties.getMessageId()));
            }
          }
        });
  }

  /** Every position received, in arrival order, duplicates included. */
  List<Long> positions() {
    synchronized (positions) {
      return List.copyOf(positions);
    }
  }

  /** How often each position arrived, in order of first arrival. */
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
