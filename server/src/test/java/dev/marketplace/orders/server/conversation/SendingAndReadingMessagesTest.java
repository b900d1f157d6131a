package dev.marketplace.orders.server.conversation;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.domain.access.Role.SERVICE;
import static dev.marketplace.orders.domain.access.Role.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.Actor;
import dev.marketplace.orders.v1.CancelOrderRequest;
import dev.marketplace.orders.v1.CancellationReason;
import dev.marketplace.orders.v1.ListMessagesRequest;
import dev.marketplace.orders.v1.ListMessagesResponse;
import dev.marketplace.orders.v1.Message;
import dev.marketplace.orders.v1.Modification;
import dev.marketplace.orders.v1.ProposeModificationRequest;
import dev.marketplace.orders.v1.WithdrawModificationRequest;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.SendMessageRequest;
import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SendingAndReadingMessagesTest {

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
  void buyerAndSellerWrite_oneThreadOldestFirst_supportReadsAndPostsAsSupport() {
    String buyer = Threads.unique("buyer");
    String seller = Threads.unique("seller");
    String orderId = threads.order(buyer, seller).getOrderId();

    Message first = threads.send(buyer, BUYER, orderId, "Can you ship it in blue instead?");
    threads.send(seller, SELLER, orderId, "Yes, blue is in stock.");
    Message third = threads.send("agent-7", SUPPORT, orderId, "Support here: noted on the order.");

    assertThat(first.getSequenceNumber()).isEqualTo(1);
    assertThat(first.getSender()).isEqualTo(Actor.newBuilder().setSubject(buyer).setRole(Actor.Role.BUYER).build());
    assertThat(first.getLanguageCode()).isEqualTo("en");
    assertThat(first.getLanguageSource()).isEqualTo(Message.LanguageSource.SENDER);
    assertThat(third.getSender().getRole()).isEqualTo(Actor.Role.SUPPORT);
    for (var reader : List.of(new Object[] {buyer, BUYER}, new Object[] {seller, SELLER}, new Object[] {"agent-9", SUPPORT})) {
      List<Message> thread = threads.messages((String) reader[0], (dev.marketplace.orders.domain.access.Role) reader[1], orderId);
      assertThat(thread).extracting(Message::getSequenceNumber).containsExactly(1L, 2L, 3L);
      assertThat(thread).extracting(Message::getText)
          .containsExactly("Can you ship it in blue instead?", "Yes, blue is in stock.", "Support here: noted on the order.");
    }
  }

  @Test
  void anotherBuyerOrSellerOrAnUnknownOrder_isNotFound_servicesAreDenied() {
    String orderId = threads.order(Threads.unique("buyer"), Threads.unique("seller")).getOrderId();
    threads.send("whoever-support", SUPPORT, orderId, "hello");

    for (var stranger : List.of(new Object[] {Threads.unique("buyer"), BUYER}, new Object[] {Threads.unique("seller"), SELLER})) {
      String subject = (String) stranger[0];
      var role = (dev.marketplace.orders.domain.access.Role) stranger[1];
      Errors send = Errors.of(catchThrowable(() -> threads.send(subject, role, orderId, "let me in")));
      Errors list = Errors.of(catchThrowable(() -> threads.messages(subject, role, orderId)));
      assertThat(send.code()).isEqualTo(Status.Code.NOT_FOUND);
      assertThat(send.reason()).isEqualTo("ORDER_NOT_FOUND");
      assertThat(list.code()).isEqualTo(Status.Code.NOT_FOUND);
    }
    Errors unknown = Errors.of(catchThrowable(() -> threads.messages("agent", SUPPORT, Requests.newId())));
    assertThat(unknown.code()).isEqualTo(Status.Code.NOT_FOUND);
    Errors service = Errors.of(catchThrowable(() -> server.conversationsAs("logistics", SERVICE, "orders.read")
        .listMessages(ListMessagesRequest.newBuilder().setOrderId(orderId).build())));
    assertThat(service.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(service.reason()).isEqualTo("ROLE_NOT_ALLOWED");
  }

  @Test
  void sameRequestIdAgain_returnsTheFirstMessage_andSendsNothing_anotherRequestWithIt_isRefused() {
    String buyer = Threads.unique("buyer");
    String orderId = threads.order(buyer, Threads.unique("seller")).getOrderId();
    SendMessageRequest request = Threads.message(orderId, "Is this the 2024 model?").build();

    Message first = threads.as(buyer, BUYER).sendMessage(request);
    Message again = threads.as(buyer, BUYER).sendMessage(request);
    Errors reused = Errors.of(catchThrowable(() -> threads.as(buyer, BUYER).sendMessage(request.toBuilder().setText("other").build())));

    assertThat(again).isEqualTo(first);
    assertThat(threads.messages(buyer, BUYER, orderId)).hasSize(1);
    assertThat(reused.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(reused.reason()).isEqualTo("REQUEST_ID_REUSED");
  }

  @Test
  void badFields_areAllNamed() {
    String buyer = Threads.unique("buyer");
    String orderId = threads.order(buyer, Threads.unique("seller")).getOrderId();

    Errors errors =
        Errors.of(
            catchThrowable(
                () ->
                    threads.as(buyer, BUYER)
                        .sendMessage(
                            Threads.message(orderId, "x".repeat(2001))
                                .setLanguageCode("english please")
                                .addAttachmentUris("http://example.com/a.jpg")
                                .addAttachmentUris("https://user:pw@example.com/b.jpg")
                                .addAttachmentUris("https:///no-host")
                                .addAttachmentUris("not a uri")
                                .setQuotedCancellationRequestId(Requests.newId())
                                .setQuotedModificationId(Requests.newId())
                                .build())));

    assertThat(errors.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(errors.violatedFields())
        .containsExactlyInAnyOrder(
            "text", "language_code", "attachment_uris[0]", "attachment_uris[1]", "attachment_uris[2]", "attachment_uris[3]",
            "quoted_modification_id");
    Errors blank = Errors.of(catchThrowable(() -> threads.as(buyer, BUYER).sendMessage(Threads.message(orderId, " \n ").build())));
    assertThat(blank.violatedFields()).containsExactly("text");
    Errors six =
        Errors.of(
            catchThrowable(
                () ->
                    threads.as(buyer, BUYER)
                        .sendMessage(Threads.message(orderId, "photos").addAllAttachmentUris(List.of("https://a.example/1", "https://a.example/2",
                            "https://a.example/3", "https://a.example/4", "https://a.example/5", "https://a.example/6")).build())));
    assertThat(six.violatedFields()).containsExactly("attachment_uris");
    Errors view = Errors.of(catchThrowable(() -> threads.as(buyer, BUYER)
        .listMessages(ListMessagesRequest.newBuilder().setOrderId(orderId).setViewLanguageCode("--").build())));
    assertThat(view.violatedFields()).containsExactly("view_language_code");
  }

  @Test
  void attachmentsAndLanguageTags_areKept_tagsInTheirCanonicalCase() {
    String buyer = Threads.unique("buyer");
    String orderId = threads.order(buyer, Threads.unique("seller")).getOrderId();

    Message sent =
        threads.as(buyer, BUYER)
            .sendMessage(
                Threads.message(orderId, "Olá, chegou quebrado")
                    .setLanguageCode("PT-br")
                    .addAttachmentUris("https://cdn.example.com/photos/1.jpg?size=large")
                    .build());

    assertThat(sent.getLanguageCode()).isEqualTo("pt-BR");
    assertThat(sent.getAttachmentUrisList()).containsExactly("https://cdn.example.com/photos/1.jpg?size=large");
    assertThat(threads.messages(buyer, BUYER, orderId).get(0)).isEqualTo(sent);
  }

  @Test
  void withoutALanguage_aClearTextIsDetected_aShortOneStaysUnknown() {
    String buyer = Threads.unique("buyer");
    String orderId = threads.order(buyer, Threads.unique("seller")).getOrderId();

    Message german =
        threads.as(buyer, BUYER)
            .sendMessage(Threads.message(orderId, "Guten Tag, ich möchte die Lieferadresse ändern, weil ich nächste Woche umziehe.").build());
    Message shortOne = threads.as(buyer, BUYER).sendMessage(Threads.message(orderId, "ok thx").build());

    assertThat(german.getLanguageCode()).isEqualTo("de");
    assertThat(german.getLanguageSource()).isEqualTo(Message.LanguageSource.DETECTED);
    assertThat(shortOne.getLanguageCode()).isEmpty();
    assertThat(shortOne.getLanguageSource()).isEqualTo(Message.LanguageSource.UNKNOWN);
  }

  @Test
  void aQuote_mustBeACancellationRequestOfTheSameOrder() {
    String buyer = Threads.unique("buyer");
    String seller = Threads.unique("seller");
    Order order = threads.paidOrder(buyer, seller);
    Order other = threads.paidOrder(buyer, seller);
    String requestId = cancel(buyer, order.getOrderId());
    String otherRequestId = cancel(buyer, other.getOrderId());

    Message quoting =
        threads.as(seller, SELLER)
            .sendMessage(Threads.message(order.getOrderId(), "About your cancellation: it is packed already.").setQuotedCancellationRequestId(requestId).build());
    Errors wrongOrder = Errors.of(catchThrowable(() -> threads.as(seller, SELLER)
        .sendMessage(Threads.message(order.getOrderId(), "quote").setQuotedCancellationRequestId(otherRequestId).build())));

    assertThat(quoting.getQuotedCancellationRequestId()).isEqualTo(requestId);
    assertThat(wrongOrder.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(wrongOrder.violatedFields()).containsExactly("quoted_cancellation_request_id");
    assertThat(threads.messages(buyer, BUYER, order.getOrderId())).hasSize(1);
  }

  @Test
  void aQuotedModification_mustBeOneOfTheSameOrder_whateverItsState() {
    String buyer = Threads.unique("buyer");
    String seller = Threads.unique("seller");
    Order order = threads.order(buyer, seller);
    Order other = threads.order(buyer, seller);
    String proposed = propose(buyer, order.getOrderId(), 1);
    String otherProposed = propose(buyer, other.getOrderId(), 1);
    server.modificationsAs(buyer, BUYER)
        .withdrawModification(WithdrawModificationRequest.newBuilder().setRequestId(Requests.newId()).setModificationId(proposed).build());

    Message quoting =
        threads.as(buyer, BUYER)
            .sendMessage(Threads.message(order.getOrderId(), "Sorry, I take the change back: one is fine after all.").setQuotedModificationId(proposed).build());
    Errors wrongOrder = Errors.of(catchThrowable(() -> threads.as(buyer, BUYER)
        .sendMessage(Threads.message(order.getOrderId(), "quote").setQuotedModificationId(otherProposed).build())));
    Errors unknown = Errors.of(catchThrowable(() -> threads.as(buyer, BUYER)
        .sendMessage(Threads.message(order.getOrderId(), "quote").setQuotedModificationId(Requests.newId()).build())));

    assertThat(quoting.getQuotedModificationId()).isEqualTo(proposed);
    assertThat(wrongOrder.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(wrongOrder.violatedFields()).containsExactly("quoted_modification_id");
    assertThat(unknown.violatedFields()).containsExactly("quoted_modification_id");
    assertThat(threads.messages(seller, SELLER, order.getOrderId())).extracting(Message::getQuotedModificationId).containsExactly(proposed);
  }

  private static String propose(String buyer, String orderId, int quantity) {
    return server.modificationsAs(buyer, BUYER)
        .proposeModification(
            ProposeModificationRequest.newBuilder()
                .setRequestId(Requests.newId())
                .setOrderId(orderId)
                .setQuantityChange(Modification.QuantityChange.newBuilder().setLineIndex(0).setQuantity(quantity))
                .build())
        .getModificationId();
  }

  @Test
  void pages_continueInOrder_aTokenOfAnotherOrderIsRefused() {
    String buyer = Threads.unique("buyer");
    String seller = Threads.unique("seller");
    String orderId = threads.order(buyer, seller).getOrderId();
    String otherId = threads.order(buyer, seller).getOrderId();
    for (int i = 1; i <= 5; i++) {
      threads.send(i % 2 == 0 ? seller : buyer, i % 2 == 0 ? SELLER : BUYER, orderId, "message " + i);
    }

    assertThat(threads.messages(buyer, BUYER, orderId)).extracting(Message::getText)
        .containsExactly("message 1", "message 2", "message 3", "message 4", "message 5");
    ListMessagesResponse first = threads.as(buyer, BUYER).listMessages(ListMessagesRequest.newBuilder().setOrderId(orderId).setPageSize(2).build());
    Errors swapped = Errors.of(catchThrowable(() -> threads.as(buyer, BUYER)
        .listMessages(ListMessagesRequest.newBuilder().setOrderId(otherId).setPageToken(first.getNextPageToken()).build())));
    Errors otherCaller = Errors.of(catchThrowable(() -> threads.as(seller, SELLER)
        .listMessages(ListMessagesRequest.newBuilder().setOrderId(orderId).setPageToken(first.getNextPageToken()).build())));
    assertThat(swapped.violatedFields()).containsExactly("page_token");
    assertThat(otherCaller.violatedFields()).containsExactly("page_token");
  }

  private String cancel(String buyer, String orderId) {
    return server
        .cancellationsAs(buyer, BUYER)
        .cancelOrder(
            CancelOrderRequest.newBuilder()
                .setRequestId(Requests.newId())
                .setOrderId(orderId)
                .setReason(CancellationReason.Code.ORDERED_BY_ACCIDENT)
                .build())
        .getCancellationRequest()
        .getCancellationRequestId();
  }
}
