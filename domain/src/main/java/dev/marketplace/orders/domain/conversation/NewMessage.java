package dev.marketplace.orders.domain.conversation;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What a sender asks to post, checked field by field at the edge: the text, its language if the
 * sender knows it, attachment URIs, and at most one quote (a cancellation request or a modification
 * request of the same order; whether it is one is checked by the use case).
 */
public record NewMessage(
    UUID orderId,
    String text,
    Optional<String> languageCode,
    List<String> attachmentUris,
    Optional<UUID> quotedCancellationRequestId,
    Optional<UUID> quotedModificationId) {

  public NewMessage {
    attachmentUris = List.copyOf(attachmentUris);
    if (quotedCancellationRequestId.isPresent() && quotedModificationId.isPresent()) {
      throw new IllegalArgumentException("a message quotes at most one thing");
    }
  }
}
