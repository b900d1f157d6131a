package dev.marketplace.orders.server.conversation;

import static dev.marketplace.orders.domain.access.Role.SERVICE;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.Conversation;
import dev.marketplace.orders.v1.ConversationServiceGrpc.ConversationServiceBlockingStub;
import dev.marketplace.orders.v1.ListConversationsRequest;
import dev.marketplace.orders.v1.ListConversationsResponse;
import dev.marketplace.orders.v1.ListMessagesRequest;
import dev.marketplace.orders.v1.MarkConversationReadRequest;
import dev.marketplace.orders.v1.Message;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.RecordPaymentRequest;
import dev.marketplace.orders.v1.SendMessageRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Orders and conversation calls for the conversation tests, through the public API. */
final class Threads {

  private final GrpcTestServer server;

  Threads(GrpcTestServer server) {
    this.server = server;
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  Order order(String buyer, String seller) {
    return server.ordersAs("checkout", SERVICE, "orders.create").createOrder(Requests.create(buyer, seller));
  }

  Order paidOrder(String buyer, String seller) {
    Order order = order(buyer, seller);
    return server
        .ordersAs("payments", SERVICE, "payments.record")
        .recordPayment(Requests.payment(order.getOrderId(), RecordPaymentRequest.Outcome.CAPTURED));
  }

  ConversationServiceBlockingStub as(String subject, Role role) {
    return server.conversationsAs(subject, role);
  }

  static SendMessageRequest.Builder message(String orderId, String text) {
    return SendMessageRequest.newBuilder().setRequestId(Requests.newId()).setOrderId(orderId).setText(text);
  }

  Message send(String subject, Role role, String orderId, String text) {
    return as(subject, role).sendMessage(message(orderId, text).setLanguageCode("en").build());
  }

  List<Message> messages(String subject, Role role, String orderId) {
    List<Message> all = new ArrayList<>();
    String token = "";
    do {
      var page = as(subject, role).listMessages(ListMessagesRequest.newBuilder().setOrderId(orderId).setPageSize(2).setPageToken(token).build());
      all.addAll(page.getMessagesList());
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return all;
  }

  ListConversationsResponse inbox(String subject, Role role) {
    return as(subject, role).listConversations(ListConversationsRequest.newBuilder().setPageSize(100).build());
  }

  Conversation markRead(String subject, Role role, String orderId, String messageId) {
    return as(subject, role)
        .markConversationRead(
            MarkConversationReadRequest.newBuilder().setRequestId(Requests.newId()).setOrderId(orderId).setMessageId(messageId).build());
  }
}
