package dev.marketplace.orders.server.api;

import static dev.marketplace.orders.server.api.ProtoValues.actor;
import static dev.marketplace.orders.server.api.ProtoValues.timestamp;

import dev.marketplace.orders.domain.conversation.ConversationSummary;
import dev.marketplace.orders.domain.conversation.Message;
import dev.marketplace.orders.domain.conversation.ShownMessage;
import dev.marketplace.orders.v1.Conversation;
import dev.marketplace.orders.v1.MessageTranslation;

/** Conversations and their messages, domain to proto. */
final class ConversationMessages {

  /** SendMessage answers the message as sent (no translation: the sender wrote it). */
  static final ProtoFormat<Message, dev.marketplace.orders.v1.Message> MESSAGE_FORMAT =
      new ProtoFormat<>(m -> toProto(ShownMessage.original(m)), dev.marketplace.orders.v1.Message.parser());

  static final ProtoFormat<ConversationSummary, Conversation> CONVERSATION_FORMAT =
      new ProtoFormat<>(ConversationMessages::toProto, Conversation.parser());

  private ConversationMessages() {}

  static dev.marketplace.orders.v1.Message toProto(ShownMessage shown) {
    Message m = shown.message();
    dev.marketplace.orders.v1.Message.Builder proto =
        dev.marketplace.orders.v1.Message.newBuilder()
            .setMessageId(m.id().toString())
            .setOrderId(m.orderId().toString())
            .setSequenceNumber(m.sequenceNo())
            .setSender(actor(m.senderSubject(), m.senderRole()))
            .setText(m.text())
            .setLanguageCode(m.language().orElse(""))
            .setLanguageSource(dev.marketplace.orders.v1.Message.LanguageSource.valueOf(m.languageSource().name()))
            .addAllAttachmentUris(m.attachmentUris())
            .setCreateTime(timestamp(m.createdAt()));
    if (m.quotedCancellationRequestId() != null) {
      proto.setQuotedCancellationRequestId(m.quotedCancellationRequestId().toString());
    }
    if (m.quotedModificationId() != null) {
      proto.setQuotedModificationId(m.quotedModificationId().toString());
    }
    shown
        .translation()
        .ifPresent(t -> proto.setTranslation(MessageTranslation.newBuilder().setLanguageCode(t.languageCode()).setText(t.text())));
    return proto.build();
  }

  static Conversation toProto(ConversationSummary c) {
    return Conversation.newBuilder()
        .setOrderId(c.orderId().toString())
        .setBuyerId(c.buyerId())
        .setSellerId(c.sellerId())
        .setMessageCount(c.messageCount())
        .setLastMessage(toProto(c.lastMessage()))
        .setLastMessageTime(timestamp(c.lastMessageAt()))
        .setLastReadSequenceNumber(c.lastReadSequenceNo())
        .setUnreadCount(c.unreadCount())
        .build();
  }
}
