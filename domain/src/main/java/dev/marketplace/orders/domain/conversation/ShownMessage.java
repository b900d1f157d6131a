package dev.marketplace.orders.domain.conversation;

import java.util.Optional;

/** A message as a reader gets it: the original, and the translation into their language when there is one. */
public record ShownMessage(Message message, Optional<Translation> translation) {

  public static ShownMessage original(Message message) {
    return new ShownMessage(message, Optional.empty());
  }
}
