package dev.marketplace.orders.domain.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.error.FieldViolation;
import org.junit.jupiter.api.Test;

class CancellationReasonTest {

  @Test
  void other_needsAnExplanation_theListedReasonsDoNot() {
    assertThat(CancellationReason.OTHER.problems(" "))
        .containsExactly(new FieldViolation("explanation", "required when the reason is OTHER"));
    assertThat(CancellationReason.OTHER.problems("moving abroad")).isEmpty();
    assertThat(CancellationReason.ORDERED_BY_ACCIDENT.problems("")).isEmpty();
  }
}
