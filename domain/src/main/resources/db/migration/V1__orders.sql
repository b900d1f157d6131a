-- Orders, their lines, their append-only history and the idempotency records of mutating calls.
-- Conventions: ids are UUIDs in BINARY(16) (time-ordered v7 for orders); times are UTC DATETIME(6);
-- money is integer minor units plus an ISO 4217 code; one charset (utf8mb4, binary collation) for
-- every text column so that any two columns can be joined or referenced.

CREATE TABLE orders (
  id                        BINARY(16)   NOT NULL,
  buyer_id                  VARCHAR(64)  NOT NULL,
  seller_id                 VARCHAR(64)  NOT NULL,
  state                     VARCHAR(32)  NOT NULL,
  currency_code             CHAR(3)      NOT NULL,
  total_minor               BIGINT       NOT NULL,
  payment_method            VARCHAR(32)  NOT NULL,
  ship_recipient_name       VARCHAR(100) NOT NULL,
  ship_address_lines        JSON         NOT NULL,
  ship_locality             VARCHAR(100) NOT NULL,
  ship_administrative_area  VARCHAR(100) NOT NULL,
  ship_postal_code          VARCHAR(20)  NOT NULL,
  ship_region_code          CHAR(2)      NOT NULL,
  ship_phone_number         VARCHAR(32)  NOT NULL,
  payment_reference         VARCHAR(100) NULL,
  payment_captured_at       DATETIME(6)  NULL,
  carrier                   VARCHAR(64)  NULL,
  tracking_number           VARCHAR(64)  NULL,
  shipped_at                DATETIME(6)  NULL,
  delivered_at              DATETIME(6)  NULL,
  created_at                DATETIME(6)  NOT NULL,
  updated_at                DATETIME(6)  NOT NULL,
  version                   INT          NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- "My Orders": keyset pages newest first, per buyer and per seller, with and without a state filter.
CREATE INDEX idx_orders_buyer_created ON orders (buyer_id, created_at, id);
CREATE INDEX idx_orders_seller_created ON orders (seller_id, created_at, id);
CREATE INDEX idx_orders_buyer_state_created ON orders (buyer_id, state, created_at, id);
CREATE INDEX idx_orders_seller_state_created ON orders (seller_id, state, created_at, id);

CREATE TABLE order_lines (
  order_id            BINARY(16)   NOT NULL,
  line_no             INT          NOT NULL,
  sku                 VARCHAR(64)  NOT NULL,
  title               VARCHAR(200) NOT NULL,
  variant_attributes  JSON         NOT NULL,
  quantity            INT          NOT NULL,
  unit_price_minor    BIGINT       NOT NULL,
  PRIMARY KEY (order_id, line_no),
  CONSTRAINT fk_order_lines_order FOREIGN KEY (order_id) REFERENCES orders (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Append-only: rows are inserted and read, never updated or deleted.
CREATE TABLE order_events (
  order_id       BINARY(16)  NOT NULL,
  sequence_no    BIGINT      NOT NULL,
  event_type     VARCHAR(40) NOT NULL,
  actor_subject  VARCHAR(64) NOT NULL,
  actor_role     VARCHAR(16) NOT NULL,
  occurred_at    DATETIME(6) NOT NULL,
  order_state    VARCHAR(32) NOT NULL,
  details        JSON        NOT NULL,
  PRIMARY KEY (order_id, sequence_no),
  CONSTRAINT fk_order_events_order FOREIGN KEY (order_id) REFERENCES orders (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One row per (caller, request_id) of a mutating call, written in the transaction of the change.
CREATE TABLE idempotency_records (
  caller               VARCHAR(80)  NOT NULL,
  request_id           BINARY(16)   NOT NULL,
  operation            VARCHAR(100) NOT NULL,
  request_fingerprint  BINARY(32)   NOT NULL,
  response             MEDIUMBLOB   NULL,
  created_at           DATETIME(6)  NOT NULL,
  PRIMARY KEY (caller, request_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE INDEX idx_idempotency_records_created ON idempotency_records (created_at);
