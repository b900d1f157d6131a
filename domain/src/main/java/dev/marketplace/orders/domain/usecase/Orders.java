package dev.marketplace.orders.domain.usecase;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.cancellation.CancellationRequest;
import dev.marketplace.orders.domain.cancellation.CancellationSettings;
import dev.marketplace.orders.domain.error.AccessDeniedException;
import dev.marketplace.orders.domain.error.ConcurrentChangeException;
import dev.marketplace.orders.domain.error.InvalidRequestException;
import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.history.FeedEvent;
import dev.marketplace.orders.domain.history.OrderEventPage;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.idempotency.IdempotencyKey;
import dev.marketplace.orders.domain.idempotency.ResponseFormat;
import dev.marketplace.orders.domain.modification.ModificationRules;
import dev.marketplace.orders.domain.order.NewOrder;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderCursor;
import dev.marketplace.orders.domain.order.OrderPage;
import dev.marketplace.orders.domain.order.OrderQuery;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.order.PaymentReport;
import dev.marketplace.orders.domain.order.TimeOrderedIds;
import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.persistence.UnitOfWork;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * The order use cases, each call one transaction. A mutation locks the order, checks the caller may
 * see it, settles an expired cancellation deadline under that lock, applies the transition, stores it,
 * appends to the history, and (through the {@link Transactor}) records the response under the
 * caller's idempotency key. Who may call which use case at all (roles and
 * scopes) is checked at the API edge; which orders a caller may touch is checked here.
 */
public final class Orders {

  private final Transactor transactor;
  private final Clock clock;
  private final TimeOrderedIds ids;
  private final DeadlineExpiry expiry;

  public Orders(Transactor transactor, Clock clock, DeadlineExpiry expiry) {
    this.transactor = transactor;
    this.clock = clock;
    this.ids = new TimeOrderedIds(clock);
    this.expiry = expiry;
  }

  /** With the default cancellation settings (for tests and tools that do not configure them). */
  public Orders(Transactor transactor, Clock clock) {
    this(transactor, clock, new DeadlineExpiry(transactor, clock, CancellationSettings.defaults()));
  }

  public <T> T create(
      Principal caller, IdempotencyKey key, NewOrder request, ResponseFormat<Order, T> format) {
    return transactor.inIdempotentTransaction(
        key,
        format,
        uow -> {
          Order order = Order.place(ids.next(), request, now());
          uow.orders().insert(order);
          record(
              uow,
              order,
              OrderEventType.ORDER_CREATED,
              caller,
              Map.of(
                  "total", Long.toString(order.total().amountMinor()),
                  "currencyCode", order.currencyCode(),
                  "lineCount", Integer.toString(order.lineItems().size())));
          return order;
        });
  }

  public Order get(Principal caller, UUID orderId) {
    return transactor.inTransaction(uow -> expiry.settleForRead(uow, VisibleOrders.find(uow, caller, orderId), now()).order());
  }

  /**
   * Lists orders newest first. Buyers and sellers list their own orders (naming themselves or no one);
   * support and services must name exactly one buyer or seller, because listings are keyed by party.
   */
  public OrderPage list(Principal caller, OrderQuery query) {
    OrderQuery scoped = scope(caller, query);
    return transactor.inTransaction(
        uow -> {
          expiry.settleDueOf(uow, scoped.buyerId(), scoped.sellerId(), now());
          List<Order> rows = uow.orders().page(scoped, scoped.pageSize() + 1);
          if (rows.size() <= scoped.pageSize()) {
            return new OrderPage(rows, Optional.empty());
          }
          List<Order> page = rows.subList(0, scoped.pageSize());
          return new OrderPage(page, Optional.of(OrderCursor.after(page.get(page.size() - 1))));
        });
  }

  public <T> T recordPayment(
      Principal caller, IdempotencyKey key, PaymentReport report, ResponseFormat<Order, T> format) {
    return transactor.inIdempotentTransaction(
        key,
        format,
        uow -> {
          Instant now = now();
          Order order = expiry.settleLocked(uow, VisibleOrders.lock(uow, caller, report.orderId()), now).order();
          return switch (report.outcome()) {
            case PROCESSING ->
                change(uow, caller, order.startPaymentVerification(now), OrderEventType.PAYMENT_PROCESSING, Map.of());
            case CAPTURED -> {
              if (!report.amount().equals(order.total())) {
                throw InvalidRequestException.of(
                    "amount",
                    "captured " + report.amount() + " but the order's total is " + order.total());
              }
              yield change(
                  uow,
                  caller,
                  order.capturePayment(report.paymentReference(), now),
                  OrderEventType.PAYMENT_CAPTURED,
                  Map.of(
                      "paymentReference", report.paymentReference(),
                      "amount", Long.toString(report.amount().amountMinor()),
                      "currencyCode", report.amount().currencyCode()));
            }
            case FAILED ->
                change(
                    uow,
                    caller,
                    order.failPayment(now),
                    OrderEventType.PAYMENT_FAILED,
                    report.failureReason().isEmpty() ? Map.of() : Map.of("failureReason", report.failureReason()));
          };
        });
  }

  public <T> T ship(
      Principal caller,
      IdempotencyKey key,
      UUID orderId,
      String carrier,
      String trackingNumber,
      OptionalInt expectedVersion,
      ResponseFormat<Order, T> format) {
    return mutate(
        caller,
        key,
        orderId,
        expectedVersion,
        format,
        OrderEventType.ORDER_SHIPPED,
        Map.of("carrier", carrier, "trackingNumber", trackingNumber),
        (uow, settled) -> {
          // Shipping and cancelling never both win: a pending request must be answered first.
          if (settled.pending().isPresent()) {
            throw pendingRequestBlocksShipping(settled.pending().get());
          }
          // Nor shipping and changing: a waiting modification must be answered (or withdrawn) first.
          Order order = settled.order();
          if (order.state() == OrderState.AWAITING_SHIPMENT && settled.openModification().isPresent()) {
            throw ModificationRules.openModificationRequest(order.id(), order.state(), settled.openModification().get(), "ship");
          }
          return settled.order().ship(carrier, trackingNumber, now());
        });
  }

  public <T> T confirmDelivery(
      Principal caller,
      IdempotencyKey key,
      UUID orderId,
      OptionalInt expectedVersion,
      ResponseFormat<Order, T> format) {
    return mutate(
        caller,
        key,
        orderId,
        expectedVersion,
        format,
        OrderEventType.ORDER_DELIVERED,
        Map.of(),
        (uow, settled) -> settled.order().confirmDelivery(now()));
  }

  /** The order's history, oldest first, after {@code afterSequence} (0 for the start). */
  public OrderEventPage history(Principal caller, UUID orderId, long afterSequence, int pageSize) {
    return transactor.inTransaction(
        uow -> {
          expiry.settleForRead(uow, VisibleOrders.find(uow, caller, orderId), now());
          List<FeedEvent> rows = uow.feed().ofOrder(orderId, afterSequence, pageSize + 1);
          if (rows.size() <= pageSize) {
            return new OrderEventPage(rows, OptionalLong.empty());
          }
          List<FeedEvent> page = rows.subList(0, pageSize);
          return new OrderEventPage(page, OptionalLong.of(page.get(page.size() - 1).event().sequence()));
        });
  }

  private <T> T mutate(
      Principal caller,
      IdempotencyKey key,
      UUID orderId,
      OptionalInt expectedVersion,
      ResponseFormat<Order, T> format,
      OrderEventType eventType,
      Map<String, String> details,
      BiFunction<UnitOfWork, DeadlineExpiry.Settled, Order> transition) {
    return transactor.inIdempotentTransaction(
        key,
        format,
        uow -> {
          Order order = VisibleOrders.lock(uow, caller, orderId);
          if (expectedVersion.isPresent() && expectedVersion.getAsInt() != order.version()) {
            throw new ConcurrentChangeException(
                "ETAG_MISMATCH",
                "order " + orderId + " changed since it was read; read it again",
                Map.of("orderId", orderId.toString(), "orderState", order.state().name()));
          }
          return change(uow, caller, transition.apply(uow, expiry.settleLocked(uow, order, now())), eventType, details);
        });
  }

  private static StateConflictException pendingRequestBlocksShipping(CancellationRequest pending) {
    return new StateConflictException(
        "CANCELLATION_REQUEST_PENDING",
        "answer the cancellation request " + pending.reference() + " first: approve or reject it before shipping",
        Map.of(
            "orderId", pending.orderId().toString(),
            "orderState", OrderState.AWAITING_SHIPMENT.name(),
            "cancellationRequestId", pending.id().toString(),
            "respondBy", pending.respondBy().toString()),
        "orders/" + pending.orderId(),
        "ORDER_STATE",
        null);
  }

  private Order change(
      UnitOfWork uow,
      Principal caller,
      Order after,
      OrderEventType type,
      Map<String, String> details) {
    uow.orders().update(after);
    record(uow, after, type, caller, details);
    return after;
  }

  private void record(
      UnitOfWork uow, Order order, OrderEventType type, Principal caller, Map<String, String> details) {
    uow.events()
        .append(order.id(), type, caller.subject(), caller.role(), order.updatedAt(), order.state(), details);
  }

  private static OrderQuery scope(Principal caller, OrderQuery query) {
    String buyer = query.buyerId().orElse(null);
    String seller = query.sellerId().orElse(null);
    switch (caller.role()) {
      case BUYER -> {
        requireSelf(caller, buyer, "buyer_id");
        return query.scopedTo(caller.subject(), seller);
      }
      case SELLER -> {
        requireSelf(caller, seller, "seller_id");
        return query.scopedTo(buyer, caller.subject());
      }
      default -> {
        if (buyer == null && seller == null) {
          throw InvalidRequestException.of(
              "buyer_id", "support and services must name a buyer_id or a seller_id to list orders");
        }
        return query;
      }
    }
  }

  private static void requireSelf(Principal caller, String named, String field) {
    if (named != null && !named.equals(caller.subject())) {
      throw new AccessDeniedException(
          "NOT_YOUR_ORDERS",
          "a " + caller.role().name().toLowerCase() + " may only list their own orders",
          Map.of("field", field));
    }
  }

  private Instant now() {
    // The database keeps microseconds; truncating here keeps what we return equal to what we stored.
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
