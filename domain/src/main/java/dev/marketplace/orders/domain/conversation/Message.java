package dev.marketplace.orders.domain.conversation;

import dev.marketplace.orders.domain.access.Role;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One message of an order's conversation, as stored: never edited or deleted. {@code sequenceNo}
 * counts from 1 per order without gaps; {@code languageCode} is a BCP 47 tag, or null when unknown.
 */
public record Message(
    UUID id,
    UUID orderId,
    long sequenceNo,
    String senderSubject,
    Role senderRole,
    String text,
    String languageCode,
    LanguageSource languageSource,
    List<String> attachmentUris,
    UUID quotedCancellationRequestId,
    UUID quotedModificationId,
    Instant createdAt) {

  public static final int MAX_TEXT_LENGTH = 2000;
  public static final int MAX_ATTACHMENTS = 5;

  public Message {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(senderSubject, "senderSubject");
    Objects.requireNonNull(senderRole, "senderRole");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(languageSource, "languageSource");
    Objects.requireNonNull(createdAt, "createdAt");
    attachmentUris = List.copyOf(attachmentUris);
  }

  public Optional<String> language() {
    return Optional.ofNullable(languageCode);
  }

  /** Whether this participant sent it (the same subject in the same role). */
  public boolean sentBy(String subject, Role role) {
    return senderSubject.equals(subject) && senderRole == role;
  }
}
