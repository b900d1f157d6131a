package dev.marketplace.orders.server.api;

import com.google.protobuf.Timestamp;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.payment.PaymentMethod;
import dev.marketplace.orders.v1.Actor;
import java.time.Instant;

/**
 * The values several {@code orders.v1} messages share - timestamps, money, actors - and the enums,
 * both ways: to proto always, from proto as null for an UNSPECIFIED or unknown value, which the
 * request's checks report. Translation only.
 */
final class ProtoValues {

  private ProtoValues() {}

  static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
  }

  static dev.marketplace.orders.v1.Money toProto(Money money) {
    return dev.marketplace.orders.v1.Money.newBuilder()
        .setCurrencyCode(money.currencyCode())
        .setAmountMinor(money.amountMinor())
        .build();
  }

  static Actor actor(String subject, Role role) {
    return Actor.newBuilder().setSubject(subject).setRole(toProto(role)).build();
  }

  static Actor.Role toProto(Role role) {
    return Actor.Role.valueOf(role.name());
  }

  static dev.marketplace.orders.v1.Order.State toProto(OrderState state) {
    return dev.marketplace.orders.v1.Order.State.valueOf(state.name());
  }

  static OrderState fromProto(dev.marketplace.orders.v1.Order.State state) {
    return switch (state) {
      case STATE_UNSPECIFIED, UNRECOGNIZED -> null;
      default -> OrderState.valueOf(state.name());
    };
  }

  static dev.marketplace.orders.v1.Order.PaymentMethod toProto(PaymentMethod method) {
    return dev.marketplace.orders.v1.Order.PaymentMethod.valueOf(method.name());
  }

  static PaymentMethod fromProto(dev.marketplace.orders.v1.Order.PaymentMethod method) {
    return switch (method) {
      case PAYMENT_METHOD_UNSPECIFIED, UNRECOGNIZED -> null;
      default -> PaymentMethod.valueOf(method.name());
    };
  }

  static dev.marketplace.orders.v1.CancellationReason.Code toProto(CancellationReason reason) {
    return dev.marketplace.orders.v1.CancellationReason.Code.valueOf(reason.name());
  }

  static CancellationReason fromProto(dev.marketplace.orders.v1.CancellationReason.Code code) {
    return switch (code) {
      case CODE_UNSPECIFIED, UNRECOGNIZED -> null;
      default -> CancellationReason.valueOf(code.name());
    };
  }
}
