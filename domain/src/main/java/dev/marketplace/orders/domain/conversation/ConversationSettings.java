package dev.marketplace.orders.domain.conversation;

import java.time.Duration;

/**
 * The conversation rules that are configuration: how many messages one sender may post to one order's
 * conversation within {@link #RATE_WINDOW}.
 */
public record ConversationSettings(int messagesPerHour) {

  public static final Duration RATE_WINDOW = Duration.ofHours(1);

  public ConversationSettings {
    if (messagesPerHour < 1) {
      throw new IllegalArgumentException("messagesPerHour must be at least 1");
    }
  }

  /** 30 an hour: far above a real negotiation's pace, far below a spammer's. */
  public static ConversationSettings defaults() {
    return new ConversationSettings(30);
  }
}
