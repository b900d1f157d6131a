-- Returns after delivery: the buyer asks to return some units of a DELIVERED order within the return
-- window; the seller approves or rejects (silence approves by itself at respond_by); the buyer ships
-- the units back; the seller confirms receipt (silence accepts by itself at receive_by). Receipt
-- counts the units in order_lines.returned_quantity and refunds their share (a refund of kind RETURN,
-- refunds.return_id, unique since V10), never beyond what the order can still refund.
--
-- One open return per order: returns.open_order_id (unique, NULL once RECEIVED, REJECTED or
-- WITHDRAWN), set and cleared under the order's row lock, like disputes.open_order_id.
-- due_at is the deadline that counts now (respond_by while REQUESTED, receive_by while SHIPPED), NULL
-- otherwise: the deadline sweep scans (due_at, id).
--
-- A dispute may ask for "return and refund" (disputes.requested_return); accepted, it opens an
-- APPROVED return (returns.dispute_id) whose receipt refunds.

ALTER TABLE disputes ADD COLUMN requested_return TINYINT NOT NULL DEFAULT 0;

CREATE TABLE returns (
  id                      BINARY(16)     NOT NULL,
  order_id                BINARY(16)     NOT NULL,
  buyer_id                VARBINARY(256) NOT NULL,
  seller_id               VARBINARY(256) NOT NULL,
  -- The dispute whose resolution opened it; NULL for a buyer's request.
  dispute_id              BINARY(16)     NULL,
  reason                  VARCHAR(32)    NOT NULL,
  description             TEXT           NOT NULL,
  -- https URIs, as a JSON array of strings.
  evidence_uris           JSON           NOT NULL,
  currency_code           CHAR(3)        NOT NULL,
  state                   VARCHAR(16)    NOT NULL,
  -- 0 while open (REQUESTED, APPROVED, SHIPPED), 1 closed.
  open_rank               TINYINT        NOT NULL,
  -- The order's id while the return is open, NULL after: one open return per order.
  open_order_id           BINARY(16)     NULL,
  -- Not answered by then: approved by the platform. NULL for a return a dispute opened.
  respond_by              DATETIME(6)    NULL,
  -- The deadline that counts now: respond_by while REQUESTED, receive_by while SHIPPED.
  due_at                  DATETIME(6)    NULL,
  seller_note             TEXT           NULL,
  carrier                 VARCHAR(64)    NULL,
  tracking_number         VARCHAR(64)    NULL,
  shipped_at              DATETIME(6)    NULL,
  -- Receipt not confirmed by then: accepted by the platform.
  receive_by              DATETIME(6)    NULL,
  -- What the receipt refunded (NULL: nothing was left to refund) and the units' share it was due.
  refunded_minor          BIGINT         NULL,
  share_minor             BIGINT         NULL,
  decided_by_subject      VARBINARY(256) NULL,
  decided_by_role         VARCHAR(16)    NULL,
  decided_at              DATETIME(6)    NULL,
  received_by_subject     VARBINARY(256) NULL,
  received_by_role        VARCHAR(16)    NULL,
  received_at             DATETIME(6)    NULL,
  created_at              DATETIME(6)    NOT NULL,
  updated_at              DATETIME(6)    NOT NULL,
  closed_at               DATETIME(6)    NULL,
  version                 INT            NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT uq_returns_open_order UNIQUE (open_order_id),
  CONSTRAINT fk_returns_order FOREIGN KEY (order_id) REFERENCES orders (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The units a return takes back, per line of the order (line_no as order_lines.line_no, from 1).
CREATE TABLE return_lines (
  return_id               BINARY(16)     NOT NULL,
  line_no                 INT            NOT NULL,
  quantity                INT            NOT NULL,
  PRIMARY KEY (return_id, line_no),
  CONSTRAINT ck_return_lines_quantity CHECK (quantity >= 1),
  CONSTRAINT fk_return_lines_return FOREIGN KEY (return_id) REFERENCES returns (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE INDEX idx_returns_order ON returns (order_id, created_at);
-- A buyer's, a seller's and support's listings (open first, oldest first).
CREATE INDEX idx_returns_buyer ON returns (buyer_id, open_rank, created_at, id);
CREATE INDEX idx_returns_seller ON returns (seller_id, open_rank, created_at, id);
CREATE INDEX idx_returns_rank ON returns (open_rank, created_at, id);
CREATE INDEX idx_returns_state ON returns (state, open_rank, created_at, id);
-- The deadline sweep: due returns, earliest first.
CREATE INDEX idx_returns_due ON returns (due_at, id);
