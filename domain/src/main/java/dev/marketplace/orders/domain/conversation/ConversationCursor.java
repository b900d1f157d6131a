package dev.marketplace.orders.domain.conversation;

import java.time.Instant;
import java.util.UUID;

/** Where the next page of an inbox starts: after this (last activity, order id), newest first. */
public record ConversationCursor(Instant lastMessageAt, UUID orderId) {

  public static ConversationCursor after(ConversationSummary last) {
    return new ConversationCursor(last.lastMessageAt(), last.orderId());
  }
}
