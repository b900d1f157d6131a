package dev.marketplace.orders.domain.refund;

/** How many business days a refund takes to arrive: from {@code minDays} to {@code maxDays}. */
public record RefundWindow(int minDays, int maxDays) {

  public RefundWindow {
    if (minDays < 0 || maxDays < minDays) {
      throw new IllegalArgumentException("a refund window runs from 0 <= min <= max business days: " + minDays + "-" + maxDays);
    }
  }

  /** Parses "3-20". */
  public static RefundWindow parse(String text) {
    String[] parts = text.trim().split("-");
    if (parts.length != 2) {
      throw new IllegalArgumentException("a refund window is written MIN-MAX business days, e.g. 3-20: " + text);
    }
    try {
      return new RefundWindow(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a refund window is written MIN-MAX business days, e.g. 3-20: " + text, e);
    }
  }

  @Override
  public String toString() {
    return minDays + "-" + maxDays;
  }
}
