package dev.marketplace.orders.server.relay;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.marketplace.orders.domain.history.FeedEvent;
import dev.marketplace.orders.server.api.OrderEventMessages;
import dev.marketplace.orders.v1.OrderEvent;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * One connection and one confirm-mode channel to RabbitMQ, publishing feed entries to a durable topic
 * exchange. No automatic recovery: after any failure the relay drops the connection and connects anew,
 * resuming from the last confirmed position, so nothing is published twice by a recovered channel
 * behind the relay's back.
 */
final class BrokerPublisher implements AutoCloseable {

  static final String CONTENT_TYPE = "application/x-protobuf";
  static final String MESSAGE_TYPE = "orders.v1.OrderEvent";
  private static final int PERSISTENT = 2;
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  // Below the broker's default (60 s): a dead TCP path is noticed within seconds, not minutes.
  private static final int HEARTBEAT_SECONDS = 10;

  private final ConnectionFactory factory;
  private final String exchange;
  private final String connectionName;
  private final Duration confirmTimeout;
  private Connection connection;
  private Channel channel;

  BrokerPublisher(URI url, String exchange, String connectionName, Duration confirmTimeout) {
    this.exchange = exchange;
    this.connectionName = connectionName;
    this.confirmTimeout = confirmTimeout;
    this.factory = new ConnectionFactory();
    try {
      factory.setUri(url);
      if ("amqps".equals(url.getScheme())) {
        // setUri alone would trust any certificate: use the JVM's trust store and check the host name.
        factory.useSslProtocol(SSLContext.getDefault());
        factory.enableHostnameVerification();
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("unusable AMQP URL " + url.getScheme() + "://" + url.getHost() + ": " + e.getMessage(), e);
    }
    factory.setAutomaticRecoveryEnabled(false);
    factory.setTopologyRecoveryEnabled(false);
    factory.setConnectionTimeout(CONNECT_TIMEOUT_MILLIS);
    factory.setHandshakeTimeout(CONNECT_TIMEOUT_MILLIS);
    factory.setRequestedHeartbeat(HEARTBEAT_SECONDS);
    factory.setThreadFactory(
        r -> {
          Thread t = new Thread(r, "event-relay-amqp");
          t.setDaemon(true);
          return t;
        });
  }

  boolean connected() {
    return channel != null && channel.isOpen();
  }

  /** Connects, declares the exchange (durable, topic) and puts the channel in confirm mode. */
  void connect() throws IOException, TimeoutException {
    close();
    connection = factory.newConnection(connectionName);
    channel = connection.createChannel();
    channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
    channel.confirmSelect();
  }

  /**
   * Publishes the entries in order and waits until the broker has confirmed every one of them; throws
   * (and the channel is closed) when one is refused or the confirms do not come in time.
   */
  void publish(List<FeedEvent> batch) throws IOException, InterruptedException, TimeoutException {
    for (FeedEvent entry : batch) {
      OrderEvent message = OrderEventMessages.toProto(entry);
      AMQP.BasicProperties properties =
          new AMQP.BasicProperties.Builder()
              .messageId(Long.toString(entry.position()))
              .contentType(CONTENT_TYPE)
              .type(MESSAGE_TYPE)
              .deliveryMode(PERSISTENT)
              .timestamp(Date.from(entry.event().occurredAt()))
              .build();
      channel.basicPublish(exchange, routingKey(message), false, properties, message.toByteArray());
    }
    channel.waitForConfirmsOrDie(confirmTimeout.toMillis());
  }

  /** The routing key: the event type as the proto enum names it, e.g. {@code CANCELLATION_APPROVED}. */
  static String routingKey(OrderEvent message) {
    return message.getType().name();
  }

  @Override
  public void close() {
    Connection open = connection;
    connection = null;
    channel = null;
    if (open != null) {
      // abort: closes without throwing, also when the broker is gone.
      open.abort(1_000);
    }
  }
}
