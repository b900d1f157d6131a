package dev.marketplace.orders.domain.conversation;

import java.time.Instant;
import java.util.UUID;

/**
 * A conversation as one reader sees it in an inbox: its order's parties, its last message, and how
 * far the reader has read. Everything after the reader's marker is unread: sending a message moves
 * the sender's marker to it, so what follows a marker was sent by others.
 */
public record ConversationSummary(
    UUID orderId,
    String buyerId,
    String sellerId,
    long messageCount,
    Instant lastMessageAt,
    ShownMessage lastMessage,
    long lastReadSequenceNo) {

  public long unreadCount() {
    return Math.max(0, messageCount - lastReadSequenceNo);
  }

  public ConversationSummary withLastMessage(ShownMessage shown) {
    return new ConversationSummary(orderId, buyerId, sellerId, messageCount, lastMessageAt, shown, lastReadSequenceNo);
  }
}
