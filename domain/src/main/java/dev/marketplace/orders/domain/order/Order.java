package dev.marketplace.orders.domain.order;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.payment.PaymentMethod;
import dev.marketplace.orders.domain.refund.Refund;
import dev.marketplace.orders.domain.refund.RefundKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The order aggregate: an immutable value. Every transition returns the next version of the order or
 * throws {@link StateConflictException} (reason {@code INVALID_STATE_TRANSITION}, with the current
 * state) when the lifecycle in {@link OrderState} does not allow it. Persisting is someone else's job.
 */
public record Order(
    UUID id,
    String buyerId,
    String sellerId,
    List<LineItem> lineItems,
    ShippingAddress shippingAddress,
    PaymentMethod paymentMethod,
    OrderState state,
    PaymentCapture payment,
    Shipment shipment,
    Instant createdAt,
    Instant updatedAt,
    int version,
    OrderCancellation cancellation,
    List<Refund> refunds) {

  public static final String INVALID_STATE_TRANSITION = "INVALID_STATE_TRANSITION";

  /** An order that has not been cancelled. */
  public Order(
      UUID id,
      String buyerId,
      String sellerId,
      List<LineItem> lineItems,
      ShippingAddress shippingAddress,
      PaymentMethod paymentMethod,
      OrderState state,
      PaymentCapture payment,
      Shipment shipment,
      Instant createdAt,
      Instant updatedAt,
      int version) {
    this(id, buyerId, sellerId, lineItems, shippingAddress, paymentMethod, state, payment, shipment, createdAt, updatedAt, version, null, List.of());
  }

  public Order {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(buyerId, "buyerId");
    Objects.requireNonNull(sellerId, "sellerId");
    lineItems = List.copyOf(lineItems);
    Objects.requireNonNull(shippingAddress, "shippingAddress");
    Objects.requireNonNull(paymentMethod, "paymentMethod");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if ((state == OrderState.CANCELLED) != (cancellation != null)) {
      throw new IllegalArgumentException("a cancelled order, and only a cancelled order, records its cancellation");
    }
    refunds = List.copyOf(refunds);
    if (!refunds.isEmpty() && payment == null) {
      throw new IllegalArgumentException("only a paid order has refunds");
    }
  }

  /** A new order awaiting payment, at version 1. */
  public static Order place(UUID id, NewOrder request, Instant now) {
    return new Order(
        id,
        request.buyerId(),
        request.sellerId(),
        request.lineItems(),
        request.shippingAddress(),
        request.paymentMethod(),
        OrderState.AWAITING_PAYMENT,
        null,
        null,
        now,
        now,
        1);
  }

  public Money total() {
    Money total = Money.zero(currencyCode());
    for (LineItem line : lineItems) {
      total = total.plus(line.subtotal());
    }
    return total;
  }

  public String currencyCode() {
    return lineItems.get(0).unitPrice().currencyCode();
  }

  public Optional<PaymentCapture> paymentCapture() {
    return Optional.ofNullable(payment);
  }

  public Optional<Shipment> shipmentInfo() {
    return Optional.ofNullable(shipment);
  }

  public Optional<OrderCancellation> cancellationInfo() {
    return Optional.ofNullable(cancellation);
  }

  /** The refund of the cancellation, if the order was cancelled after payment. */
  public Optional<Refund> refundInfo() {
    return refunds.stream().filter(r -> r.kind() == RefundKind.CANCELLATION).findFirst();
  }

  /** What its refunds have returned (or are returning) together: nothing for an order without any. */
  public Money refunded() {
    Money refunded = Money.zero(currencyCode());
    for (Refund refund : refunds) {
      refunded = refunded.plus(refund.amount());
    }
    return refunded;
  }

  /** What may still be refunded: what was captured minus what has been refunded; nothing if unpaid. */
  public Money refundable() {
    return payment == null ? Money.zero(currencyCode()) : payment.amount().minus(refunded());
  }

  /** Whether {@code caller} may see this order: its buyer, its seller, support, services and the platform. */
  public boolean isVisibleTo(Principal caller) {
    return caller.canSeeDealBetween(buyerId, sellerId);
  }

  /** The same order showing these refunds, as stored (refunds are stored and change state on their own). */
  public Order withRefunds(List<Refund> stored) {
    return new Order(
        id, buyerId, sellerId, lineItems, shippingAddress, paymentMethod, state, payment, shipment, createdAt, updatedAt, version,
        cancellation, stored);
  }

  /**
   * The same order with one more refund. The money invariant: an order's refunds together never
   * exceed what was captured; a refund beyond {@link #refundable()} is refused with
   * {@code REFUND_EXCEEDS_REFUNDABLE}.
   */
  public Order withRefundIssued(Refund refund) {
    if (!refund.orderId().equals(id)) {
      throw new IllegalArgumentException("refund " + refund.id() + " is not for order " + id);
    }
    Money refundable = refundable();
    if (refund.amount().isMoreThan(refundable)) {
      throw new StateConflictException(
          "REFUND_EXCEEDS_REFUNDABLE",
          "order " + id + " can refund at most " + refundable.amountMinor() + " more (minor units of " + refundable.currencyCode()
              + "), not " + refund.amount().amountMinor(),
          Map.of(
              "orderId", id.toString(),
              "refundableMinor", Long.toString(refundable.amountMinor()),
              "requestedMinor", Long.toString(refund.amount().amountMinor()),
              "currencyCode", refundable.currencyCode()),
          "orders/" + id,
          "REFUNDABLE_BALANCE",
          null);
    }
    List<Refund> more = new ArrayList<>(refunds);
    more.add(refund);
    return withRefunds(more);
  }

  /**
   * The same order with other lines (same count, same currency) or another address, at the next
   * version: an accepted modification. Whether the state and the new total allow it is the caller's rule.
   */
  public Order modify(List<LineItem> newLines, ShippingAddress newAddress, Instant now) {
    if (newLines.size() != lineItems.size()) {
      throw new IllegalArgumentException("a modification keeps the order's lines: " + lineItems.size() + ", got " + newLines.size());
    }
    if (newLines.stream().anyMatch(l -> !l.unitPrice().currencyCode().equals(currencyCode()))) {
      throw new IllegalArgumentException("a modification keeps the order's currency");
    }
    return new Order(
        id, buyerId, sellerId, newLines, newAddress, paymentMethod, state, payment, shipment, createdAt, now, version + 1,
        cancellation, refunds);
  }

  /**
   * Some units cancelled, the order going on with the rest (a partial cancellation), at the next
   * version: each named line counts {@code quantity} more cancelled units, so the total drops by their
   * price. That the lines exist and have the units is the caller's rule ({@code PartialCancellation});
   * a line never gives back more units than it has ({@link LineItem}).
   */
  public Order cancelUnits(List<LineQuantity> units, Instant now) {
    if (state != OrderState.AWAITING_PAYMENT && state != OrderState.AWAITING_SHIPMENT) {
      throw refusedTransition(state);
    }
    List<LineItem> lines = new ArrayList<>(lineItems);
    for (LineQuantity unit : units) {
      LineItem line = lines.get(unit.lineIndex());
      lines.set(
          unit.lineIndex(),
          new LineItem(
              line.sku(), line.title(), line.variantAttributes(), line.quantity(), line.unitPrice(),
              line.cancelledQuantity() + unit.quantity(), line.returnedQuantity()));
    }
    return new Order(
        id, buyerId, sellerId, lines, shippingAddress, paymentMethod, state, payment, shipment, createdAt, now, version + 1,
        cancellation, refunds);
  }

  /** Cancelled: AWAITING_PAYMENT or AWAITING_SHIPMENT -> CANCELLED. Which path may do it is the caller's rule. */
  public Order cancel(OrderCancellation how) {
    if (!state.canBecome(OrderState.CANCELLED)) {
      throw refusedTransition(OrderState.CANCELLED);
    }
    return new Order(
        id, buyerId, sellerId, lineItems, shippingAddress, paymentMethod, OrderState.CANCELLED, payment, shipment, createdAt,
        how.cancelledAt(), version + 1, how, refunds);
  }

  /** Payments started verifying: AWAITING_PAYMENT -> PAYMENT_PROCESSING. */
  public Order startPaymentVerification(Instant now) {
    return moveTo(OrderState.PAYMENT_PROCESSING, payment, shipment, now);
  }

  /** Money captured: AWAITING_PAYMENT or PAYMENT_PROCESSING -> AWAITING_SHIPMENT. */
  public Order capturePayment(String reference, Instant now) {
    return moveTo(OrderState.AWAITING_SHIPMENT, new PaymentCapture(reference, now, total()), shipment, now);
  }

  /** Payment failed: PAYMENT_PROCESSING -> AWAITING_PAYMENT (the buyer may pay again). */
  public Order failPayment(Instant now) {
    if (state != OrderState.PAYMENT_PROCESSING) {
      throw refusedTransition(OrderState.AWAITING_PAYMENT);
    }
    return moveTo(OrderState.AWAITING_PAYMENT, payment, shipment, now);
  }

  /** Handed to the carrier: AWAITING_SHIPMENT -> SHIPPED. */
  public Order ship(String carrier, String trackingNumber, Instant now) {
    return moveTo(
        OrderState.SHIPPED, payment, new Shipment(carrier, trackingNumber, now, null), now);
  }

  /** Delivery confirmed: SHIPPED -> DELIVERED. */
  public Order confirmDelivery(Instant now) {
    if (state != OrderState.SHIPPED) {
      throw refusedTransition(OrderState.DELIVERED);
    }
    return moveTo(OrderState.DELIVERED, payment, shipment.delivered(now), now);
  }

  /** The refusal for moving this order to {@code target} from its current state. */
  public StateConflictException refusedTransition(OrderState target) {
    return new StateConflictException(
        INVALID_STATE_TRANSITION,
        "order " + id + " is " + state + " and cannot become " + target,
        Map.of("orderId", id.toString(), "orderState", state.name(), "targetState", target.name()),
        "orders/" + id,
        "ORDER_STATE",
        null);
  }

  private Order moveTo(OrderState target, PaymentCapture payment, Shipment shipment, Instant now) {
    if (!state.canBecome(target)) {
      throw refusedTransition(target);
    }
    return new Order(
        id,
        buyerId,
        sellerId,
        lineItems,
        shippingAddress,
        paymentMethod,
        target,
        payment,
        shipment,
        createdAt,
        now,
        version + 1,
        null,
        refunds);
  }
}
