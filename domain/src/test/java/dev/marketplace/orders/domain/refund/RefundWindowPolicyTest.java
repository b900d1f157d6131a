package dev.marketplace.orders.domain.refund;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.marketplace.orders.domain.payment.PaymentMethod;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Expected refund arrival per payment method, as operators configure it ("CARD=3-7,*=2-10"). */
class RefundWindowPolicyTest {

  @ParameterizedTest
  @EnumSource(PaymentMethod.class)
  void byDefault_everyMethodGetsTheMarketplaces3To20BusinessDays(PaymentMethod method) {
    assertThat(RefundWindowPolicy.defaults().windowFor(method)).isEqualTo(new RefundWindow(3, 20));
  }

  @Test
  void parsedPolicy_givesTheNamedMethodItsWindowAndEveryOtherMethodTheStarWindow() {
    RefundWindowPolicy policy = RefundWindowPolicy.parse("CARD=3-7,*=2-10");

    assertThat(policy.windowFor(PaymentMethod.CARD)).isEqualTo(new RefundWindow(3, 7));
    for (PaymentMethod other : PaymentMethod.values()) {
      if (other != PaymentMethod.CARD) {
        assertThat(policy.windowFor(other)).as("%s", other).isEqualTo(new RefundWindow(2, 10));
      }
    }
  }

  @Test
  void withoutAStarEntry_otherMethodsKeepTheMarketplaceDefault() {
    RefundWindowPolicy policy = RefundWindowPolicy.parse("PAYPAL=1-3, WALLET=0-1");

    assertThat(policy.windowFor(PaymentMethod.PAYPAL)).isEqualTo(new RefundWindow(1, 3));
    assertThat(policy.windowFor(PaymentMethod.WALLET)).isEqualTo(new RefundWindow(0, 1));
    assertThat(policy.windowFor(PaymentMethod.CARD)).isEqualTo(RefundWindowPolicy.MARKETPLACE_DEFAULT);
  }

  @Test
  void spacesAroundNamesAndNumbers_areTolerated() {
    RefundWindowPolicy policy = RefundWindowPolicy.parse(" CARD = 3 - 7 , * = 2-10 ");

    assertThat(policy.windowFor(PaymentMethod.CARD)).isEqualTo(new RefundWindow(3, 7));
    assertThat(policy.windowFor(PaymentMethod.ALIPAY)).isEqualTo(new RefundWindow(2, 10));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", ","})
  void emptyText_givesTheDefaults(String text) {
    assertThat(RefundWindowPolicy.parse(text)).isEqualTo(RefundWindowPolicy.defaults());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "CARD", "CARD=", "CARD=3", "CARD=3-", "CARD=7-3", "CARD=a-b", "CARD=3-7=9", "BITCOIN=1-2", "=3-7", "CARD=-1-3",
        "CARD=3-7,PAYPAL"
      })
  void malformedText_isRefusedSayingWhatIsWrong(String text) {
    assertThatIllegalArgumentException().isThrownBy(() -> RefundWindowPolicy.parse(text)).withMessageNotContaining("null");
  }

  @Test
  void unknownMethod_isNamedInTheRefusal() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RefundWindowPolicy.parse("CARD=3-7,BITCOIN=1-2"))
        .withMessageContaining("BITCOIN");
  }

  @Test
  void window_parsesAndPrintsAsMinDashMax() {
    assertThat(RefundWindow.parse("3-20")).isEqualTo(new RefundWindow(3, 20));
    assertThat(new RefundWindow(3, 20)).hasToString("3-20");
    assertThat(RefundWindow.parse(new RefundWindow(0, 5).toString())).isEqualTo(new RefundWindow(0, 5));
  }

  @Test
  void window_refusesNegativeOrReversedBounds() {
    assertThatIllegalArgumentException().isThrownBy(() -> new RefundWindow(-1, 3));
    assertThatIllegalArgumentException().isThrownBy(() -> new RefundWindow(5, 4));
  }

  @Test
  void policy_doesNotShareTheCallersMap() {
    EnumMap<PaymentMethod, RefundWindow> perMethod = new EnumMap<>(PaymentMethod.class);
    perMethod.put(PaymentMethod.CARD, new RefundWindow(1, 2));
    RefundWindowPolicy policy = new RefundWindowPolicy(RefundWindowPolicy.MARKETPLACE_DEFAULT, perMethod);

    perMethod.put(PaymentMethod.CARD, new RefundWindow(9, 9));

    assertThat(policy.windowFor(PaymentMethod.CARD)).isEqualTo(new RefundWindow(1, 2));
    assertThat(policy.perMethod()).isEqualTo(Map.of(PaymentMethod.CARD, new RefundWindow(1, 2)));
  }
}
