package dev.marketplace.orders.server.api;

import dev.marketplace.orders.domain.modification.Change;
import dev.marketplace.orders.domain.modification.ModificationState;
import dev.marketplace.orders.domain.order.LineItem;
import dev.marketplace.orders.domain.order.NewOrder;
import dev.marketplace.orders.domain.order.ShippingAddress;
import dev.marketplace.orders.v1.Modification;
import dev.marketplace.orders.v1.ProposeModificationRequest;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the requests of {@code orders.v1.ModificationService} and turns them into domain commands:
 * a change's values by the rules of order creation (quantity, variant attributes, address). Whether
 * the named line exists is the order's to say (the domain checks it).
 */
final class ModificationServiceRequests {

  private ModificationServiceRequests() {}

  static Change change(RequestChecks checks, ProposeModificationRequest request) {
    return switch (request.getChangeCase()) {
      case QUANTITY_CHANGE -> {
        Modification.QuantityChange change = request.getQuantityChange();
        lineIndex(checks, "quantity_change.line_index", change.getLineIndex());
        if (change.getQuantity() < 1 || change.getQuantity() > LineItem.MAX_QUANTITY) {
          checks.add(
              "quantity_change.quantity", "must be between 1 and " + LineItem.MAX_QUANTITY + ", got " + change.getQuantity());
        }
        yield checks.ok() ? new Change.Quantity(change.getLineIndex(), change.getQuantity()) : null;
      }
      case VARIANT_CHANGE -> {
        Modification.VariantChange change = request.getVariantChange();
        lineIndex(checks, "variant_change.line_index", change.getLineIndex());
        if (change.getVariantAttributesCount() == 0) {
          checks.add("variant_change.variant_attributes", "required: the line's new variant, at least one entry");
        }
        Map<String, String> attributes =
            OrderServiceRequests.variantAttributes(checks, "variant_change.variant_attributes", change.getVariantAttributesMap());
        yield checks.ok() ? new Change.Variant(change.getLineIndex(), attributes) : null;
      }
      case SHIPPING_ADDRESS_CHANGE -> {
        ShippingAddress address =
            OrderServiceRequests.shippingAddress(checks, "shipping_address_change", request.getShippingAddressChange());
        yield checks.ok() ? new Change.Address(address) : null;
      }
      case CHANGE_NOT_SET -> {
        checks.add("change", "required: one of quantity_change, variant_change, shipping_address_change");
        yield null;
      }
    };
  }

  static Set<ModificationState> states(RequestChecks checks, List<Modification.State> states) {
    Set<ModificationState> result = EnumSet.noneOf(ModificationState.class);
    for (int i = 0; i < states.size(); i++) {
      Modification.State state = states.get(i);
      if (state == Modification.State.STATE_UNSPECIFIED || state == Modification.State.UNRECOGNIZED) {
        checks.add("states[" + i + "]", "not a modification state");
      } else {
        result.add(ModificationState.valueOf(state.name()));
      }
    }
    return result;
  }

  private static void lineIndex(RequestChecks checks, String field, int lineIndex) {
    if (lineIndex < 0 || lineIndex >= NewOrder.MAX_LINE_ITEMS) {
      checks.add(field, "must be a line's position in the order, from 0, got " + lineIndex);
    }
  }
}
