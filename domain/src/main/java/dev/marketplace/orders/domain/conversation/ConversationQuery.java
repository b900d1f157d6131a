package dev.marketplace.orders.domain.conversation;

import java.util.Optional;
import java.util.UUID;

/**
 * An inbox query: conversations of a buyer and/or a seller (neither: all, for support), optionally of
 * one order, newest activity first, after a cursor.
 */
public record ConversationQuery(
    Optional<String> buyerId,
    Optional<String> sellerId,
    Optional<UUID> orderId,
    Optional<ConversationCursor> after,
    int pageSize) {

  public ConversationQuery scopedTo(String buyer, String seller) {
    return new ConversationQuery(
        buyer == null ? buyerId : Optional.of(buyer), seller == null ? sellerId : Optional.of(seller), orderId, after, pageSize);
  }
}
