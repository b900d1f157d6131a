package dev.marketplace.orders.domain.order;

/**
 * Some units of one line of an order: the line by its position ({@code lineIndex}, from 0, as
 * modifications name lines; an order's lines are never added or removed) and how many units.
 */
public record LineQuantity(int lineIndex, int quantity) {

  public LineQuantity {
    if (lineIndex < 0) {
      throw new IllegalArgumentException("line index out of range: " + lineIndex);
    }
    if (quantity < 1 || quantity > LineItem.MAX_QUANTITY) {
      throw new IllegalArgumentException("quantity out of range: " + quantity);
    }
  }
}
