package dev.marketplace.orders.domain.usecase;

import dev.marketplace.orders.domain.access.Role;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.conversation.ConversationCursor;
import dev.marketplace.orders.domain.conversation.ConversationPage;
import dev.marketplace.orders.domain.conversation.ConversationQuery;
import dev.marketplace.orders.domain.conversation.ConversationSettings;
import dev.marketplace.orders.domain.conversation.ConversationSummary;
import dev.marketplace.orders.domain.conversation.LanguageDetector;
import dev.marketplace.orders.domain.conversation.LanguageSource;
import dev.marketplace.orders.domain.conversation.LanguageTags;
import dev.marketplace.orders.domain.conversation.Message;
import dev.marketplace.orders.domain.conversation.MessagePage;
import dev.marketplace.orders.domain.conversation.NewMessage;
import dev.marketplace.orders.domain.conversation.ShownMessage;
import dev.marketplace.orders.domain.conversation.Translation;
import dev.marketplace.orders.domain.conversation.Translator;
import dev.marketplace.orders.domain.error.AccessDeniedException;
import dev.marketplace.orders.domain.error.InvalidRequestException;
import dev.marketplace.orders.domain.error.NotFoundException;
import dev.marketplace.orders.domain.error.RateLimitedException;
import dev.marketplace.orders.domain.idempotency.IdempotencyKey;
import dev.marketplace.orders.domain.idempotency.ResponseFormat;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.TimeOrderedIds;
import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.persistence.UnitOfWork;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * "Contact the seller": one conversation per order between its buyer and its seller, which support
 * reads and posts in. Who may see a conversation is who may see its order ({@link
 * Order#isVisibleTo}); anyone else gets NOT_FOUND, as for the order.
 *
 * <p>Every call is one transaction, with one deliberate exception: a read that asks for a
 * translation reads in its transaction, calls the translator after it has committed (a translator's
 * seconds must never hold a connection or a lock), and, only when something new was translated,
 * caches it in a second, small transaction ({@code INSERT IGNORE}; failing to cache fails nothing).
 * Without a translator a read is one transaction, like every other call.
 */
public final class Conversations {

  private final Transactor transactor;
  private final Clock clock;
  private final ConversationSettings settings;
  private final LanguageDetector detector;
  private final Translator translator;
  private final TimeOrderedIds ids;

  public Conversations(
      Transactor transactor, Clock clock, ConversationSettings settings, LanguageDetector detector, Translator translator) {
    this.transactor = transactor;
    this.clock = clock;
    this.settings = settings;
    this.detector = detector;
    this.translator = translator;
    this.ids = new TimeOrderedIds(clock);
  }

  /**
   * Posts a message to the order's conversation, under the order's row lock: the rate limit counts
   * this sender's messages of the last hour on this order, so concurrent sends cannot pass it; the
   * sequence number is the order's next. The sender's read marker moves to the message.
   */
  public <T> T send(Principal sender, IdempotencyKey key, NewMessage message, ResponseFormat<Message, T> format) {
    // Detection is pure CPU and needs no lock: done before the transaction, and only when needed.
    Optional<String> given = message.languageCode();
    Optional<String> detected = given.isPresent() ? Optional.empty() : detector.detect(message.text());
    return transactor.inIdempotentTransaction(
        key,
        format,
        uow -> {
          Instant now = now();
          Order order = VisibleOrders.lock(uow, sender, message.orderId());
          message.quotedCancellationRequestId().ifPresent(id -> checkQuotedCancellationRequest(uow, order, id));
          message.quotedModificationId().ifPresent(id -> checkQuotedModification(uow, order, id));
          checkRate(uow, sender, order, now);
          long sequenceNo = uow.conversations().messageCount(order.id()) + 1;
          Message sent =
              new Message(
                  ids.next(),
                  order.id(),
                  sequenceNo,
                  sender.subject(),
                  sender.role(),
                  message.text(),
                  given.or(() -> detected).orElse(null),
                  given.isPresent() ? LanguageSource.SENDER : detected.isPresent() ? LanguageSource.DETECTED : LanguageSource.UNKNOWN,
                  message.attachmentUris(),
                  message.quotedCancellationRequestId().orElse(null),
                  message.quotedModificationId().orElse(null),
                  now);
          uow.conversations().append(order, sent);
          uow.conversations().markRead(order.id(), sender.subject(), sender.role(), sequenceNo, now);
          return sent;
        });
  }

  /** Who the platform's own messages come from (role SYSTEM), in English. */
  static final String PLATFORM_SUBJECT = "platform";

  static final String PLATFORM_LANGUAGE = "en";

  /**
   * Appends a short message from the platform (sender {@value #PLATFORM_SUBJECT}, role SYSTEM,
   * language {@value #PLATFORM_LANGUAGE}) to the order's conversation, in the caller's transaction: a
   * use case that changes the order's disputes tells both parties in the thread they already read.
   * The caller holds the order's row lock (the sequence number is the order's next); no rate limit
   * and no read marker apply.
   */
  static Message postFromPlatform(UnitOfWork uow, Order lockedOrder, UUID id, String text, Instant now) {
    long sequenceNo = uow.conversations().messageCount(lockedOrder.id()) + 1;
    Message message =
        new Message(
            id, lockedOrder.id(), sequenceNo, PLATFORM_SUBJECT, Role.SYSTEM, text, PLATFORM_LANGUAGE, LanguageSource.SENDER, List.of(),
            null, null, now);
    uow.conversations().append(lockedOrder, message);
    return message;
  }

  /** The order's messages after sequence number {@code after} (0: from the start), oldest first. */
  public MessagePage listMessages(Principal reader, UUID orderId, long after, int pageSize, Optional<String> viewLanguage) {
    MessagePage page =
        transactor.inTransaction(
            uow -> {
              VisibleOrders.find(uow, reader, orderId);
              List<Message> rows = uow.conversations().page(orderId, after, pageSize + 1);
              boolean more = rows.size() > pageSize;
              List<Message> messages = more ? rows.subList(0, pageSize) : rows;
              List<ShownMessage> shown = withCachedTranslations(uow, messages, viewLanguage);
              return new MessagePage(shown, more ? Optional.of(messages.get(messages.size() - 1).sequenceNo()) : Optional.empty());
            });
    return new MessagePage(translateMissing(page.messages(), viewLanguage), page.next());
  }

  /**
   * The reader's inbox, newest activity first: a buyer's conversations, a seller's (their shop's),
   * or all of them for support (optionally one order's).
   */
  public ConversationPage listConversations(Principal reader, ConversationQuery query, Optional<String> viewLanguage) {
    ConversationQuery scoped =
        switch (reader.role()) {
          case BUYER -> query.scopedTo(reader.subject(), null);
          case SELLER -> query.scopedTo(null, reader.subject());
          case SUPPORT, SYSTEM -> query;
          case SERVICE -> throw new AccessDeniedException("ROLE_NOT_ALLOWED", "services do not read conversations", Map.of());
        };
    ConversationPage page =
        transactor.inTransaction(
            uow -> {
              List<ConversationSummary> rows =
                  uow.conversations().inbox(scoped, reader.subject(), reader.role(), scoped.pageSize() + 1);
              boolean more = rows.size() > scoped.pageSize();
              List<ConversationSummary> conversations = more ? rows.subList(0, scoped.pageSize()) : rows;
              List<ShownMessage> last =
                  withCachedTranslations(uow, conversations.stream().map(c -> c.lastMessage().message()).toList(), viewLanguage);
              List<ConversationSummary> shown = new ArrayList<>();
              for (int i = 0; i < conversations.size(); i++) {
                shown.add(conversations.get(i).withLastMessage(last.get(i)));
              }
              return new ConversationPage(
                  shown, more ? Optional.of(ConversationCursor.after(conversations.get(conversations.size() - 1))) : Optional.empty());
            });
    List<ShownMessage> translated = translateMissing(page.conversations().stream().map(ConversationSummary::lastMessage).toList(), viewLanguage);
    List<ConversationSummary> result = new ArrayList<>();
    for (int i = 0; i < translated.size(); i++) {
      result.add(page.conversations().get(i).withLastMessage(translated.get(i)));
    }
    return new ConversationPage(result, page.next());
  }

  /**
   * Marks the order's conversation read by the caller up to {@code messageId}, a message of that
   * conversation; a marker never moves back. Answers the conversation as the caller now sees it.
   */
  public <T> T markRead(Principal reader, IdempotencyKey key, UUID orderId, UUID messageId, ResponseFormat<ConversationSummary, T> format) {
    return transactor.inIdempotentTransaction(
        key,
        format,
        uow -> {
          VisibleOrders.find(uow, reader, orderId);
          Message message =
              uow.conversations().findMessage(messageId).filter(m -> m.orderId().equals(orderId)).orElseThrow(() -> messageNotFound(messageId));
          uow.conversations().markRead(orderId, reader.subject(), reader.role(), message.sequenceNo(), now());
          return uow.conversations().summary(orderId, reader.subject(), reader.role()).orElseThrow();
        });
  }

  /** A quoted cancellation request must be one of this order's. */
  private static void checkQuotedCancellationRequest(UnitOfWork uow, Order order, UUID cancellationRequestId) {
    if (uow.cancellations().find(cancellationRequestId).filter(r -> r.orderId().equals(order.id())).isEmpty()) {
      throw InvalidRequestException.of("quoted_cancellation_request_id", "not a cancellation request of this order");
    }
  }

  /** A quoted modification must be one of this order's (any state: a message may discuss an old proposal). */
  private static void checkQuotedModification(UnitOfWork uow, Order order, UUID modificationId) {
    if (uow.modifications().find(modificationId).filter(m -> m.orderId().equals(order.id())).isEmpty()) {
      throw InvalidRequestException.of("quoted_modification_id", "not a modification request of this order");
    }
  }

  /** At most {@link ConversationSettings#messagesPerHour()} per sender and order in any hour. */
  private void checkRate(UnitOfWork uow, Principal sender, Order order, Instant now) {
    int limit = settings.messagesPerHour();
    List<Instant> recent =
        uow.conversations().sentSince(order.id(), sender.subject(), sender.role(), now.minus(ConversationSettings.RATE_WINDOW), limit);
    if (recent.size() >= limit) {
      Duration wait = Duration.between(now, recent.get(0).plus(ConversationSettings.RATE_WINDOW));
      Duration retry = wait.isNegative() || wait.isZero() ? Duration.ofSeconds(1) : wait.truncatedTo(ChronoUnit.MILLIS).plusMillis(1);
      throw new RateLimitedException(
          "MESSAGE_RATE_EXCEEDED",
          "at most " + limit + " messages an hour per sender and order; the next is accepted in " + retry.toSeconds() + " s",
          Map.of("orderId", order.id().toString(), "limit", Integer.toString(limit), "window", ConversationSettings.RATE_WINDOW.toString()),
          retry);
    }
  }

  /** The messages with the translations into {@code viewLanguage} that are cached already (none without a translator). */
  private List<ShownMessage> withCachedTranslations(UnitOfWork uow, List<Message> messages, Optional<String> viewLanguage) {
    if (viewLanguage.isEmpty() || !translator.enabled()) {
      return messages.stream().map(ShownMessage::original).toList();
    }
    String target = viewLanguage.get();
    List<UUID> foreign = messages.stream().filter(m -> needsTranslation(m, target)).map(Message::id).toList();
    Map<UUID, String> cached = uow.conversations().translations(foreign, target);
    return messages.stream()
        .map(m -> new ShownMessage(m, Optional.ofNullable(cached.get(m.id())).map(text -> new Translation(target, text))))
        .toList();
  }

  /**
   * Translates what the cache did not have, outside any transaction, within the translator's own
   * time budget; caches what came back in a second small transaction, best-effort.
   */
  private List<ShownMessage> translateMissing(List<ShownMessage> shown, Optional<String> viewLanguage) {
    if (viewLanguage.isEmpty() || !translator.enabled()) {
      return shown;
    }
    String target = viewLanguage.get();
    Map<UUID, Translator.Text> missing = new HashMap<>();
    for (ShownMessage s : shown) {
      Message m = s.message();
      if (s.translation().isEmpty() && needsTranslation(m, target)) {
        missing.putIfAbsent(m.id(), new Translator.Text(m.id(), m.text(), m.language().map(LanguageTags::primary).orElse(null)));
      }
    }
    if (missing.isEmpty()) {
      return shown;
    }
    Map<UUID, String> translated;
    try {
      translated = translator.translate(List.copyOf(missing.values()), LanguageTags.primary(target));
    } catch (RuntimeException e) {
      // A translator promises not to throw; should one anyway, the reader still gets the originals.
      return shown;
    }
    if (translated.isEmpty()) {
      return shown;
    }
    cache(translated, target);
    Function<ShownMessage, ShownMessage> fill =
        s ->
            s.translation().isPresent() || !translated.containsKey(s.message().id())
                ? s
                : new ShownMessage(s.message(), Optional.of(new Translation(target, translated.get(s.message().id()))));
    return shown.stream().map(fill).toList();
  }

  private void cache(Map<UUID, String> translated, String target) {
    try {
      transactor.inTransaction(
          uow -> {
            uow.conversations().storeTranslations(translated, target, now());
            return null;
          });
    } catch (RuntimeException e) {
      // Only a cache: this reader has the translations already, and the next reader's call asks the
      // translator again. A database that is down shows in the next call that needs it.
    }
  }

  private static boolean needsTranslation(Message message, String target) {
    return message.language().map(language -> !LanguageTags.sameLanguage(language, target)).orElse(true);
  }

  private static NotFoundException messageNotFound(UUID messageId) {
    return new NotFoundException("MESSAGE_NOT_FOUND", "message " + messageId + " not found in this conversation", Map.of("messageId", messageId.toString()));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
