package dev.marketplace.orders.server.api;

import dev.marketplace.orders.domain.conversation.AttachmentUris;
import dev.marketplace.orders.domain.conversation.LanguageTags;
import dev.marketplace.orders.domain.conversation.Message;
import dev.marketplace.orders.domain.conversation.NewMessage;
import dev.marketplace.orders.v1.SendMessageRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Checks the requests of {@code orders.v1.ConversationService} and turns them into domain commands;
 * the rules for a language tag and an attachment URI are the domain's ({@link LanguageTags}, {@link
 * AttachmentUris}).
 */
final class ConversationServiceRequests {

  private ConversationServiceRequests() {}

  static NewMessage newMessage(RequestChecks checks, SendMessageRequest request) {
    UUID orderId = checks.uuid("order_id", request.getOrderId());
    String text = text(checks, request.getText());
    Optional<String> language = languageCode(checks, "language_code", request.getLanguageCode());
    List<String> attachments = attachments(checks, request.getAttachmentUrisList());
    Optional<UUID> quotedRequest = checks.optionalUuid("quoted_cancellation_request_id", request.getQuotedCancellationRequestId());
    Optional<UUID> quotedModification = checks.optionalUuid("quoted_modification_id", request.getQuotedModificationId());
    if (!request.getQuotedCancellationRequestId().isEmpty() && !request.getQuotedModificationId().isEmpty()) {
      checks.add("quoted_modification_id", "a message quotes at most one thing: give quoted_cancellation_request_id or quoted_modification_id");
    }
    return checks.ok() ? new NewMessage(orderId, text, language, attachments, quotedRequest, quotedModification) : null;
  }

  /** The message text: 1 to 2000 characters, not only whitespace; line breaks and tabs allowed. Kept as sent. */
  private static String text(RequestChecks checks, String value) {
    if (value.isBlank()) {
      checks.add("text", "required: 1 to " + Message.MAX_TEXT_LENGTH + " characters");
      return value;
    }
    checks.optionalText("text", value, Message.MAX_TEXT_LENGTH);
    return value;
  }

  /** An optional BCP 47 tag, canonical; empty when absent. */
  static Optional<String> languageCode(RequestChecks checks, String field, String value) {
    if (value.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> problem = LanguageTags.problem(value);
    if (problem.isPresent()) {
      checks.add(field, problem.get() + ", got " + RequestChecks.quote(value));
      return Optional.empty();
    }
    return Optional.of(LanguageTags.canonical(value));
  }

  private static List<String> attachments(RequestChecks checks, List<String> uris) {
    if (uris.size() > Message.MAX_ATTACHMENTS) {
      checks.add("attachment_uris", "at most " + Message.MAX_ATTACHMENTS + " attachments, got " + uris.size());
      return List.of();
    }
    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < uris.size(); i++) {
      String uri = uris.get(i);
      Optional<String> problem = AttachmentUris.problem(uri);
      if (problem.isPresent()) {
        checks.add("attachment_uris[" + i + "]", problem.get());
      } else {
        accepted.add(uri);
      }
    }
    return accepted;
  }
}
