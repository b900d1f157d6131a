-- Modification requests: before shipment either party of an order proposes a change (a line's
-- quantity, a line's variant, the shipping address) and the other party accepts or declines it by a
-- deadline, after which it expires by itself.
--
-- One open request of any kind per order: the order row carries its open modification (id and
-- deadline), so every call that locks the order knows without another read whether one is open and
-- whether it is due; modification_requests.open_order_id (unique, NULL once closed) backs the rule in
-- the schema, like cancellation_requests.pending_order_id. Cancellation requests and modifications
-- are kept from waiting together by the use cases, which decide under the order's row lock.

ALTER TABLE orders ADD COLUMN open_modification_id BINARY(16) NULL;
ALTER TABLE orders ADD COLUMN open_modification_respond_by DATETIME(6) NULL;

CREATE TABLE modification_requests (
  id                    BINARY(16)     NOT NULL,
  order_id              BINARY(16)     NOT NULL,
  buyer_id              VARBINARY(256) NOT NULL,
  seller_id             VARBINARY(256) NOT NULL,
  -- QUANTITY, VARIANT or SHIPPING_ADDRESS; the change itself as JSON (line index and the new value).
  change_kind           VARCHAR(24)    NOT NULL,
  change_value          JSON           NOT NULL,
  proposed_by_subject   VARBINARY(256) NOT NULL,
  proposed_by_role      VARCHAR(16)    NOT NULL,
  state                 VARCHAR(24)    NOT NULL,
  -- 0 while PROPOSED, 1 once closed: lists show open proposals first, by deadline.
  open_rank             TINYINT        NOT NULL,
  -- The order's id while PROPOSED, NULL after: at most one open modification per order.
  open_order_id         BINARY(16)     NULL,
  respond_by            DATETIME(6)    NOT NULL,
  currency_code         CHAR(3)        NOT NULL,
  -- The order's total before and after the change: as proposed, then as applied on acceptance.
  total_before_minor    BIGINT         NOT NULL,
  total_after_minor     BIGINT         NOT NULL,
  resolved_by_subject   VARBINARY(256) NULL,
  resolved_by_role      VARCHAR(16)    NULL,
  created_at            DATETIME(6)    NOT NULL,
  resolved_at           DATETIME(6)    NULL,
  version               INT            NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT uq_modification_requests_open_order UNIQUE (open_order_id),
  CONSTRAINT fk_modification_requests_order FOREIGN KEY (order_id) REFERENCES orders (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE INDEX idx_modification_requests_order ON modification_requests (order_id, created_at);
-- A buyer's and a seller's proposals (both ways), support's view and the deadline sweep: keyset scans.
CREATE INDEX idx_modification_requests_seller ON modification_requests (seller_id, open_rank, respond_by, id);
CREATE INDEX idx_modification_requests_buyer ON modification_requests (buyer_id, open_rank, respond_by, id);
CREATE INDEX idx_modification_requests_due ON modification_requests (open_rank, respond_by, id);
