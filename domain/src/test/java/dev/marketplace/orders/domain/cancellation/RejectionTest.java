package dev.marketplace.orders.domain.cancellation;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.error.FieldViolation;
import dev.marketplace.orders.domain.error.InvalidRequestException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a seller must say with each rejection reason: stated here once, reported by the API, enforced on construction. */
class RejectionTest {

  private static final UUID REQUEST = UUID.randomUUID();

  @Test
  void alreadyShippedWithoutCarrierOrTracking_namesBothFields() {
    assertThat(Rejection.problems(RejectionReason.ALREADY_SHIPPED, "", " ", ""))
        .containsExactly(
            new FieldViolation("carrier", "required when the rejection reason is ALREADY_SHIPPED"),
            new FieldViolation("tracking_number", "required when the rejection reason is ALREADY_SHIPPED"));
  }

  @Test
  void otherWithoutNote_namesTheNote_andNeedsNoShipment() {
    assertThat(Rejection.problems(RejectionReason.OTHER, "", "", ""))
        .containsExactly(new FieldViolation("note", "required when the rejection reason is OTHER"));
  }

  @Test
  void preparedOrCustomised_needsNothingMore_andNoReasonIsTheCallersToReport() {
    assertThat(Rejection.problems(RejectionReason.ALREADY_PREPARED_OR_CUSTOMISED, "", "", "")).isEmpty();
    assertThat(Rejection.problems(null, "", "", "")).isEmpty();
  }

  @Test
  void aRejectionBreakingTheRules_isNeverBuilt() {
    InvalidRequestException refused =
        thrown(InvalidRequestException.class, () -> new Rejection(REQUEST, RejectionReason.ALREADY_SHIPPED, "", "UPS", ""));

    assertThat(refused.violations()).extracting(FieldViolation::field).containsExactly("tracking_number");
    assertThat(new Rejection(REQUEST, RejectionReason.ALREADY_SHIPPED, "", "UPS", "1Z999").carrier()).isEqualTo("UPS");
  }
}
