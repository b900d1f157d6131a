package dev.marketplace.orders.domain.modification;

import dev.marketplace.orders.domain.error.InvalidRequestException;
import dev.marketplace.orders.domain.order.LineItem;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.ShippingAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a modification changes: one line's quantity, one line's variant attributes, or the shipping
 * address. Lines are named by their position in the order ({@code lineIndex}, from 0); an order's
 * lines are never added or removed, so a position stays valid. The values are validated at the API
 * edge with the rules of order creation; whether the line exists is checked against the order.
 */
public sealed interface Change {

  /** The kind, as stored. */
  enum Kind {
    QUANTITY,
    VARIANT,
    SHIPPING_ADDRESS
  }

  Kind kind();

  /** The order as it would be after this change, at the next version; the order itself decides nothing else. */
  default Order applyTo(Order order, Instant now) {
    return order.modify(lines(order), address(order), now);
  }

  /** The order's lines after the change. */
  List<LineItem> lines(Order order);

  /** The order's address after the change. */
  ShippingAddress address(Order order);

  /** A line's quantity, from 1 to {@link LineItem#MAX_QUANTITY} (the most order creation accepts). */
  record Quantity(int lineIndex, int quantity) implements Change {
    public Quantity {
      if (quantity < 1 || quantity > LineItem.MAX_QUANTITY) {
        throw new IllegalArgumentException("quantity out of range: " + quantity);
      }
    }

    @Override
    public Kind kind() {
      return Kind.QUANTITY;
    }

    @Override
    public List<LineItem> lines(Order order) {
      LineItem line = line(order, lineIndex, "quantity_change.line_index");
      int givenBack = line.cancelledQuantity() + line.returnedQuantity();
      if (quantity < givenBack) {
        // A line never gives back more units than it has: the units already cancelled or returned stay counted.
        throw InvalidRequestException.of(
            "quantity_change.quantity",
            "line " + lineIndex + " has " + line.cancelledQuantity() + " units cancelled and " + line.returnedQuantity()
                + " returned; its quantity cannot go below " + givenBack + ", got " + quantity);
      }
      return replaced(order, lineIndex, line.withQuantity(quantity));
    }

    @Override
    public ShippingAddress address(Order order) {
      return order.shippingAddress();
    }
  }

  /** A line's variant attributes (colour, size, ...), replaced as a whole. */
  record Variant(int lineIndex, Map<String, String> attributes) implements Change {
    public Variant {
      attributes = Map.copyOf(attributes);
    }

    @Override
    public Kind kind() {
      return Kind.VARIANT;
    }

    @Override
    public List<LineItem> lines(Order order) {
      LineItem line = line(order, lineIndex, "variant_change.line_index");
      return replaced(order, lineIndex, line.withVariant(attributes));
    }

    @Override
    public ShippingAddress address(Order order) {
      return order.shippingAddress();
    }
  }

  /** Where the order goes. */
  record Address(ShippingAddress address) implements Change {
    public Address {
      Objects.requireNonNull(address, "address");
    }

    @Override
    public Kind kind() {
      return Kind.SHIPPING_ADDRESS;
    }

    @Override
    public List<LineItem> lines(Order order) {
      return order.lineItems();
    }

    @Override
    public ShippingAddress address(Order order) {
      return address;
    }
  }

  private static LineItem line(Order order, int lineIndex, String field) {
    if (lineIndex < 0 || lineIndex >= order.lineItems().size()) {
      throw InvalidRequestException.of(
          field, "the order has lines 0 to " + (order.lineItems().size() - 1) + ", got " + lineIndex);
    }
    return order.lineItems().get(lineIndex);
  }

  private static List<LineItem> replaced(Order order, int lineIndex, LineItem line) {
    List<LineItem> lines = new ArrayList<>(order.lineItems());
    lines.set(lineIndex, line);
    return lines;
  }
}
