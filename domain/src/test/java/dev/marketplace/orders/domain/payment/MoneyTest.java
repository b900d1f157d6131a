package dev.marketplace.orders.domain.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketplace.orders.domain.order.LineItem;
import dev.marketplace.orders.domain.order.NewOrder;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.testing.SampleOrders;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

  @Test
  void plus_addsMinorUnitsOfTheSameCurrency() {
    assertThat(new Money("EUR", 1999).plus(new Money("EUR", 1))).isEqualTo(new Money("EUR", 2000));
  }

  @Test
  void times_multipliesMinorUnits() {
    assertThat(new Money("JPY", 1250).times(3)).isEqualTo(new Money("JPY", 3750));
  }

  @Test
  void plusBeyondLongRange_throwsArithmeticExceptionInsteadOfWrapping() {
    Money max = new Money("USD", Long.MAX_VALUE);

    assertThatThrownBy(() -> max.plus(new Money("USD", 1))).isInstanceOf(ArithmeticException.class);
  }

  @Test
  void timesBeyondLongRange_throwsArithmeticExceptionInsteadOfWrapping() {
    Money big = new Money("USD", Long.MAX_VALUE / 2 + 1);

    assertThatThrownBy(() -> big.times(2)).isInstanceOf(ArithmeticException.class);
  }

  @Test
  void addingAnotherCurrency_isRefusedNamingBoth() {
    assertThatThrownBy(() -> new Money("USD", 100).plus(new Money("EUR", 100)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("USD")
        .hasMessageContaining("EUR");
  }

  @Test
  void negativeAmount_isRefused() {
    assertThatThrownBy(() -> new Money("USD", -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void timesANegativeQuantity_isRefusedBecauseMoneyIsNeverNegative() {
    assertThatThrownBy(() -> new Money("USD", 5).times(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"usd", "US", "USDT", "U$D", ""})
  void malformedCurrencyCode_isRefused(String code) {
    assertThatThrownBy(() -> new Money(code, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(Money.isCurrencyCode(code)).isFalse();
  }

  @Test
  void zero_isZeroOfThatCurrency() {
    assertThat(Money.zero("GBP")).isEqualTo(new Money("GBP", 0));
  }

  @Test
  void orderTotal_isTheSumOfQuantityTimesUnitPriceOverAllLines() {
    Order order =
        order(
            new LineItem("A", "Case", Map.of(), 2, new Money("USD", 499)),
            new LineItem("B", "Cable", Map.of(), 1, new Money("USD", 1500)),
            new LineItem("C", "Sticker", Map.of(), 3, new Money("USD", 25)));

    assertThat(order.total()).isEqualTo(new Money("USD", 2 * 499 + 1500 + 3 * 25));
    assertThat(order.currencyCode()).isEqualTo("USD");
  }

  @Test
  void sampleOrderTotal_matchesItsDocumentedAmount() {
    Order order = Order.place(UUID.randomUUID(), SampleOrders.newOrder("b", "s"), Instant.EPOCH);

    assertThat(order.total()).isEqualTo(new Money("USD", 2498));
  }

  @Test
  void largestAllowedOrder_totalDoesNotOverflow() {
    LineItem biggest =
        new LineItem("SKU", "Gold", Map.of(), LineItem.MAX_QUANTITY, new Money("USD", LineItem.MAX_UNIT_PRICE_MINOR));
    List<LineItem> lines = new ArrayList<>(Collections.nCopies(NewOrder.MAX_LINE_ITEMS, biggest));

    Order order = order(lines.toArray(LineItem[]::new));

    assertThat(order.total().amountMinor())
        .isEqualTo(NewOrder.MAX_LINE_ITEMS * LineItem.MAX_QUANTITY * LineItem.MAX_UNIT_PRICE_MINOR);
  }

  @Test
  void orderWithLinesInTwoCurrencies_isRefused() {
    assertThatThrownBy(
            () ->
                new NewOrder(
                    "b",
                    "s",
                    List.of(
                        new LineItem("A", "a", Map.of(), 1, new Money("USD", 1)),
                        new LineItem("B", "b", Map.of(), 1, new Money("EUR", 1))),
                    SampleOrders.address(),
                    PaymentMethod.CARD))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Order order(LineItem... lines) {
    return Order.place(
        UUID.randomUUID(),
        new NewOrder("b", "s", List.of(lines), SampleOrders.address(), PaymentMethod.PAYPAL),
        Instant.EPOCH);
  }
}
