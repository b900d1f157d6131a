-- Identity columns compare byte for byte.
--
-- utf8mb4_bin is a PAD SPACE collation on MariaDB and MySQL alike: in SQL 'buyer-1 ' = 'buyer-1', so
-- a token whose subject is another party's id plus trailing spaces matched that party's rows in
-- WHERE clauses and in the idempotency key, while every check in Java compared exactly. A NO PAD
-- binary collation has no name common to both servers (utf8mb4_nopad_bin on MariaDB,
-- utf8mb4_0900_bin on MySQL 8), so these columns become VARBINARY, which compares bytes, pads nothing
-- and works the same on both. The conversion keeps the stored UTF-8 bytes unchanged. Sizes are in
-- bytes: 64 characters of at most 4 bytes each (party ids), 80 for the idempotency caller
-- ('ROLE:subject').

ALTER TABLE orders MODIFY buyer_id VARBINARY(256) NOT NULL;
ALTER TABLE orders MODIFY seller_id VARBINARY(256) NOT NULL;
ALTER TABLE orders MODIFY cancelled_by_subject VARBINARY(256) NULL;

ALTER TABLE order_events MODIFY actor_subject VARBINARY(256) NOT NULL;

ALTER TABLE idempotency_records MODIFY caller VARBINARY(320) NOT NULL;

ALTER TABLE cancellation_requests MODIFY buyer_id VARBINARY(256) NOT NULL;
ALTER TABLE cancellation_requests MODIFY seller_id VARBINARY(256) NOT NULL;
ALTER TABLE cancellation_requests MODIFY resolved_by_subject VARBINARY(256) NULL;
