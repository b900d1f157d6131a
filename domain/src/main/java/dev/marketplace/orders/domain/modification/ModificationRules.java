package dev.marketplace.orders.domain.modification;

import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderState;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The modification rules as pure functions of the order, what it has open and the change:
 *
 * <pre>
 * AWAITING_PAYMENT     any change; the order simply gets the new total
 * PAYMENT_PROCESSING   changes that keep the total; one that changes it waits until the payment settles
 *                      (PAYMENT_VERIFICATION_IN_PROGRESS): the amount being verified must stay the total
 * AWAITING_SHIPMENT    changes that keep or lower the total (the difference is refunded); one that
 *                      raises it is refused (MODIFICATION_RAISES_PAID_TOTAL): the money is captured
 * SHIPPED, DELIVERED   none (ORDER_ALREADY_SHIPPED)
 * CANCELLED            none (ORDER_ALREADY_CANCELLED)
 * </pre>
 *
 * One open request of any kind per order: a proposal is refused while a cancellation request or
 * another modification waits (OPEN_CANCELLATION_REQUEST, OPEN_MODIFICATION_REQUEST), and a change
 * that changes nothing is refused (MODIFICATION_CHANGES_NOTHING). The price rules hold at proposal
 * and again at acceptance, against the order as it is then.
 */
public final class ModificationRules {

  public static final String ORDER_ALREADY_SHIPPED = "ORDER_ALREADY_SHIPPED";
  public static final String ORDER_ALREADY_CANCELLED = "ORDER_ALREADY_CANCELLED";
  public static final String OPEN_CANCELLATION_REQUEST = "OPEN_CANCELLATION_REQUEST";
  public static final String OPEN_MODIFICATION_REQUEST = "OPEN_MODIFICATION_REQUEST";
  public static final String MODIFICATION_RAISES_PAID_TOTAL = "MODIFICATION_RAISES_PAID_TOTAL";
  public static final String MODIFICATION_CHANGES_NOTHING = "MODIFICATION_CHANGES_NOTHING";
  public static final String PAYMENT_VERIFICATION_IN_PROGRESS = "PAYMENT_VERIFICATION_IN_PROGRESS";

  private ModificationRules() {}

  /** Whether an order in this state can still be changed: before shipment, not cancelled. */
  public static boolean isModifiable(OrderState state) {
    return state == OrderState.AWAITING_PAYMENT || state == OrderState.PAYMENT_PROCESSING || state == OrderState.AWAITING_SHIPMENT;
  }

  /** Refuses an order that has shipped or is cancelled. */
  public static void requireModifiable(Order order) {
    if (isModifiable(order.state())) {
      return;
    }
    boolean cancelled = order.state() == OrderState.CANCELLED;
    throw new StateConflictException(
        cancelled ? ORDER_ALREADY_CANCELLED : ORDER_ALREADY_SHIPPED,
        cancelled
            ? "the order is cancelled and can no longer be changed"
            : "the order has shipped and can no longer be changed; contact the seller, or return it after delivery",
        Map.of("orderId", order.id().toString(), "orderState", order.state().name()),
        "orders/" + order.id(),
        "ORDER_STATE",
        null);
  }

  /**
   * The order as {@code change} would leave it, if the rules allow it now: the line exists, something
   * changes, and the total changes only as the order's state allows.
   */
  public static Order apply(Order order, Change change, Instant now, Duration paymentRetryDelay) {
    requireModifiable(order);
    Order modified = change.applyTo(order, now);
    if (modified.lineItems().equals(order.lineItems()) && modified.shippingAddress().equals(order.shippingAddress())) {
      throw new StateConflictException(
          MODIFICATION_CHANGES_NOTHING,
          "the order already has this " + describe(change),
          Map.of("orderId", order.id().toString(), "changeKind", change.kind().name()),
          "orders/" + order.id(),
          "ORDER_CONTENT",
          null);
    }
    int direction = Long.compare(modified.total().amountMinor(), order.total().amountMinor());
    if (direction != 0 && order.state() == OrderState.PAYMENT_PROCESSING) {
      throw new StateConflictException(
          PAYMENT_VERIFICATION_IN_PROGRESS,
          "the payment of the current total is being verified; a change of the total can be made after it settles",
          totals(order, modified),
          "orders/" + order.id(),
          "ORDER_STATE",
          paymentRetryDelay);
    }
    if (direction > 0 && order.state() == OrderState.AWAITING_SHIPMENT) {
      throw new StateConflictException(
          MODIFICATION_RAISES_PAID_TOTAL,
          "the order is paid: a change may lower its total or keep it, not raise it from " + order.total() + " to "
              + modified.total(),
          totals(order, modified),
          "orders/" + order.id(),
          "ORDER_TOTAL",
          null);
    }
    return modified;
  }

  /** The refusal while a cancellation request waits for the seller. */
  public static StateConflictException openCancellationRequest(Order order, UUID cancellationRequestId, Instant respondBy) {
    return new StateConflictException(
        OPEN_CANCELLATION_REQUEST,
        "a cancellation request waits for the seller; it must be answered or withdrawn before a modification is proposed",
        Map.of(
            "orderId", order.id().toString(),
            "orderState", order.state().name(),
            "cancellationRequestId", cancellationRequestId.toString(),
            "respondBy", respondBy.toString()),
        "orders/" + order.id(),
        "ORDER_STATE",
        null);
  }

  /** The refusal of what must wait for the open modification ({@code action}: "propose another", "ship", ...). */
  public static StateConflictException openModificationRequest(UUID orderId, OrderState state, OpenModification open, String action) {
    return new StateConflictException(
        OPEN_MODIFICATION_REQUEST,
        "a modification of the order waits for an answer; accept, decline or withdraw it before you " + action,
        Map.of(
            "orderId", orderId.toString(),
            "orderState", state.name(),
            "modificationId", open.id().toString(),
            "respondBy", open.respondBy().toString()),
        "orders/" + orderId,
        "ORDER_STATE",
        null);
  }

  private static Map<String, String> totals(Order order, Order modified) {
    Map<String, String> metadata = new HashMap<>();
    metadata.put("orderId", order.id().toString());
    metadata.put("orderState", order.state().name());
    metadata.put("currencyCode", order.currencyCode());
    metadata.put("currentTotal", Long.toString(order.total().amountMinor()));
    metadata.put("proposedTotal", Long.toString(modified.total().amountMinor()));
    return metadata;
  }

  private static String describe(Change change) {
    return switch (change.kind()) {
      case QUANTITY -> "quantity on that line";
      case VARIANT -> "variant on that line";
      case SHIPPING_ADDRESS -> "shipping address";
    };
  }
}
