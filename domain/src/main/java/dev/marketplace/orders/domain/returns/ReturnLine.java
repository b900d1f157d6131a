package dev.marketplace.orders.domain.returns;

/**
 * Units of one line of the order a return takes back.
 *
 * @param lineIndex the line's position in the order, from 0
 * @param quantity how many of its units, from 1
 */
public record ReturnLine(int lineIndex, int quantity) {

  public ReturnLine {
    if (lineIndex < 0) {
      throw new IllegalArgumentException("line index out of range: " + lineIndex);
    }
    if (quantity < 1) {
      throw new IllegalArgumentException("quantity out of range: " + quantity);
    }
  }
}
