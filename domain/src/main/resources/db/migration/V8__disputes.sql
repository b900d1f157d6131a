-- Disputes: after a rejected cancellation request, once shipped, or within the buyer-protection
-- window after delivery, the buyer disputes the order and asks for a full or a partial refund; the
-- seller accepts, offers a partial refund or rejects; either party escalates to support, and a
-- dispute not agreed by respond_by escalates by itself (the deadline sweep).
--
-- One open dispute per order: disputes.open_order_id (unique, NULL once RESOLVED or WITHDRAWN), set
-- and cleared under the order's row lock, like cancellation_requests.pending_order_id.
-- A dispute's refund is of kind DISPUTE and names it in refunds.dispute_id (unique: never two).

ALTER TABLE refunds ADD COLUMN dispute_id BINARY(16) NULL;
ALTER TABLE refunds ADD CONSTRAINT uq_refunds_dispute UNIQUE (dispute_id);

CREATE TABLE disputes (
  id                      BINARY(16)     NOT NULL,
  order_id                BINARY(16)     NOT NULL,
  buyer_id                VARBINARY(256) NOT NULL,
  seller_id               VARBINARY(256) NOT NULL,
  reason                  VARCHAR(32)    NOT NULL,
  description             TEXT           NOT NULL,
  -- https URIs, as a JSON array of strings.
  evidence_uris           JSON           NOT NULL,
  -- The resolution the buyer asks: a full refund (1), or a partial one of requested_minor (0).
  requested_full          TINYINT        NOT NULL,
  requested_minor         BIGINT         NULL,
  currency_code           CHAR(3)        NOT NULL,
  state                   VARCHAR(24)    NOT NULL,
  outcome                 VARCHAR(32)    NULL,
  -- 0 while the parties may still agree (the deadline counts), 1 escalated, 2 closed.
  open_rank               TINYINT        NOT NULL,
  -- The order's id while the dispute is not RESOLVED or WITHDRAWN, NULL after: one open per order.
  open_order_id           BINARY(16)     NULL,
  -- Not agreed by then: escalated by the platform.
  respond_by              DATETIME(6)    NOT NULL,
  -- Either party may escalate from then on.
  escalable_from          DATETIME(6)    NOT NULL,
  offered_minor           BIGINT         NULL,
  seller_note             TEXT           NULL,
  seller_evidence_uris    JSON           NULL,
  support_note            TEXT           NULL,
  refunded_minor          BIGINT         NULL,
  escalated_by_subject    VARBINARY(256) NULL,
  escalated_by_role       VARCHAR(16)    NULL,
  escalated_at            DATETIME(6)    NULL,
  resolved_by_subject     VARBINARY(256) NULL,
  resolved_by_role        VARCHAR(16)    NULL,
  created_at              DATETIME(6)    NOT NULL,
  updated_at              DATETIME(6)    NOT NULL,
  resolved_at             DATETIME(6)    NULL,
  version                 INT            NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT uq_disputes_open_order UNIQUE (open_order_id),
  CONSTRAINT fk_disputes_order FOREIGN KEY (order_id) REFERENCES orders (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE INDEX idx_disputes_order ON disputes (order_id, created_at);
-- A buyer's, a seller's and support's listings (open first, by deadline) and the escalation sweep.
CREATE INDEX idx_disputes_buyer ON disputes (buyer_id, open_rank, respond_by, id);
CREATE INDEX idx_disputes_seller ON disputes (seller_id, open_rank, respond_by, id);
CREATE INDEX idx_disputes_due ON disputes (open_rank, respond_by, id);
CREATE INDEX idx_disputes_state ON disputes (state, open_rank, respond_by, id);
