-- Cancellation requests, refunds, and how an order was cancelled.

ALTER TABLE orders ADD COLUMN cancelled_at DATETIME(6) NULL;
ALTER TABLE orders ADD COLUMN cancellation_kind VARCHAR(32) NULL;
ALTER TABLE orders ADD COLUMN cancellation_reason VARCHAR(48) NULL;
ALTER TABLE orders ADD COLUMN cancelled_by_subject VARCHAR(64) NULL;
ALTER TABLE orders ADD COLUMN cancelled_by_role VARCHAR(16) NULL;
ALTER TABLE orders ADD COLUMN cancellation_request_id BINARY(16) NULL;

CREATE TABLE cancellation_requests (
  id                   BINARY(16)    NOT NULL,
  reference            VARCHAR(16)   NOT NULL,
  order_id             BINARY(16)    NOT NULL,
  buyer_id             VARCHAR(64)   NOT NULL,
  seller_id            VARCHAR(64)   NOT NULL,
  reason               VARCHAR(48)   NOT NULL,
  explanation          VARCHAR(1000) NOT NULL,
  state                VARCHAR(24)   NOT NULL,
  -- 0 while PENDING, 1 once resolved: lists show pending requests first, by deadline.
  pending_rank         TINYINT       NOT NULL,
  -- The order's id while PENDING, NULL after: the unique key allows one pending request per order.
  pending_order_id     BINARY(16)    NULL,
  respond_by           DATETIME(6)   NOT NULL,
  rejection_reason     VARCHAR(40)   NULL,
  rejection_note       VARCHAR(1000) NOT NULL,
  resolved_by_subject  VARCHAR(64)   NULL,
  resolved_by_role     VARCHAR(16)   NULL,
  created_at           DATETIME(6)   NOT NULL,
  resolved_at          DATETIME(6)   NULL,
  version              INT           NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT uq_cancellation_requests_reference UNIQUE (reference),
  CONSTRAINT uq_cancellation_requests_pending_order UNIQUE (pending_order_id),
  CONSTRAINT fk_cancellation_requests_order FOREIGN KEY (order_id) REFERENCES orders (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE INDEX idx_cancellation_requests_order ON cancellation_requests (order_id, created_at);
-- The seller's inbox, a buyer's requests, support's queue and the deadline sweep: keyset scans.
CREATE INDEX idx_cancellation_requests_seller ON cancellation_requests (seller_id, pending_rank, respond_by, id);
CREATE INDEX idx_cancellation_requests_buyer ON cancellation_requests (buyer_id, pending_rank, respond_by, id);
CREATE INDEX idx_cancellation_requests_due ON cancellation_requests (pending_rank, respond_by, id);

CREATE TABLE refunds (
  id                       BINARY(16)   NOT NULL,
  order_id                 BINARY(16)   NOT NULL,
  cancellation_request_id  BINARY(16)   NULL,
  currency_code            CHAR(3)      NOT NULL,
  amount_minor             BIGINT       NOT NULL,
  payment_method           VARCHAR(32)  NOT NULL,
  state                    VARCHAR(16)  NOT NULL,
  business_days_min        INT          NOT NULL,
  business_days_max        INT          NOT NULL,
  expected_earliest_at     DATETIME(6)  NOT NULL,
  expected_latest_at       DATETIME(6)  NOT NULL,
  failure_reason           VARCHAR(500) NOT NULL,
  created_at               DATETIME(6)  NOT NULL,
  completed_at             DATETIME(6)  NULL,
  version                  INT          NOT NULL,
  PRIMARY KEY (id),
  -- Never two refunds for the same cancellation.
  CONSTRAINT uq_refunds_cancellation_request UNIQUE (cancellation_request_id),
  CONSTRAINT fk_refunds_order FOREIGN KEY (order_id) REFERENCES orders (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE INDEX idx_refunds_order ON refunds (order_id);
