package dev.marketplace.orders.server.api;

import com.google.protobuf.Timestamp;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.history.OrderEvent;
import dev.marketplace.orders.domain.order.LineItem;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.payment.PaymentMethod;
import dev.marketplace.orders.domain.order.ShippingAddress;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.domain.order.OrderCancellation;
import dev.marketplace.orders.domain.refund.Refund;
import dev.marketplace.orders.v1.Actor;
import dev.marketplace.orders.v1.Cancellation;
import dev.marketplace.orders.v1.Payment;
import dev.marketplace.orders.v1.Shipment;
import java.time.Instant;

/** Domain values to their {@code orders.v1} messages, and the enums both ways. Translation only. */
final class OrderMessages {

  /** Orders as responses: rendered with {@link #toProto(Order)}, stored as the proto's bytes. */
  static final ProtoFormat<Order, dev.marketplace.orders.v1.Order> ORDER_FORMAT =
      new ProtoFormat<>(OrderMessages::toProto, dev.marketplace.orders.v1.Order.parser());

  private OrderMessages() {}

  static dev.marketplace.orders.v1.Order toProto(Order order) {
    dev.marketplace.orders.v1.Order.Builder proto =
        dev.marketplace.orders.v1.Order.newBuilder()
            .setOrderId(order.id().toString())
            .setBuyerId(order.buyerId())
            .setSellerId(order.sellerId())
            .setShippingAddress(toProto(order.shippingAddress()))
            .setPaymentMethod(toProto(order.paymentMethod()))
            .setState(toProto(order.state()))
            .setTotal(toProto(order.total()))
            .setCreateTime(timestamp(order.createdAt()))
            .setUpdateTime(timestamp(order.updatedAt()))
            .setEtag(Etags.of(order));
    for (LineItem line : order.lineItems()) {
      proto.addLineItems(
          dev.marketplace.orders.v1.LineItem.newBuilder()
              .setSku(line.sku())
              .setTitle(line.title())
              .putAllVariantAttributes(line.variantAttributes())
              .setQuantity(line.quantity())
              .setUnitPrice(toProto(line.unitPrice())));
    }
    order
        .paymentCapture()
        .ifPresent(
            p ->
                proto.setPayment(
                    Payment.newBuilder()
                        .setPaymentReference(p.reference())
                        .setCaptureTime(timestamp(p.capturedAt()))));
    order.cancellationInfo().ifPresent(c -> proto.setCancellation(toProto(c)));
    order.refundInfo().ifPresent(r -> proto.setRefund(toProto(r)));
    order
        .shipmentInfo()
        .ifPresent(
            s -> {
              Shipment.Builder shipment =
                  Shipment.newBuilder()
                      .setCarrier(s.carrier())
                      .setTrackingNumber(s.trackingNumber())
                      .setShipTime(timestamp(s.shippedAt()));
              if (s.deliveredAt() != null) {
                shipment.setDeliveryTime(timestamp(s.deliveredAt()));
              }
              proto.setShipment(shipment);
            });
    return proto.build();
  }

  static dev.marketplace.orders.v1.OrderEvent toProto(OrderEvent event) {
    return dev.marketplace.orders.v1.OrderEvent.newBuilder()
        .setOrderId(event.orderId().toString())
        .setSequence(event.sequence())
        .setType(dev.marketplace.orders.v1.OrderEvent.Type.valueOf(event.type().name()))
        .setActor(Actor.newBuilder().setSubject(event.actorSubject()).setRole(toProto(event.actorRole())))
        .setOccurTime(timestamp(event.occurredAt()))
        .putAllDetails(event.details())
        .setOrderState(toProto(event.orderState()))
        .build();
  }

  static Cancellation toProto(OrderCancellation c) {
    Cancellation.Builder proto =
        Cancellation.newBuilder()
            .setKind(Cancellation.Kind.valueOf(c.kind().name()))
            .setReason(toProto(c.reason()))
            .setCancelledBy(Actor.newBuilder().setSubject(c.actorSubject()).setRole(toProto(c.actorRole())))
            .setCancelTime(timestamp(c.cancelledAt()));
    if (c.cancellationRequestId() != null) {
      proto.setCancellationRequestId(c.cancellationRequestId().toString());
    }
    return proto.build();
  }

  static dev.marketplace.orders.v1.Refund toProto(Refund refund) {
    dev.marketplace.orders.v1.Refund.Builder proto =
        dev.marketplace.orders.v1.Refund.newBuilder()
            .setRefundId(refund.id().toString())
            .setOrderId(refund.orderId().toString())
            .setAmount(toProto(refund.amount()))
            .setPaymentMethod(toProto(refund.paymentMethod()))
            .setState(dev.marketplace.orders.v1.Refund.State.valueOf(refund.state().name()))
            .setExpectedBusinessDaysMin(refund.window().minDays())
            .setExpectedBusinessDaysMax(refund.window().maxDays())
            .setExpectedArrivalEarliestTime(timestamp(refund.expectedEarliest()))
            .setExpectedArrivalLatestTime(timestamp(refund.expectedLatest()))
            .setCreateTime(timestamp(refund.createdAt()))
            .setFailureReason(refund.failureReason());
    if (refund.cancellationRequestId() != null) {
      proto.setCancellationRequestId(refund.cancellationRequestId().toString());
    }
    if (refund.completedAt() != null) {
      proto.setCompleteTime(timestamp(refund.completedAt()));
    }
    return proto.build();
  }

  static dev.marketplace.orders.v1.CancellationReason.Code toProto(CancellationReason reason) {
    return dev.marketplace.orders.v1.CancellationReason.Code.valueOf(reason.name());
  }

  /** The domain reason of a known, specified code; null for UNSPECIFIED or unknown numbers. */
  static CancellationReason fromProto(dev.marketplace.orders.v1.CancellationReason.Code code) {
    return switch (code) {
      case CODE_UNSPECIFIED, UNRECOGNIZED -> null;
      default -> CancellationReason.valueOf(code.name());
    };
  }

  static dev.marketplace.orders.v1.Money toProto(Money money) {
    return dev.marketplace.orders.v1.Money.newBuilder()
        .setCurrencyCode(money.currencyCode())
        .setAmountMinor(money.amountMinor())
        .build();
  }

  static dev.marketplace.orders.v1.ShippingAddress toProto(ShippingAddress address) {
    return dev.marketplace.orders.v1.ShippingAddress.newBuilder()
        .setRecipientName(address.recipientName())
        .addAllAddressLines(address.addressLines())
        .setLocality(address.locality())
        .setAdministrativeArea(address.administrativeArea())
        .setPostalCode(address.postalCode())
        .setRegionCode(address.regionCode())
        .setPhoneNumber(address.phoneNumber())
        .build();
  }

  static dev.marketplace.orders.v1.Order.State toProto(OrderState state) {
    return dev.marketplace.orders.v1.Order.State.valueOf(state.name());
  }

  /** The domain state of a known, specified proto state; null for UNSPECIFIED or unknown numbers. */
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

  static Actor.Role toProto(Role role) {
    return Actor.Role.valueOf(role.name());
  }

  static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
  }
}
