-- Support cases: a buyer or a seller asks customer support to step in on an order (a cancellation
-- not processed, a rejected cancellation, a disputed modification, something else), and an escalated
-- dispute joins the same queue. The service records what it found when the case was opened; support
-- assigns and resolves cases (force the cancellation, issue a refund, or no action).
--
-- One open case per order, kind and opening party: support_cases.open_slot ("KIND:ROLE", or
-- "ESCALATED_DISPUTE") is unique per order and NULL once RESOLVED. A support refund is of kind
-- SUPPORT and names its case in refunds.support_case_id (unique: never two).

ALTER TABLE refunds ADD COLUMN support_case_id BINARY(16) NULL;
ALTER TABLE refunds ADD CONSTRAINT uq_refunds_support_case UNIQUE (support_case_id);

CREATE TABLE support_cases (
  id                      BINARY(16)     NOT NULL,
  -- "SC-" and 10 characters of Crockford's base32: what buyers quote.
  reference               VARCHAR(16)    NOT NULL,
  order_id                BINARY(16)     NOT NULL,
  buyer_id                VARBINARY(256) NOT NULL,
  seller_id               VARBINARY(256) NOT NULL,
  kind                    VARCHAR(32)    NOT NULL,
  opened_by_subject       VARBINARY(256) NOT NULL,
  opened_by_role          VARCHAR(16)    NOT NULL,
  cancellation_request_id BINARY(16)     NULL,
  modification_id         BINARY(16)     NULL,
  dispute_id              BINARY(16)     NULL,
  description             TEXT           NOT NULL,
  -- https URIs, as a JSON array of strings.
  evidence_uris           JSON           NOT NULL,
  finding                 VARCHAR(32)    NOT NULL,
  finding_detail          TEXT           NOT NULL,
  state                   VARCHAR(16)    NOT NULL,
  open_slot               VARCHAR(48)    NULL,
  assignee                VARBINARY(256) NULL,
  assigned_at             DATETIME(6)    NULL,
  action                  VARCHAR(24)    NULL,
  refund_id               BINARY(16)     NULL,
  resolution_note         TEXT           NULL,
  resolved_by_subject     VARBINARY(256) NULL,
  resolved_by_role        VARCHAR(16)    NULL,
  created_at              DATETIME(6)    NOT NULL,
  updated_at              DATETIME(6)    NOT NULL,
  resolved_at             DATETIME(6)    NULL,
  version                 INT            NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT uq_support_cases_reference UNIQUE (reference),
  CONSTRAINT uq_support_cases_open_slot UNIQUE (order_id, open_slot),
  CONSTRAINT uq_support_cases_dispute UNIQUE (dispute_id),
  CONSTRAINT fk_support_cases_order FOREIGN KEY (order_id) REFERENCES orders (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The queue, oldest first: by state, by assignee, by kind.
CREATE INDEX idx_support_cases_state ON support_cases (state, created_at, id);
CREATE INDEX idx_support_cases_assignee ON support_cases (assignee, state, created_at, id);
CREATE INDEX idx_support_cases_order ON support_cases (order_id, created_at);

-- Disputes escalated before this migration join the queue as their cases: the reference is made of
-- the low 50 bits of the dispute's id in Crockford's base32 (MariaDB's CONV digits 0-9A-V mapped to
-- Crockford's alphabet, highest letter first so no letter is mapped twice).
INSERT INTO support_cases (
  id, reference, order_id, buyer_id, seller_id, kind, opened_by_subject, opened_by_role, dispute_id, description,
  evidence_uris, finding, finding_detail, state, open_slot, created_at, updated_at, version)
SELECT
  d.id,
  CONCAT('SC-',
    REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(
      RIGHT(LPAD(CONV(RIGHT(HEX(d.id), 13), 16, 32), 11, '0'), 10),
      'V', 'Z'), 'U', 'Y'), 'T', 'X'), 'S', 'W'), 'R', 'V'), 'Q', 'T'), 'P', 'S'), 'O', 'R'), 'N', 'Q'), 'M', 'P'),
      'L', 'N'), 'K', 'M'), 'J', 'K'), 'I', 'J')),
  d.order_id, d.buyer_id, d.seller_id, 'ESCALATED_DISPUTE', d.escalated_by_subject, d.escalated_by_role, d.id, d.description,
  d.evidence_uris, 'DISPUTE_ESCALATED',
  CONCAT('Dispute ', LOWER(CONCAT_WS('-', SUBSTR(HEX(d.id), 1, 8), SUBSTR(HEX(d.id), 9, 4), SUBSTR(HEX(d.id), 13, 4),
    SUBSTR(HEX(d.id), 17, 4), SUBSTR(HEX(d.id), 21))), ' (', d.reason, ') was escalated to customer support.'),
  'OPEN', 'ESCALATED_DISPUTE', d.escalated_at, d.escalated_at, 1
FROM disputes d
WHERE d.state = 'ESCALATED';
