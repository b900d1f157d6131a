package dev.marketplace.orders.client;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.testing.TestDatabase;
import dev.marketplace.orders.server.OrdersApplication;
import dev.marketplace.orders.server.auth.TokenIssuer;
import dev.marketplace.orders.server.config.ServerConfig;
import dev.marketplace.orders.v1.Conversation;
import dev.marketplace.orders.v1.CreateOrderRequest;
import dev.marketplace.orders.v1.LineItem;
import dev.marketplace.orders.v1.ListConversationsRequest;
import dev.marketplace.orders.v1.ListMessagesRequest;
import dev.marketplace.orders.v1.Message;
import dev.marketplace.orders.v1.Money;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.SendMessageRequest;
import dev.marketplace.orders.v1.ShippingAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The conversation methods of the client against the real server, with a rate of 2 messages an hour. */
class OrdersClientConversationsTest {

  private static final String SECRET = "test-secret-test-secret-test-secret-0123";

  private static OrdersApplication app;
  private static TokenIssuer tokens;

  @BeforeAll
  static void startServer() throws java.io.IOException {
    ServerConfig config =
        ServerConfig.from(
            Map.of(
                "ORDERS_PORT", "0",
                "ORDERS_BIND_ADDRESS", "127.0.0.1",
                "ORDERS_DB_URL", TestDatabase.createDatabase(),
                "ORDERS_DB_USER", TestDatabase.user(),
                "ORDERS_DB_PASSWORD", TestDatabase.password(),
                "ORDERS_AUTH_HS256_SECRET", SECRET,
                "ORDERS_MESSAGE_RATE", "2"));
    app = OrdersApplication.start(config, Clock.systemUTC());
    tokens = new TokenIssuer(SECRET, Clock.systemUTC());
  }

  @AfterAll
  static void stopServer() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void buyerAndSellerTalk_theSellersInboxShowsIt_andTheThirdMessageInAnHourIsATypedRefusal() {
    String buyer = "buyer-" + UUID.randomUUID().toString().substring(0, 8);
    String seller = "seller-" + UUID.randomUUID().toString().substring(0, 8);
    try (OrdersClient checkout = client(token("checkout", Role.SERVICE, "orders.create"));
        OrdersClient asBuyer = client(token(buyer, Role.BUYER));
        OrdersClient asSeller = client(token(seller, Role.SELLER))) {
      Order order = checkout.createOrder(CreateOrderRequest.newBuilder().setOrder(draft(buyer, seller)).build());
      SendMessageRequest question = SendMessageRequest.newBuilder().setOrderId(order.getOrderId()).setText("Is the red one in stock?").setLanguageCode("en").build();

      Message first = asBuyer.sendMessage(question);
      asBuyer.sendMessage(order.getOrderId(), "Please answer soon, I would like to order two more of them.");
      MessageRateExceededException refused = thrown(MessageRateExceededException.class, () -> asBuyer.sendMessage(question));
      Conversation inbox = asSeller.listConversations(ListConversationsRequest.getDefaultInstance()).getConversations(0);
      List<Message> thread = asSeller.listMessages(ListMessagesRequest.newBuilder().setOrderId(order.getOrderId()).build()).getMessagesList();
      Conversation read = asSeller.markConversationRead(order.getOrderId(), thread.get(1).getMessageId());

      assertThat(first.getSequenceNumber()).isEqualTo(1);
      assertThat(refused.reason()).isEqualTo("MESSAGE_RATE_EXCEEDED");
      assertThat(refused.limit()).isEqualTo(2);
      assertThat(refused.retryDelay()).hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofMinutes(59), Duration.ofMinutes(60)));
      assertThat(inbox.getOrderId()).isEqualTo(order.getOrderId());
      assertThat(inbox.getUnreadCount()).isEqualTo(2);
      assertThat(thread).extracting(Message::getText).containsExactly("Is the red one in stock?", "Please answer soon, I would like to order two more of them.");
      assertThat(thread.get(1).getLanguageCode()).as("detected").isEqualTo("en");
      assertThat(read.getUnreadCount()).isZero();
    }
  }

  private static OrdersClient client(Supplier<String> token) {
    return OrdersClient.builder().target("127.0.0.1:" + app.port()).plaintext().tokenSupplier(token).build();
  }

  private static Supplier<String> token(String subject, Role role, String... scopes) {
    return () -> tokens.issue(subject, role, List.of(scopes), Duration.ofHours(1));
  }

  private static Order.Builder draft(String buyer, String seller) {
    return Order.newBuilder()
        .setBuyerId(buyer)
        .setSellerId(seller)
        .setPaymentMethod(Order.PaymentMethod.CARD)
        .addLineItems(
            LineItem.newBuilder()
                .setSku("SKU-1")
                .setTitle("Phone case")
                .setQuantity(1)
                .setUnitPrice(Money.newBuilder().setCurrencyCode("USD").setAmountMinor(1250)))
        .setShippingAddress(
            ShippingAddress.newBuilder()
                .setRecipientName("Ada Buyer")
                .addAddressLines("1 Demo Street")
                .setLocality("Berlin")
                .setPostalCode("10115")
                .setRegionCode("DE"));
  }
}
