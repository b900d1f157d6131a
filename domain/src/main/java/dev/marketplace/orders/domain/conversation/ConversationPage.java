package dev.marketplace.orders.domain.conversation;

import java.util.List;
import java.util.Optional;

/** One page of an inbox, newest activity first. */
public record ConversationPage(List<ConversationSummary> conversations, Optional<ConversationCursor> next) {}
