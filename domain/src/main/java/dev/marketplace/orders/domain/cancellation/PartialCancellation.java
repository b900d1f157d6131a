package dev.marketplace.orders.domain.cancellation;

import dev.marketplace.orders.domain.error.FieldViolation;
import dev.marketplace.orders.domain.error.InvalidRequestException;
import dev.marketplace.orders.domain.order.LineItem;
import dev.marketplace.orders.domain.order.LineQuantity;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.payment.Money;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of cancelling part of an order (SPEC §4, "partial cancellation"), pure: which units a
 * buyer may name, when naming them is a whole cancellation, and what they cost. Lines are named by
 * their position in the order, from 0, as modifications name them; a line may give up at most the
 * units it still has ({@link LineItem#remainingQuantity()}). Naming every remaining unit of every line
 * is cancelling the order: the whole cancellation's path, not a partial one.
 */
public final class PartialCancellation {

  /** Field paths of the request, so that a refusal points at the entry a caller must fix. */
  private static final String FIELD = "line_items";

  private PartialCancellation() {}

  /**
   * What is wrong with {@code units} for {@code order}: a line it does not have, more units than the
   * line still has, a line named twice. Empty when they can be cancelled.
   */
  public static List<FieldViolation> problems(Order order, List<LineQuantity> units) {
    List<FieldViolation> problems = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    int lines = order.lineItems().size();
    for (int i = 0; i < units.size(); i++) {
      LineQuantity unit = units.get(i);
      String path = FIELD + "[" + i + "]";
      if (!seen.add(unit.lineIndex())) {
        problems.add(new FieldViolation(path + ".line_index", "line " + unit.lineIndex() + " is named more than once"));
        continue;
      }
      if (unit.lineIndex() >= lines) {
        problems.add(new FieldViolation(path + ".line_index", "the order has lines 0 to " + (lines - 1) + ", got " + unit.lineIndex()));
        continue;
      }
      int remaining = order.lineItems().get(unit.lineIndex()).remainingQuantity();
      if (unit.quantity() > remaining) {
        problems.add(
            new FieldViolation(
                path + ".quantity", "line " + unit.lineIndex() + " has " + remaining + " units left to cancel, not " + unit.quantity()));
      }
    }
    return problems;
  }

  /** Refuses units that {@link #problems} finds wrong (INVALID_ARGUMENT, every entry at once). */
  public static void require(Order order, List<LineQuantity> units) {
    List<FieldViolation> problems = problems(order, units);
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
  }

  /** Whether {@code units} are every unit the order still has: cancelling them is cancelling the order. */
  public static boolean isWhole(Order order, List<LineQuantity> units) {
    Map<Integer, Integer> named = new LinkedHashMap<>();
    units.forEach(u -> named.merge(u.lineIndex(), u.quantity(), Integer::sum));
    for (int i = 0; i < order.lineItems().size(); i++) {
      if (named.getOrDefault(i, 0) != order.lineItems().get(i).remainingQuantity()) {
        return false;
      }
    }
    return true;
  }

  /** What the units cost: each line's unit price times its units. The refund of a paid partial cancellation. */
  public static Money share(Order order, List<LineQuantity> units) {
    Money share = Money.zero(order.currencyCode());
    for (LineQuantity unit : units) {
      share = share.plus(order.lineItems().get(unit.lineIndex()).unitPrice().times(unit.quantity()));
    }
    return share;
  }

  /** The units by line, in line order (as stored and shown). */
  public static List<LineQuantity> byLine(List<LineQuantity> units) {
    return units.stream().sorted(Comparator.comparingInt(LineQuantity::lineIndex)).toList();
  }

  /**
   * History details of a partial cancellation: {@code lines} ("0:1,2:2", line index and units
   * cancelled now), {@code units} (how many together), and per line {@code line.N} with the line's
   * ordered, cancelled and remaining units after it.
   */
  public static Map<String, String> details(Order after, List<LineQuantity> units) {
    Map<String, String> details = new LinkedHashMap<>();
    StringBuilder lines = new StringBuilder();
    int total = 0;
    for (LineQuantity unit : byLine(units)) {
      lines.append(lines.length() == 0 ? "" : ",").append(unit.lineIndex()).append(':').append(unit.quantity());
      total += unit.quantity();
      LineItem line = after.lineItems().get(unit.lineIndex());
      details.put(
          "line." + unit.lineIndex(),
          "ordered=" + line.quantity() + ",cancelled=" + line.cancelledQuantity() + ",remaining=" + line.remainingQuantity());
    }
    details.put("lines", lines.toString());
    details.put("units", Integer.toString(total));
    return details;
  }
}
