/**
 * A small typed client for the orders service: {@link dev.marketplace.orders.client.OrdersClient}
 * for {@code orders.v1.OrderService}, {@code CancellationService}, {@code ModificationService},
 * {@code DisputeService}, {@code SupportService} and {@code ConversationService}, with a deadline on
 * every call, retries of UNAVAILABLE only, idempotent mutations (a {@code request_id} per logical
 * call), and errors as {@link dev.marketplace.orders.client.OrdersException} subclasses carrying the
 * server's ErrorInfo, BadRequest, PreconditionFailure and RetryInfo details; and {@code
 * watchOrderEvents}, which follows the order-event feed and resumes by itself after every
 * interruption that retrying can fix ({@link dev.marketplace.orders.client.OrderEventSubscription}).
 */
package dev.marketplace.orders.client;
