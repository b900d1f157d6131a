package dev.marketplace.orders.domain.conversation;

import java.util.List;
import java.util.Optional;

/** One page of a conversation, oldest first; {@code next} is the last sequence number of the page when more may follow. */
public record MessagePage(List<ShownMessage> messages, Optional<Long> next) {}
