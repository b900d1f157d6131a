package dev.marketplace.orders.domain.order;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.error.FieldViolation;
import dev.marketplace.orders.domain.error.InvalidRequestException;
import dev.marketplace.orders.domain.order.PaymentReport.Outcome;
import dev.marketplace.orders.domain.payment.Money;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a payment report must carry, stated once: a capture names its reference and amount. */
class PaymentReportTest {

  @Test
  void captureWithoutReferenceOrAmount_namesBothFields() {
    assertThat(PaymentReport.problems(Outcome.CAPTURED, " ", null))
        .containsExactly(
            new FieldViolation("payment_reference", "required for CAPTURED"), new FieldViolation("amount", "required for CAPTURED"));
  }

  @Test
  void processingAndFailed_needNeither() {
    assertThat(PaymentReport.problems(Outcome.PROCESSING, "", null)).isEmpty();
    assertThat(PaymentReport.problems(Outcome.FAILED, "", null)).isEmpty();
  }

  @Test
  void aCaptureWithoutAmount_isNeverBuilt() {
    InvalidRequestException refused =
        thrown(InvalidRequestException.class, () -> new PaymentReport(UUID.randomUUID(), Outcome.CAPTURED, "psp-1", null, ""));

    assertThat(refused.violations()).extracting(FieldViolation::field).containsExactly("amount");
    assertThat(new PaymentReport(UUID.randomUUID(), Outcome.CAPTURED, "psp-1", new Money("USD", 499), "").amount())
        .isEqualTo(new Money("USD", 499));
  }
}
