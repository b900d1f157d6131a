package dev.marketplace.orders.domain.order;

import dev.marketplace.orders.domain.error.FieldViolation;
import java.util.List;

/** Why a buyer cancels: the marketplace's list, in display order. {@link #OTHER} needs an explanation. */
public enum CancellationReason {
  ORDERED_BY_ACCIDENT("Accidentally placed the order"),
  BETTER_PRICE_ELSEWHERE("Found the same item elsewhere for a better price"),
  WRONG_ITEM_OR_SIZE("Ordered the wrong item or size"),
  CHANGE_DELIVERY_ADDRESS("Need to change the delivery address"),
  SELLER_POOR_REVIEWS_OR_SLOW_SHIPPING("Seller has poor reviews or long shipping times"),
  OTHER("Other (please explain)");

  private final String displayLabel;

  CancellationReason(String displayLabel) {
    this.displayLabel = displayLabel;
  }

  public String displayLabel() {
    return displayLabel;
  }

  public boolean explanationRequired() {
    return this == OTHER;
  }

  /** What a cancel for this reason lacks, under the field's name in the API: an explanation, for {@link #OTHER}. */
  public List<FieldViolation> problems(String explanation) {
    return explanationRequired() && explanation.isBlank()
        ? List.of(new FieldViolation("explanation", "required when the reason is " + this))
        : List.of();
  }
}
