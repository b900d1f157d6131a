-- Partial cancellation: a cancellation request may name the units it asks to cancel, line by line,
-- as a JSON object from the line's position in the order (from 0, as modifications name lines) to
-- the units, e.g. {"0": "1", "2": "2"}. NULL for a request to cancel the whole order (every request
-- before this migration). The units are written with the request and never change; approving the
-- request (the seller, or the platform at the deadline) cancels exactly them and refunds their share
-- (refunds.kind PARTIAL, cause cancellation_request_id, unique as for CANCELLATION).

ALTER TABLE cancellation_requests ADD COLUMN cancelled_lines JSON NULL;
