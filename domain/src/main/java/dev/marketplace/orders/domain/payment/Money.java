package dev.marketplace.orders.domain.payment;

import java.util.Objects;
import java.util.regex.Pattern;

/** An amount in integer minor units of one ISO 4217 currency. Arithmetic refuses to overflow. */
public record Money(String currencyCode, long amountMinor) {

  private static final Pattern CURRENCY_CODE = Pattern.compile("[A-Z]{3}");

  public Money {
    Objects.requireNonNull(currencyCode, "currencyCode");
    if (!isCurrencyCode(currencyCode)) {
      throw new IllegalArgumentException("not an ISO 4217 currency code: " + currencyCode);
    }
    if (amountMinor < 0) {
      throw new IllegalArgumentException("money is never negative: " + amountMinor);
    }
  }

  public static boolean isCurrencyCode(String code) {
    return code != null && CURRENCY_CODE.matcher(code).matches();
  }

  public static Money zero(String currencyCode) {
    return new Money(currencyCode, 0);
  }

  public Money plus(Money other) {
    requireSameCurrency(other);
    return new Money(currencyCode, Math.addExact(amountMinor, other.amountMinor));
  }

  /** This minus {@code other}; money is never negative, so {@code other} must not be more than this. */
  public Money minus(Money other) {
    requireSameCurrency(other);
    if (other.amountMinor > amountMinor) {
      throw new IllegalArgumentException(other + " is more than " + this);
    }
    return new Money(currencyCode, amountMinor - other.amountMinor);
  }

  /** Whether this is more than {@code other} (same currency). */
  public boolean isMoreThan(Money other) {
    requireSameCurrency(other);
    return amountMinor > other.amountMinor;
  }

  public Money times(int quantity) {
    return new Money(currencyCode, Math.multiplyExact(amountMinor, (long) quantity));
  }

  private void requireSameCurrency(Money other) {
    if (!currencyCode.equals(other.currencyCode)) {
      throw new IllegalArgumentException(
          "currency mismatch: " + currencyCode + " and " + other.currencyCode);
    }
  }

  @Override
  public String toString() {
    return amountMinor + " " + currencyCode + " (minor units)";
  }
}
