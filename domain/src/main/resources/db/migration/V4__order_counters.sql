-- Counters a call needs, carried on the order row it locks and updates anyway, instead of MAX() and
-- COUNT() queries on every call: the length of the order's history (the last sequence_no) and how
-- many cancellation requests its buyer has made.

ALTER TABLE orders ADD COLUMN history_length BIGINT NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN cancellation_requests_made INT NOT NULL DEFAULT 0;

UPDATE orders SET history_length = (SELECT COALESCE(MAX(e.sequence_no), 0) FROM order_events e WHERE e.order_id = orders.id);
UPDATE orders SET cancellation_requests_made = (SELECT COUNT(*) FROM cancellation_requests r WHERE r.order_id = orders.id);
