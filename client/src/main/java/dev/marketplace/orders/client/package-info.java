/**
 * A small typed client for the orders service: {@link dev.marketplace.orders.client.OrdersClient}
 * with a deadline on every call, retries of UNAVAILABLE only, idempotent mutations (a
 * {@code request_id} per logical call), and errors as {@link
 * dev.marketplace.orders.client.OrdersException} subclasses carrying the server's ErrorInfo,
 * BadRequest, PreconditionFailure and RetryInfo details.
 */
package dev.marketplace.orders.client;
