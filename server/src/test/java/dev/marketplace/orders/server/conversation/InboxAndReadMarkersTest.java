package dev.marketplace.orders.server.conversation;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.domain.access.Role.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.v1.Conversation;
import dev.marketplace.orders.v1.ListConversationsRequest;
import dev.marketplace.orders.v1.ListConversationsResponse;
import dev.marketplace.orders.v1.Message;
import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InboxAndReadMarkersTest {

  private static GrpcTestServer server;
  private static Threads threads;

  @BeforeAll
  static void start() throws Exception {
    server = new GrpcTestServer();
    threads = new Threads(server);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void sellersInbox_newestActivityFirst_withLastMessageAndUnreadCounts() {
    String seller = Threads.unique("seller");
    String buyerA = Threads.unique("buyer");
    String buyerB = Threads.unique("buyer");
    String orderA = threads.order(buyerA, seller).getOrderId();
    String orderB = threads.order(buyerB, seller).getOrderId();
    threads.send(buyerA, BUYER, orderA, "first question");
    server.clock.advance(Duration.ofMinutes(1));
    threads.send(buyerB, BUYER, orderB, "other question");
    server.clock.advance(Duration.ofMinutes(1));
    threads.send(buyerA, BUYER, orderA, "second question");

    ListConversationsResponse inbox = threads.inbox(seller, SELLER);

    assertThat(inbox.getConversationsList()).extracting(Conversation::getOrderId).containsExactly(orderA, orderB);
    Conversation a = inbox.getConversations(0);
    assertThat(a.getLastMessage().getText()).isEqualTo("second question");
    assertThat(a.getMessageCount()).isEqualTo(2);
    assertThat(a.getUnreadCount()).isEqualTo(2);
    assertThat(inbox.getConversations(1).getUnreadCount()).isEqualTo(1);
    assertThat(threads.inbox(buyerA, BUYER).getConversationsList()).extracting(Conversation::getOrderId).containsExactly(orderA);
    assertThat(threads.inbox(buyerA, BUYER).getConversations(0).getUnreadCount()).as("the sender has read what they sent").isZero();
  }

  @Test
  void markingRead_movesForwardOnly_andSendingMarksReadToo() {
    String buyer = Threads.unique("buyer");
    String seller = Threads.unique("seller");
    String orderId = threads.order(buyer, seller).getOrderId();
    Message m1 = threads.send(buyer, BUYER, orderId, "one");
    threads.send(buyer, BUYER, orderId, "two");
    Message m3 = threads.send(buyer, BUYER, orderId, "three");

    Conversation afterThird = threads.markRead(seller, SELLER, orderId, m3.getMessageId());
    Conversation afterFirst = threads.markRead(seller, SELLER, orderId, m1.getMessageId());
    threads.send(buyer, BUYER, orderId, "four");
    Conversation unread = threads.inbox(seller, SELLER).getConversations(0);
    threads.send(seller, SELLER, orderId, "answer");

    assertThat(afterThird.getLastReadSequenceNumber()).isEqualTo(3);
    assertThat(afterThird.getUnreadCount()).isZero();
    assertThat(afterFirst.getLastReadSequenceNumber()).as("never backwards").isEqualTo(3);
    assertThat(unread.getUnreadCount()).isEqualTo(1);
    assertThat(threads.inbox(seller, SELLER).getConversations(0).getUnreadCount()).isZero();
    assertThat(threads.inbox(buyer, BUYER).getConversations(0).getUnreadCount()).isEqualTo(1);
  }

  @Test
  void supportSeesEveryThread_andCanFilterByOrder_withItsOwnMarker() {
    String orderId = threads.order(Threads.unique("buyer"), Threads.unique("seller")).getOrderId();
    var order = threads.order(Threads.unique("buyer"), Threads.unique("seller"));
    threads.send(order.getBuyerId(), BUYER, order.getOrderId(), "help");

    ListConversationsResponse filtered =
        threads.as("agent-1", SUPPORT).listConversations(ListConversationsRequest.newBuilder().setOrderId(order.getOrderId()).build());

    assertThat(filtered.getConversationsList()).extracting(Conversation::getOrderId).containsExactly(order.getOrderId());
    assertThat(filtered.getConversations(0).getUnreadCount()).isEqualTo(1);
    assertThat(threads.inbox("agent-1", SUPPORT).getConversationsList()).extracting(Conversation::getOrderId).contains(order.getOrderId());
    assertThat(threads.as("agent-1", SUPPORT).listConversations(ListConversationsRequest.newBuilder().setOrderId(orderId).build()).getConversationsList())
        .as("an order without messages has no conversation yet").isEmpty();
  }

  @Test
  void aMessageOfAnotherOrder_cannotBeMarkedRead() {
    String buyer = Threads.unique("buyer");
    String seller = Threads.unique("seller");
    String orderId = threads.order(buyer, seller).getOrderId();
    String otherId = threads.order(buyer, seller).getOrderId();
    Message other = threads.send(buyer, BUYER, otherId, "elsewhere");
    threads.send(buyer, BUYER, orderId, "here");

    Errors errors = Errors.of(catchThrowable(() -> threads.markRead(seller, SELLER, orderId, other.getMessageId())));

    assertThat(errors.code()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(errors.reason()).isEqualTo("MESSAGE_NOT_FOUND");
  }

  @Test
  void inboxPages_areStableAndComplete() {
    String seller = Threads.unique("seller");
    for (int i = 0; i < 5; i++) {
      String buyer = Threads.unique("buyer");
      threads.send(buyer, BUYER, threads.order(buyer, seller).getOrderId(), "message " + i);
      server.clock.advance(Duration.ofSeconds(1));
    }
    var first = threads.as(seller, SELLER).listConversations(ListConversationsRequest.newBuilder().setPageSize(2).build());
    var second = threads.as(seller, SELLER).listConversations(ListConversationsRequest.newBuilder().setPageSize(2).setPageToken(first.getNextPageToken()).build());
    var third = threads.as(seller, SELLER).listConversations(ListConversationsRequest.newBuilder().setPageSize(2).setPageToken(second.getNextPageToken()).build());

    assertThat(first.getConversationsList()).extracting(c -> c.getLastMessage().getText()).containsExactly("message 4", "message 3");
    assertThat(second.getConversationsList()).extracting(c -> c.getLastMessage().getText()).containsExactly("message 2", "message 1");
    assertThat(third.getConversationsList()).extracting(c -> c.getLastMessage().getText()).containsExactly("message 0");
    assertThat(third.getNextPageToken()).isEmpty();
  }
}
