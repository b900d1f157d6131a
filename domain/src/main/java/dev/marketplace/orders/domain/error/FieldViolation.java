package dev.marketplace.orders.domain.error;

/** One invalid field of a request: its path in the API (for example {@code order.line_items[0].quantity}) and why. */
public record FieldViolation(String field, String description) {}
