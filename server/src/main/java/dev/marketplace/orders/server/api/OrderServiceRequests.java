package dev.marketplace.orders.server.api;

import dev.marketplace.orders.domain.order.LineItem;
import dev.marketplace.orders.domain.order.NewOrder;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.order.PaymentCapture;
import dev.marketplace.orders.domain.order.PaymentReport;
import dev.marketplace.orders.domain.order.Shipment;
import dev.marketplace.orders.domain.order.ShippingAddress;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.payment.PaymentMethod;
import dev.marketplace.orders.v1.CreateOrderRequest;
import dev.marketplace.orders.v1.RecordPaymentRequest;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Checks the requests of {@code orders.v1.OrderService} and turns them into domain commands. Every
 * invalid field is reported with its proto path; nothing unchecked reaches the domain.
 */
final class OrderServiceRequests {

  private static final Set<String> REGION_CODES = Set.of(Locale.getISOCountries());

  private OrderServiceRequests() {}

  static NewOrder newOrder(RequestChecks checks, CreateOrderRequest request) {
    if (!request.hasOrder()) {
      checks.add("order", "required");
      return null;
    }
    dev.marketplace.orders.v1.Order order = request.getOrder();
    String buyer = checks.partyId("order.buyer_id", order.getBuyerId());
    String seller = checks.partyId("order.seller_id", order.getSellerId());
    List<LineItem> lines = lineItems(checks, order.getLineItemsList());
    ShippingAddress address = shippingAddress(checks, order);
    PaymentMethod method = ProtoValues.fromProto(order.getPaymentMethod());
    if (method == null) {
      checks.add("order.payment_method", "required: one of CARD, PAYPAL, ALIPAY, BANK_TRANSFER, WALLET");
    }
    return checks.ok() ? new NewOrder(buyer, seller, lines, address, method) : null;
  }

  static PaymentReport paymentReport(RequestChecks checks, RecordPaymentRequest request) {
    UUID orderId = checks.uuid("order_id", request.getOrderId());
    PaymentReport.Outcome outcome =
        switch (request.getOutcome()) {
          case PROCESSING -> PaymentReport.Outcome.PROCESSING;
          case CAPTURED -> PaymentReport.Outcome.CAPTURED;
          case FAILED -> PaymentReport.Outcome.FAILED;
          case OUTCOME_UNSPECIFIED, UNRECOGNIZED -> {
            checks.add("outcome", "required: one of PROCESSING, CAPTURED, FAILED");
            yield null;
          }
        };
    String reference =
        checks.optional("payment_reference", request.getPaymentReference(), PaymentCapture.MAX_REFERENCE_LENGTH);
    // Only a capture carries an amount; another outcome's is not read.
    Money amount =
        outcome == PaymentReport.Outcome.CAPTURED && request.hasAmount()
            ? money(checks, "amount", request.getAmount(), Long.MAX_VALUE)
            : null;
    checks.addRules(PaymentReport.problems(outcome, reference, amount));
    String failureReason =
        checks.optional("failure_reason", request.getFailureReason(), PaymentReport.MAX_FAILURE_REASON_LENGTH);
    return checks.ok() ? new PaymentReport(orderId, outcome, reference, amount, failureReason) : null;
  }

  static String carrier(RequestChecks checks, String value) {
    return checks.required("carrier", value, Shipment.MAX_CARRIER_LENGTH);
  }

  static String trackingNumber(RequestChecks checks, String value) {
    return checks.required("tracking_number", value, Shipment.MAX_TRACKING_NUMBER_LENGTH);
  }

  static Set<OrderState> states(RequestChecks checks, List<dev.marketplace.orders.v1.Order.State> states) {
    Set<OrderState> result = EnumSet.noneOf(OrderState.class);
    for (int i = 0; i < states.size(); i++) {
      OrderState state = ProtoValues.fromProto(states.get(i));
      if (state == null) {
        checks.add("states[" + i + "]", "not an order state");
      } else {
        result.add(state);
      }
    }
    return result;
  }

  private static List<LineItem> lineItems(
      RequestChecks checks, List<dev.marketplace.orders.v1.LineItem> protoLines) {
    if (protoLines.isEmpty() || protoLines.size() > NewOrder.MAX_LINE_ITEMS) {
      checks.add("order.line_items", "an order has 1 to " + NewOrder.MAX_LINE_ITEMS + " lines");
      return List.of();
    }
    String currency = protoLines.get(0).getUnitPrice().getCurrencyCode();
    List<LineItem> lines = new ArrayList<>();
    for (int i = 0; i < protoLines.size(); i++) {
      dev.marketplace.orders.v1.LineItem line = protoLines.get(i);
      String path = "order.line_items[" + i + "]";
      String sku = checks.required(path + ".sku", line.getSku(), LineItem.MAX_SKU_LENGTH);
      String title = checks.required(path + ".title", line.getTitle(), LineItem.MAX_TITLE_LENGTH);
      Map<String, String> variant = variantAttributes(checks, path + ".variant_attributes", line.getVariantAttributesMap());
      if (line.getQuantity() < 1 || line.getQuantity() > LineItem.MAX_QUANTITY) {
        checks.add(path + ".quantity", "must be between 1 and " + LineItem.MAX_QUANTITY + ", got " + line.getQuantity());
      }
      Money price = null;
      if (!line.hasUnitPrice()) {
        checks.add(path + ".unit_price", "required");
      } else {
        price = money(checks, path + ".unit_price", line.getUnitPrice(), LineItem.MAX_UNIT_PRICE_MINOR);
        if (i > 0 && !line.getUnitPrice().getCurrencyCode().equals(currency)) {
          checks.add(
              path + ".unit_price.currency_code",
              "currency mismatch: every line must be in the currency of the first line, " + RequestChecks.quote(currency));
        }
      }
      if (checks.ok()) {
        lines.add(new LineItem(sku, title, variant, line.getQuantity(), price));
      }
    }
    return lines;
  }

  /** A line's variant attributes at {@code path}: at most 10 entries, keys and values bounded (as in CreateOrder). */
  static Map<String, String> variantAttributes(RequestChecks checks, String path, Map<String, String> variant) {
    if (variant.size() > LineItem.MAX_VARIANT_ATTRIBUTES) {
      checks.add(path, "at most " + LineItem.MAX_VARIANT_ATTRIBUTES + " entries");
    }
    variant.forEach(
        (key, value) -> {
          String entry = path + "[" + RequestChecks.pathKey(key, LineItem.MAX_VARIANT_KEY_LENGTH) + "]";
          checks.required(entry, key, LineItem.MAX_VARIANT_KEY_LENGTH);
          checks.optional(entry, value, LineItem.MAX_VARIANT_VALUE_LENGTH);
        });
    return variant;
  }

  private static ShippingAddress shippingAddress(RequestChecks checks, dev.marketplace.orders.v1.Order order) {
    if (!order.hasShippingAddress()) {
      checks.add("order.shipping_address", "required");
      return null;
    }
    return shippingAddress(checks, "order.shipping_address", order.getShippingAddress());
  }

  /** A shipping address at {@code path}, checked as CreateOrder checks the order's. */
  static ShippingAddress shippingAddress(RequestChecks checks, String path, dev.marketplace.orders.v1.ShippingAddress a) {
    String name = checks.required(path + ".recipient_name", a.getRecipientName(), ShippingAddress.MAX_NAME_LENGTH);
    List<String> lines = new ArrayList<>();
    if (a.getAddressLinesCount() < 1 || a.getAddressLinesCount() > ShippingAddress.MAX_ADDRESS_LINES) {
      checks.add(path + ".address_lines", "1 to " + ShippingAddress.MAX_ADDRESS_LINES + " lines");
    }
    for (int i = 0; i < a.getAddressLinesCount(); i++) {
      lines.add(
          checks.required(path + ".address_lines[" + i + "]", a.getAddressLines(i), ShippingAddress.MAX_ADDRESS_LINE_LENGTH));
    }
    String locality = checks.required(path + ".locality", a.getLocality(), ShippingAddress.MAX_LOCALITY_LENGTH);
    String area =
        checks.optional(path + ".administrative_area", a.getAdministrativeArea(), ShippingAddress.MAX_ADMINISTRATIVE_AREA_LENGTH);
    String postalCode = checks.optional(path + ".postal_code", a.getPostalCode(), ShippingAddress.MAX_POSTAL_CODE_LENGTH);
    String region = a.getRegionCode();
    if (!REGION_CODES.contains(region)) {
      checks.add(path + ".region_code", "required: an ISO 3166-1 alpha-2 code such as DE, got " + RequestChecks.quote(region));
    }
    String phone = checks.optional(path + ".phone_number", a.getPhoneNumber(), ShippingAddress.MAX_PHONE_NUMBER_LENGTH);
    return new ShippingAddress(name, lines, locality, area, postalCode, region, phone);
  }

  private static Money money(RequestChecks checks, String path, dev.marketplace.orders.v1.Money money, long max) {
    boolean valid = true;
    if (!isCurrency(money.getCurrencyCode())) {
      checks.add(path + ".currency_code", "required: an ISO 4217 code such as USD, got " + RequestChecks.quote(money.getCurrencyCode()));
      valid = false;
    }
    if (money.getAmountMinor() < 0 || money.getAmountMinor() > max) {
      checks.add(path + ".amount_minor", "must be between 0 and " + max + ", got " + money.getAmountMinor());
      valid = false;
    }
    return valid ? new Money(money.getCurrencyCode(), money.getAmountMinor()) : null;
  }

  private static boolean isCurrency(String code) {
    if (!Money.isCurrencyCode(code)) {
      return false;
    }
    try {
      Currency.getInstance(code);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
