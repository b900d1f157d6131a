package dev.marketplace.orders.domain.testing;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Unlike AssertJ's {@code catchThrowableOfType}, which returns null when nothing is thrown, this fails the test. */
public final class Thrown {

  private Thrown() {}

  public static <T extends Throwable> T thrown(Class<T> type, ThrowingCallable call) {
    return assertThatExceptionOfType(type).isThrownBy(call).actual();
  }
}
