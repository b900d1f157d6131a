package dev.marketplace.orders.server.api;

import static dev.marketplace.orders.server.api.Replies.reply;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.conversation.ConversationCursor;
import dev.marketplace.orders.domain.conversation.ConversationPage;
import dev.marketplace.orders.domain.conversation.ConversationQuery;
import dev.marketplace.orders.domain.conversation.MessagePage;
import dev.marketplace.orders.domain.conversation.NewMessage;
import dev.marketplace.orders.domain.usecase.Conversations;
import dev.marketplace.orders.server.auth.CallerContext;
import dev.marketplace.orders.v1.Conversation;
import dev.marketplace.orders.v1.ConversationServiceGrpc;
import dev.marketplace.orders.v1.ListConversationsRequest;
import dev.marketplace.orders.v1.ListConversationsResponse;
import dev.marketplace.orders.v1.ListMessagesRequest;
import dev.marketplace.orders.v1.ListMessagesResponse;
import dev.marketplace.orders.v1.MarkConversationReadRequest;
import dev.marketplace.orders.v1.SendMessageRequest;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code orders.v1.ConversationService}: checks and translates requests ({@link
 * ConversationServiceRequests}), calls {@link Conversations}, translates results. Mutations take the
 * shape of {@link IdempotentCall}.
 */
public final class ConversationGrpcService extends ConversationServiceGrpc.ConversationServiceImplBase {

  private final Conversations conversations;
  private final PageTokens pageTokens;

  @Inject
  public ConversationGrpcService(Conversations conversations, PageTokens pageTokens) {
    this.conversations = conversations;
    this.pageTokens = pageTokens;
  }

  @Override
  public void sendMessage(SendMessageRequest request, StreamObserver<dev.marketplace.orders.v1.Message> response) {
    IdempotentCall.handle(
        request,
        response,
        ConversationServiceGrpc.getSendMessageMethod(),
        ConversationMessages.MESSAGE_FORMAT,
        checks -> {
          NewMessage message = ConversationServiceRequests.newMessage(checks, request);
          return (caller, key, format) -> conversations.send(caller, key, message, format);
        });
  }

  @Override
  public void listMessages(ListMessagesRequest request, StreamObserver<ListMessagesResponse> response) {
    RequestChecks checks = new RequestChecks();
    UUID orderId = checks.uuid("order_id", request.getOrderId());
    int pageSize = checks.pageSize(request.getPageSize());
    Optional<String> view = ConversationServiceRequests.languageCode(checks, "view_language_code", request.getViewLanguageCode());
    checks.throwIfInvalid();
    Principal caller = CallerContext.principal();
    String binding = PageTokens.binding("messages", caller.idempotencyNamespace(), orderId.toString(), view.orElse(""));
    long after = pageTokens.after(PageTokens.MESSAGES, binding, request.getPageToken()).orElse(0L);
    MessagePage page = conversations.listMessages(caller, orderId, after, pageSize, view);
    ListMessagesResponse.Builder reply = ListMessagesResponse.newBuilder();
    page.messages().forEach(m -> reply.addMessages(ConversationMessages.toProto(m)));
    page.next().ifPresent(next -> reply.setNextPageToken(pageTokens.next(PageTokens.MESSAGES, binding, next)));
    reply(response, reply.build());
  }

  @Override
  public void listConversations(ListConversationsRequest request, StreamObserver<ListConversationsResponse> response) {
    RequestChecks checks = new RequestChecks();
    Optional<UUID> orderId = checks.optionalUuid("order_id", request.getOrderId());
    int pageSize = checks.pageSize(request.getPageSize());
    Optional<String> view = ConversationServiceRequests.languageCode(checks, "view_language_code", request.getViewLanguageCode());
    checks.throwIfInvalid();
    Principal caller = CallerContext.principal();
    String binding = PageTokens.binding("conversations", caller.idempotencyNamespace(), orderId.map(UUID::toString).orElse(""), view.orElse(""));
    Optional<ConversationCursor> after = pageTokens.after(PageTokens.CONVERSATIONS, binding, request.getPageToken());
    ConversationPage page =
        conversations.listConversations(caller, new ConversationQuery(Optional.empty(), Optional.empty(), orderId, after, pageSize), view);
    ListConversationsResponse.Builder reply = ListConversationsResponse.newBuilder();
    page.conversations().forEach(c -> reply.addConversations(ConversationMessages.toProto(c)));
    page.next().ifPresent(next -> reply.setNextPageToken(pageTokens.next(PageTokens.CONVERSATIONS, binding, next)));
    reply(response, reply.build());
  }

  @Override
  public void markConversationRead(MarkConversationReadRequest request, StreamObserver<Conversation> response) {
    IdempotentCall.handle(
        request,
        response,
        ConversationServiceGrpc.getMarkConversationReadMethod(),
        ConversationMessages.CONVERSATION_FORMAT,
        checks -> {
          UUID orderId = checks.uuid("order_id", request.getOrderId());
          UUID messageId = checks.uuid("message_id", request.getMessageId());
          return (caller, key, format) -> conversations.markRead(caller, key, orderId, messageId, format);
        });
  }
}
