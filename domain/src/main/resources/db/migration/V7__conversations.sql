-- Conversations: one thread per order between its buyer and its seller, which support can read and
-- post in. Messages are their own record, not order history (order_events stays for changes to the
-- order). Keys follow the order (order_id first), so every query could be routed by order, and the
-- inboxes by buyer or seller.

-- One row per order that has a message, created with its first one. It carries what the inboxes
-- sort and count by: the last sequence number (the message count) and the last message's time, kept
-- up to date under the order's row lock by every send.
CREATE TABLE conversations (
  order_id         BINARY(16)      NOT NULL,
  buyer_id         VARBINARY(256)  NOT NULL,
  seller_id        VARBINARY(256)  NOT NULL,
  message_count    BIGINT          NOT NULL,
  last_message_at  DATETIME(6)     NOT NULL,
  created_at       DATETIME(6)     NOT NULL,
  PRIMARY KEY (order_id),
  CONSTRAINT fk_conversations_order FOREIGN KEY (order_id) REFERENCES orders (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The inboxes, newest activity first: a buyer's, a seller's (their main screen), support's (all).
CREATE INDEX idx_conversations_buyer_activity ON conversations (buyer_id, last_message_at, order_id);
CREATE INDEX idx_conversations_seller_activity ON conversations (seller_id, last_message_at, order_id);
CREATE INDEX idx_conversations_activity ON conversations (last_message_at, order_id);

-- Append-only: messages are inserted and read, never updated or deleted. sequence_no counts from 1
-- per order, gap-free (every send holds the order's row lock).
CREATE TABLE conversation_messages (
  id                              BINARY(16)      NOT NULL,
  order_id                        BINARY(16)      NOT NULL,
  sequence_no                     BIGINT          NOT NULL,
  sender_subject                  VARBINARY(256)  NOT NULL,
  sender_role                     VARCHAR(16)     NOT NULL,
  body                            VARCHAR(2000)   NOT NULL,
  -- BCP 47; NULL when the sender gave none and detection was not confident.
  language_code                   VARCHAR(35)     NULL,
  language_source                 VARCHAR(16)     NOT NULL,
  attachment_uris                 JSON            NOT NULL,
  -- What the message quotes, if anything: a cancellation request of the same order, or a
  -- modification request (checked once modification requests exist).
  quoted_cancellation_request_id  BINARY(16)      NULL,
  quoted_modification_id          BINARY(16)      NULL,
  created_at                      DATETIME(6)     NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT uq_conversation_messages_sequence UNIQUE (order_id, sequence_no),
  CONSTRAINT fk_conversation_messages_order FOREIGN KEY (order_id) REFERENCES orders (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The abuse limit: a sender's messages on one order within the last hour, an index range scan.
CREATE INDEX idx_conversation_messages_sender_time ON conversation_messages (order_id, sender_subject, created_at);

-- Read markers: how far each participant (by subject and role) has read an order's thread. Only
-- ever moved forward.
CREATE TABLE conversation_reads (
  order_id         BINARY(16)      NOT NULL,
  reader_subject   VARBINARY(256)  NOT NULL,
  reader_role      VARCHAR(16)     NOT NULL,
  last_read_sequence_no  BIGINT    NOT NULL,
  updated_at       DATETIME(6)     NOT NULL,
  PRIMARY KEY (order_id, reader_subject, reader_role),
  CONSTRAINT fk_conversation_reads_order FOREIGN KEY (order_id) REFERENCES orders (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Machine translations of messages, one per message and target language: a cache, written
-- best-effort after the read that needed it (INSERT IGNORE: the first one stored wins).
CREATE TABLE message_translations (
  message_id     BINARY(16)     NOT NULL,
  language_code  VARCHAR(35)    NOT NULL,
  body           TEXT           NOT NULL,
  created_at     DATETIME(6)    NOT NULL,
  PRIMARY KEY (message_id, language_code),
  CONSTRAINT fk_message_translations_message FOREIGN KEY (message_id) REFERENCES conversation_messages (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
