package dev.marketplace.orders.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.cancellation.CancellationPolicy;
import dev.marketplace.orders.domain.cancellation.Eligibility;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.v1.CancellationEligibility.BlockedReason;
import dev.marketplace.orders.v1.CancellationEligibility;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The domain names why a cancel is blocked with strings (they double as ErrorInfo reasons); the
 * contract names them with {@link BlockedReason}. A reason the enum lacked would turn
 * CheckCancellationEligibility into INTERNAL, so every one must map, and the enum holds no others.
 */
class EligibilityMessagesTest {

  @Test
  void everyBlockedReasonOfThePolicy_mapsToTheContractsEnumValueOfTheSameName() throws IllegalAccessException {
    List<String> domain = policyReasons();
    assertThat(domain).as("CancellationPolicy's reason constants").hasSizeGreaterThanOrEqualTo(5);

    for (String reason : domain) {
      CancellationEligibility proto = EligibilityMessages.toProto(blocked(reason));
      assertThat(proto.getBlockedReason().name()).as(reason).isEqualTo(reason);
    }
    assertThat(Arrays.stream(BlockedReason.values())
            .filter(r -> r != BlockedReason.BLOCKED_REASON_UNSPECIFIED && r != BlockedReason.UNRECOGNIZED)
            .map(Enum::name))
        .containsExactlyInAnyOrderElementsOf(domain);
  }

  @Test
  void nothingBlocked_isTheUnspecifiedValue() {
    assertThat(EligibilityMessages.toProto(eligibility(Eligibility.Outcome.CANCEL_IMMEDIATELY, Optional.empty())).getBlockedReason())
        .isEqualTo(BlockedReason.BLOCKED_REASON_UNSPECIFIED);
  }

  private static Eligibility blocked(String reason) {
    return eligibility(Eligibility.Outcome.NOT_CANCELLABLE, Optional.of(reason));
  }

  private static Eligibility eligibility(Eligibility.Outcome outcome, Optional<String> blockedReason) {
    return new Eligibility(
        UUID.randomUUID(), OrderState.AWAITING_SHIPMENT, outcome, blockedReason, Optional.empty(), Optional.empty(),
        Optional.empty(), List.of(), List.of(), 0);
  }

  /** CancellationPolicy's public String constants: the reasons it puts in an eligibility. */
  private static List<String> policyReasons() throws IllegalAccessException {
    List<String> reasons = new ArrayList<>();
    for (Field field : CancellationPolicy.class.getFields()) {
      int modifiers = field.getModifiers();
      if (Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers) && field.getType() == String.class) {
        reasons.add((String) field.get(null));
      }
    }
    return reasons;
  }
}
