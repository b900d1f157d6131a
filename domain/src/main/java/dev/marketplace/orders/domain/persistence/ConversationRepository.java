package dev.marketplace.orders.domain.persistence;

import static dev.marketplace.orders.domain.persistence.jooq.Tables.CONVERSATIONS;
import static dev.marketplace.orders.domain.persistence.jooq.Tables.CONVERSATION_MESSAGES;
import static dev.marketplace.orders.domain.persistence.jooq.Tables.CONVERSATION_READS;
import static dev.marketplace.orders.domain.persistence.jooq.Tables.MESSAGE_TRANSLATIONS;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.conversation.ConversationCursor;
import dev.marketplace.orders.domain.conversation.ConversationQuery;
import dev.marketplace.orders.domain.conversation.ConversationSummary;
import dev.marketplace.orders.domain.conversation.LanguageSource;
import dev.marketplace.orders.domain.conversation.Message;
import dev.marketplace.orders.domain.conversation.ShownMessage;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.persistence.jooq.tables.records.ConversationMessagesRecord;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.InsertValuesStep4;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * Conversations, their messages (append-only), the participants' read markers and the translation
 * cache. A send runs under its order's row lock, which serializes the sequence numbers and the rate
 * count of one order; everything else is keyed by order id, or by buyer or seller for the inboxes.
 */
public final class ConversationRepository {

  private final DSLContext tx;

  ConversationRepository(DSLContext tx) {
    this.tx = tx;
  }

  /** How many messages the order's conversation has (0 before the first). Read under the order's lock by a send. */
  public long messageCount(UUID orderId) {
    return tx.select(CONVERSATIONS.MESSAGE_COUNT)
        .from(CONVERSATIONS)
        .where(CONVERSATIONS.ORDER_ID.eq(orderId))
        .fetchOptional(CONVERSATIONS.MESSAGE_COUNT)
        .orElse(0L);
  }

  /**
   * When this sender's messages to this order since {@code since} were sent, oldest first, at most
   * {@code limit}: a range scan of (order, sender, time), bounded by the limit it is checked against.
   */
  public List<Instant> sentSince(UUID orderId, String senderSubject, Role senderRole, Instant since, int limit) {
    return tx.select(CONVERSATION_MESSAGES.CREATED_AT)
        .from(CONVERSATION_MESSAGES)
        .where(CONVERSATION_MESSAGES.ORDER_ID.eq(orderId))
        .and(CONVERSATION_MESSAGES.SENDER_SUBJECT.eq(senderSubject))
        .and(CONVERSATION_MESSAGES.CREATED_AT.gt(Times.toDb(since)))
        .and(CONVERSATION_MESSAGES.SENDER_ROLE.eq(senderRole.name()))
        .orderBy(CONVERSATION_MESSAGES.CREATED_AT)
        .limit(limit)
        .fetch(r -> Times.fromDb(r.value1()));
  }

  /**
   * Appends the message (its sequence number the order's next) and brings the conversation's count
   * and last activity up to it, creating the conversation with its first message. The caller holds
   * the order's row lock.
   */
  public void append(Order order, Message message) {
    String at = Times.toDb(message.createdAt());
    if (message.sequenceNo() == 1) {
      tx.insertInto(CONVERSATIONS)
          .set(CONVERSATIONS.ORDER_ID, order.id())
          .set(CONVERSATIONS.BUYER_ID, order.buyerId())
          .set(CONVERSATIONS.SELLER_ID, order.sellerId())
          .set(CONVERSATIONS.MESSAGE_COUNT, message.sequenceNo())
          .set(CONVERSATIONS.LAST_MESSAGE_AT, at)
          .set(CONVERSATIONS.CREATED_AT, at)
          .execute();
    } else {
      tx.update(CONVERSATIONS)
          .set(CONVERSATIONS.MESSAGE_COUNT, message.sequenceNo())
          .set(CONVERSATIONS.LAST_MESSAGE_AT, at)
          .where(CONVERSATIONS.ORDER_ID.eq(order.id()))
          .execute();
    }
    ConversationMessagesRecord row = tx.newRecord(CONVERSATION_MESSAGES);
    row.setId(message.id());
    row.setOrderId(message.orderId());
    row.setSequenceNo(message.sequenceNo());
    row.setSenderSubject(message.senderSubject());
    row.setSenderRole(message.senderRole().name());
    row.setBody(message.text());
    row.setLanguageCode(message.languageCode());
    row.setLanguageSource(message.languageSource().name());
    row.setAttachmentUris(JsonColumns.ofList(message.attachmentUris()));
    row.setQuotedCancellationRequestId(message.quotedCancellationRequestId());
    row.setQuotedModificationId(message.quotedModificationId());
    row.setCreatedAt(at);
    tx.insertInto(CONVERSATION_MESSAGES).set(row).execute();
  }

  /** Moves the reader's marker on the order's conversation forward to {@code sequenceNo}; never back. */
  public void markRead(UUID orderId, String readerSubject, Role readerRole, long sequenceNo, Instant now) {
    // INSERT IGNORE, then move an existing marker forward: MySQL 8 and MariaDB share no upsert syntax
    // that jOOQ renders for both (MySQL's "AS excluded" alias is a syntax error on MariaDB).
    int inserted =
        tx.insertInto(CONVERSATION_READS)
            .set(CONVERSATION_READS.ORDER_ID, orderId)
            .set(CONVERSATION_READS.READER_SUBJECT, readerSubject)
            .set(CONVERSATION_READS.READER_ROLE, readerRole.name())
            .set(CONVERSATION_READS.LAST_READ_SEQUENCE_NO, sequenceNo)
            .set(CONVERSATION_READS.UPDATED_AT, Times.toDb(now))
            .onDuplicateKeyIgnore()
            .execute();
    if (inserted == 0) {
      tx.update(CONVERSATION_READS)
          .set(CONVERSATION_READS.LAST_READ_SEQUENCE_NO, sequenceNo)
          .set(CONVERSATION_READS.UPDATED_AT, Times.toDb(now))
          .where(CONVERSATION_READS.ORDER_ID.eq(orderId))
          .and(CONVERSATION_READS.READER_SUBJECT.eq(readerSubject))
          .and(CONVERSATION_READS.READER_ROLE.eq(readerRole.name()))
          .and(CONVERSATION_READS.LAST_READ_SEQUENCE_NO.lt(sequenceNo))
          .execute();
    }
  }

  public Optional<Message> findMessage(UUID messageId) {
    return tx.selectFrom(CONVERSATION_MESSAGES)
        .where(CONVERSATION_MESSAGES.ID.eq(messageId))
        .fetchOptional(ConversationRepository::toMessage);
  }

  /** Up to {@code limit} of the order's messages after sequence number {@code after}, oldest first. */
  public List<Message> page(UUID orderId, long after, int limit) {
    return tx.selectFrom(CONVERSATION_MESSAGES)
        .where(CONVERSATION_MESSAGES.ORDER_ID.eq(orderId))
        .and(CONVERSATION_MESSAGES.SEQUENCE_NO.gt(after))
        .orderBy(CONVERSATION_MESSAGES.SEQUENCE_NO)
        .limit(limit)
        .fetch(ConversationRepository::toMessage);
  }

  /** The cached translations of these messages into {@code languageCode}, by message id. */
  public Map<UUID, String> translations(Collection<UUID> messageIds, String languageCode) {
    if (messageIds.isEmpty()) {
      return Map.of();
    }
    return tx.select(MESSAGE_TRANSLATIONS.MESSAGE_ID, MESSAGE_TRANSLATIONS.BODY)
        .from(MESSAGE_TRANSLATIONS)
        .where(MESSAGE_TRANSLATIONS.MESSAGE_ID.in(messageIds))
        .and(MESSAGE_TRANSLATIONS.LANGUAGE_CODE.eq(languageCode))
        .fetchMap(MESSAGE_TRANSLATIONS.MESSAGE_ID, MESSAGE_TRANSLATIONS.BODY);
  }

  /** Caches new translations in one statement; one already stored (by a concurrent reader) is kept. */
  public void storeTranslations(Map<UUID, String> translations, String languageCode, Instant now) {
    if (translations.isEmpty()) {
      return;
    }
    String at = Times.toDb(now);
    InsertValuesStep4<?, UUID, String, String, String> insert =
        tx.insertInto(
            MESSAGE_TRANSLATIONS,
            MESSAGE_TRANSLATIONS.MESSAGE_ID,
            MESSAGE_TRANSLATIONS.LANGUAGE_CODE,
            MESSAGE_TRANSLATIONS.BODY,
            MESSAGE_TRANSLATIONS.CREATED_AT);
    translations.forEach((id, text) -> insert.values(id, languageCode, text, at));
    insert.onDuplicateKeyIgnore().execute();
  }

  /**
   * Up to {@code limit} conversations matching the query, newest activity first, each with its last
   * message and this reader's marker: one keyset scan of an inbox index, joined by primary keys.
   */
  public List<ConversationSummary> inbox(ConversationQuery query, String readerSubject, Role readerRole, int limit) {
    Condition where = DSL.noCondition();
    if (query.buyerId().isPresent()) {
      where = where.and(CONVERSATIONS.BUYER_ID.eq(query.buyerId().get()));
    }
    if (query.sellerId().isPresent()) {
      where = where.and(CONVERSATIONS.SELLER_ID.eq(query.sellerId().get()));
    }
    if (query.orderId().isPresent()) {
      where = where.and(CONVERSATIONS.ORDER_ID.eq(query.orderId().get()));
    }
    if (query.after().isPresent()) {
      ConversationCursor after = query.after().get();
      String at = Times.toDb(after.lastMessageAt());
      where =
          where.and(
              CONVERSATIONS.LAST_MESSAGE_AT.lt(at)
                  .or(CONVERSATIONS.LAST_MESSAGE_AT.eq(at).and(CONVERSATIONS.ORDER_ID.lt(after.orderId()))));
    }
    return tx.select(CONVERSATIONS.fields())
        .select(CONVERSATION_MESSAGES.fields())
        .select(CONVERSATION_READS.LAST_READ_SEQUENCE_NO)
        .from(CONVERSATIONS)
        .join(CONVERSATION_MESSAGES)
        .on(CONVERSATION_MESSAGES.ORDER_ID.eq(CONVERSATIONS.ORDER_ID))
        .and(CONVERSATION_MESSAGES.SEQUENCE_NO.eq(CONVERSATIONS.MESSAGE_COUNT))
        .leftJoin(CONVERSATION_READS)
        .on(CONVERSATION_READS.ORDER_ID.eq(CONVERSATIONS.ORDER_ID))
        .and(CONVERSATION_READS.READER_SUBJECT.eq(readerSubject))
        .and(CONVERSATION_READS.READER_ROLE.eq(readerRole.name()))
        .where(where)
        .orderBy(CONVERSATIONS.LAST_MESSAGE_AT.desc(), CONVERSATIONS.ORDER_ID.desc())
        .limit(limit)
        .fetch(ConversationRepository::toSummary);
  }

  /** The order's conversation as this reader sees it; empty before its first message. */
  public Optional<ConversationSummary> summary(UUID orderId, String readerSubject, Role readerRole) {
    List<ConversationSummary> found =
        inbox(
            new ConversationQuery(Optional.empty(), Optional.empty(), Optional.of(orderId), Optional.empty(), 1),
            readerSubject,
            readerRole,
            1);
    return found.stream().findFirst();
  }

  private static ConversationSummary toSummary(Record row) {
    Long read = row.get(CONVERSATION_READS.LAST_READ_SEQUENCE_NO);
    return new ConversationSummary(
        row.get(CONVERSATIONS.ORDER_ID),
        row.get(CONVERSATIONS.BUYER_ID),
        row.get(CONVERSATIONS.SELLER_ID),
        row.get(CONVERSATIONS.MESSAGE_COUNT),
        Times.fromDb(row.get(CONVERSATIONS.LAST_MESSAGE_AT)),
        ShownMessage.original(toMessage(row.into(CONVERSATION_MESSAGES))),
        read == null ? 0 : read);
  }

  private static Message toMessage(ConversationMessagesRecord row) {
    return new Message(
        row.getId(),
        row.getOrderId(),
        row.getSequenceNo(),
        row.getSenderSubject(),
        Role.valueOf(row.getSenderRole()),
        row.getBody(),
        row.getLanguageCode(),
        LanguageSource.valueOf(row.getLanguageSource()),
        JsonColumns.toList(row.getAttachmentUris()),
        row.getQuotedCancellationRequestId(),
        row.getQuotedModificationId(),
        Times.fromDb(row.getCreatedAt()));
  }
}
