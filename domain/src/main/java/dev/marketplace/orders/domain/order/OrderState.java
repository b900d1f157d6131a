package dev.marketplace.orders.domain.order;

import java.util.EnumSet;
import java.util.Set;

/**
 * The order lifecycle (SPEC §3). The allowed transitions are listed here and nowhere else:
 *
 * <pre>
 * AWAITING_PAYMENT   -> PAYMENT_PROCESSING | AWAITING_SHIPMENT (capture without verification) | CANCELLED
 * PAYMENT_PROCESSING -> AWAITING_SHIPMENT | AWAITING_PAYMENT (payment failed)
 * AWAITING_SHIPMENT  -> SHIPPED | CANCELLED
 * SHIPPED            -> DELIVERED
 * DELIVERED, CANCELLED: none
 * </pre>
 */
public enum OrderState {
  AWAITING_PAYMENT,
  PAYMENT_PROCESSING,
  AWAITING_SHIPMENT,
  SHIPPED,
  DELIVERED,
  CANCELLED;

  public Set<OrderState> successors() {
    return switch (this) {
      case AWAITING_PAYMENT -> EnumSet.of(PAYMENT_PROCESSING, AWAITING_SHIPMENT, CANCELLED);
      case PAYMENT_PROCESSING -> EnumSet.of(AWAITING_SHIPMENT, AWAITING_PAYMENT);
      case AWAITING_SHIPMENT -> EnumSet.of(SHIPPED, CANCELLED);
      case SHIPPED -> EnumSet.of(DELIVERED);
      case DELIVERED, CANCELLED -> EnumSet.noneOf(OrderState.class);
    };
  }

  public boolean canBecome(OrderState next) {
    return successors().contains(next);
  }

  public boolean isTerminal() {
    return successors().isEmpty();
  }
}
