package dev.marketplace.orders.domain.refund;

import dev.marketplace.orders.domain.payment.PaymentMethod;
import java.util.EnumMap;
import java.util.Map;

/**
 * Expected refund arrival per payment method, in business days. The marketplace's published
 * figure is 3 to 20 business days whatever the method; operators may set tighter windows per method.
 */
public record RefundWindowPolicy(RefundWindow fallback, Map<PaymentMethod, RefundWindow> perMethod) {

  public static final RefundWindow MARKETPLACE_DEFAULT = new RefundWindow(3, 20);

  public RefundWindowPolicy {
    perMethod = perMethod.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(perMethod));
  }

  public static RefundWindowPolicy defaults() {
    return new RefundWindowPolicy(MARKETPLACE_DEFAULT, Map.of());
  }

  /**
   * Parses "CARD=3-7,PAYPAL=1-3,*=3-20" ("*" is every other method). Empty text gives the defaults.
   */
  public static RefundWindowPolicy parse(String text) {
    RefundWindow fallback = MARKETPLACE_DEFAULT;
    Map<PaymentMethod, RefundWindow> perMethod = new EnumMap<>(PaymentMethod.class);
    for (String entry : text.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      String[] pair = entry.split("=");
      if (pair.length != 2) {
        throw new IllegalArgumentException("refund windows are written METHOD=MIN-MAX, e.g. CARD=3-7: " + entry);
      }
      RefundWindow window = RefundWindow.parse(pair[1]);
      String method = pair[0].trim();
      if (method.equals("*")) {
        fallback = window;
      } else {
        try {
          perMethod.put(PaymentMethod.valueOf(method), window);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("unknown payment method in refund windows: " + method, e);
        }
      }
    }
    return new RefundWindowPolicy(fallback, perMethod);
  }

  public RefundWindow windowFor(PaymentMethod method) {
    return perMethod.getOrDefault(method, fallback);
  }
}
