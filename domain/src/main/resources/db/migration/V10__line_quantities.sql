-- Part of an order: each line counts the units cancelled (a partial cancellation, before shipment)
-- and the units returned (a return received, after delivery) beside the units ordered. What the buyer
-- buys is quantity - cancelled_quantity (the order's total follows it); what the buyer keeps is
-- quantity - cancelled_quantity - returned_quantity, never below zero (the CHECK): a line is never
-- refunded for more units than it has.
--
-- Refunds gain two kinds: PARTIAL (a partial cancellation approved; its cause is the cancellation
-- request, refunds.cancellation_request_id as for CANCELLATION) and RETURN (a return received; its
-- cause is the return, refunds.return_id, unique: never two).

ALTER TABLE order_lines ADD COLUMN cancelled_quantity INT NOT NULL DEFAULT 0;
ALTER TABLE order_lines ADD COLUMN returned_quantity INT NOT NULL DEFAULT 0;
ALTER TABLE order_lines ADD CONSTRAINT ck_order_lines_units
  CHECK (cancelled_quantity >= 0 AND returned_quantity >= 0 AND cancelled_quantity + returned_quantity <= quantity);

ALTER TABLE refunds ADD COLUMN return_id BINARY(16) NULL;
ALTER TABLE refunds ADD CONSTRAINT uq_refunds_return UNIQUE (return_id);
