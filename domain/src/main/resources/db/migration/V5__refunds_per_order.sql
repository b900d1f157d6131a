-- Several refunds per order: the cancellation's, and one per accepted modification that lowered the
-- price of a paid order (later: disputes, returns, partial cancellations). Each refund names its kind
-- and the one thing that caused it, through a column per kind whose unique key makes a second refund
-- for the same cause impossible.
--
-- The money invariant lives on the order row, which every change locks anyway: what was captured
-- (captured_minor, set with the payment) and what has been refunded so far (refunded_minor, the sum
-- of the order's refunds, written in the transaction that adds one). The CHECK refuses any write that
-- would refund more than was captured, whatever the code above it does.

ALTER TABLE refunds ADD COLUMN kind VARCHAR(24) NOT NULL DEFAULT 'CANCELLATION';
ALTER TABLE refunds ADD COLUMN modification_id BINARY(16) NULL;
ALTER TABLE refunds ADD CONSTRAINT uq_refunds_modification UNIQUE (modification_id);

ALTER TABLE orders ADD COLUMN captured_minor BIGINT NULL;
ALTER TABLE orders ADD COLUMN refunded_minor BIGINT NOT NULL DEFAULT 0;

UPDATE orders SET captured_minor = total_minor WHERE payment_reference IS NOT NULL;
UPDATE orders SET refunded_minor = (SELECT COALESCE(SUM(r.amount_minor), 0) FROM refunds r WHERE r.order_id = orders.id);

ALTER TABLE orders ADD CONSTRAINT ck_orders_refunds_within_capture
  CHECK (refunded_minor >= 0 AND refunded_minor <= COALESCE(captured_minor, 0));
