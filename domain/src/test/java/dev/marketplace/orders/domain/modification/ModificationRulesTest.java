package dev.marketplace.orders.domain.modification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.error.AccessDeniedException;
import dev.marketplace.orders.domain.error.InvalidRequestException;
import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.testing.SampleOrders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The modification rules as pure functions: states, price effects, what changes, who answers. */
class ModificationRulesTest {

  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final Duration RETRY = Duration.ofMinutes(15);

  private static Order order(OrderState state) {
    return SampleOrders.inState(state, UUID.randomUUID(), "buyer-1", "seller-1", NOW.minus(Duration.ofDays(1)));
  }

  @Test
  void unpaid_anyChangeOfTheTotal_givesTheNewTotal_atTheNextVersion() {
    Order order = order(OrderState.AWAITING_PAYMENT);

    Order more = ModificationRules.apply(order, new Change.Quantity(0, 5), NOW, RETRY);

    assertThat(more.total()).isEqualTo(new Money("USD", 5 * 499 + 1500));
    assertThat(more.version()).isEqualTo(order.version() + 1);
    assertThat(more.lineItems().get(1)).isEqualTo(order.lineItems().get(1));
  }

  @Test
  void paid_mayGetCheaper_butNotDearer() {
    Order order = order(OrderState.AWAITING_SHIPMENT);

    assertThat(ModificationRules.apply(order, new Change.Quantity(0, 1), NOW, RETRY).total()).isEqualTo(new Money("USD", 499 + 1500));
    StateConflictException dearer =
        catchThrowableOfType(StateConflictException.class, () -> ModificationRules.apply(order, new Change.Quantity(0, 3), NOW, RETRY));
    assertThat(dearer.reason()).isEqualTo(ModificationRules.MODIFICATION_RAISES_PAID_TOTAL);
    assertThat(dearer.metadata()).containsEntry("currentTotal", "2498").containsEntry("proposedTotal", "2997");
  }

  @Test
  void whilePaymentIsVerified_theTotalStays_theAddressMayChange() {
    Order order = order(OrderState.PAYMENT_PROCESSING);
    var moved = new dev.marketplace.orders.domain.order.ShippingAddress("Ann", List.of("9 Elm Rd"), "Shelbyville", "", "", "US", "");

    StateConflictException total =
        catchThrowableOfType(StateConflictException.class, () -> ModificationRules.apply(order, new Change.Quantity(0, 1), NOW, RETRY));

    assertThat(total.reason()).isEqualTo(ModificationRules.PAYMENT_VERIFICATION_IN_PROGRESS);
    assertThat(total.retryDelay()).contains(RETRY);
    assertThat(ModificationRules.apply(order, new Change.Address(moved), NOW, RETRY).shippingAddress()).isEqualTo(moved);
  }

  @ParameterizedTest
  @EnumSource(value = OrderState.class, names = {"SHIPPED", "DELIVERED", "CANCELLED"})
  void afterShipmentOrCancellation_nothingChanges(OrderState state) {
    StateConflictException refused =
        catchThrowableOfType(StateConflictException.class, () -> ModificationRules.apply(order(state), new Change.Quantity(0, 1), NOW, RETRY));

    assertThat(refused.reason())
        .isEqualTo(state == OrderState.CANCELLED ? ModificationRules.ORDER_ALREADY_CANCELLED : ModificationRules.ORDER_ALREADY_SHIPPED);
  }

  @Test
  void aMissingLine_isInvalid_andNoChangeIsRefused() {
    Order order = order(OrderState.AWAITING_PAYMENT);

    InvalidRequestException missing =
        catchThrowableOfType(InvalidRequestException.class, () -> ModificationRules.apply(order, new Change.Variant(2, Map.of("size", "M")), NOW, RETRY));
    StateConflictException same =
        catchThrowableOfType(StateConflictException.class, () -> ModificationRules.apply(order, new Change.Variant(0, Map.of("colour", "red")), NOW, RETRY));

    assertThat(missing.violations()).extracting(v -> v.field()).containsExactly("variant_change.line_index");
    assertThat(same.reason()).isEqualTo(ModificationRules.MODIFICATION_CHANGES_NOTHING);
  }

  @Test
  void theOtherPartyAnswers_theProposerWithdraws_andOnlyOnce() {
    Order order = order(OrderState.AWAITING_PAYMENT);
    Principal buyer = new Principal("buyer-1", Role.BUYER, java.util.Set.of());
    Principal seller = new Principal("seller-1", Role.SELLER, java.util.Set.of());
    Modification proposed =
        Modification.propose(
            UUID.randomUUID(), order.id(), "buyer-1", "seller-1", new Change.Quantity(0, 1), buyer, order.total(), order.total(), NOW,
            NOW.plus(Duration.ofHours(72)));

    assertThat(proposed.isCounterpart(seller)).isTrue();
    assertThat(proposed.isCounterpart(buyer)).isFalse();
    assertThat(proposed.isProposer(buyer)).isTrue();
    assertThat(proposed.notTheCounterpart()).isInstanceOf(AccessDeniedException.class);
    assertThat(proposed.isDue(NOW.plus(Duration.ofHours(72)))).isTrue();
    assertThat(proposed.isDue(NOW.plus(Duration.ofHours(72)).minusNanos(1000))).isFalse();
    Modification declined = proposed.decline(seller, NOW);
    assertThat(declined.state()).isEqualTo(ModificationState.DECLINED);
    assertThat(catchThrowableOfType(StateConflictException.class, () -> declined.withdraw(buyer, NOW)).reason())
        .isEqualTo(Modification.MODIFICATION_NOT_OPEN);
  }
}
