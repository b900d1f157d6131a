package dev.marketplace.orders.server.api;

import static dev.marketplace.orders.server.api.ProtoValues.actor;
import static dev.marketplace.orders.server.api.ProtoValues.timestamp;

import dev.marketplace.orders.domain.order.LineItem;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderCancellation;
import dev.marketplace.orders.domain.order.ShippingAddress;
import dev.marketplace.orders.v1.Cancellation;
import dev.marketplace.orders.v1.Payment;
import dev.marketplace.orders.v1.Shipment;

/** An order as its {@code orders.v1.Order}: lines, address, payment, shipment, cancellation and refunds. Translation only. */
final class OrderMessages {

  /** Orders as responses: rendered with {@link #toProto(Order)}, stored as the proto's bytes. */
  static final ProtoFormat<Order, dev.marketplace.orders.v1.Order> FORMAT =
      new ProtoFormat<>(OrderMessages::toProto, dev.marketplace.orders.v1.Order.parser());

  private OrderMessages() {}

  static dev.marketplace.orders.v1.Order toProto(Order order) {
    dev.marketplace.orders.v1.Order.Builder proto =
        dev.marketplace.orders.v1.Order.newBuilder()
            .setOrderId(order.id().toString())
            .setBuyerId(order.buyerId())
            .setSellerId(order.sellerId())
            .setShippingAddress(toProto(order.shippingAddress()))
            .setPaymentMethod(ProtoValues.toProto(order.paymentMethod()))
            .setState(ProtoValues.toProto(order.state()))
            .setTotal(ProtoValues.toProto(order.total()))
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
              .setUnitPrice(ProtoValues.toProto(line.unitPrice()))
              .setCancelledQuantity(line.cancelledQuantity())
              .setReturnedQuantity(line.returnedQuantity())
              .setRemainingQuantity(line.remainingQuantity()));
    }
    order
        .paymentCapture()
        .ifPresent(
            p ->
                proto.setPayment(
                    Payment.newBuilder()
                        .setPaymentReference(p.reference())
                        .setCaptureTime(timestamp(p.capturedAt()))
                        .setCapturedAmount(ProtoValues.toProto(p.amount()))
                        .setRefundedAmount(ProtoValues.toProto(order.refunded()))));
    order.cancellationInfo().ifPresent(c -> proto.setCancellation(toProto(c)));
    order.refundInfo().ifPresent(r -> proto.setRefund(RefundMessages.toProto(r)));
    order.refunds().forEach(r -> proto.addRefunds(RefundMessages.toProto(r)));
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

  private static Cancellation toProto(OrderCancellation c) {
    Cancellation.Builder proto =
        Cancellation.newBuilder()
            .setKind(Cancellation.Kind.valueOf(c.kind().name()))
            .setReason(ProtoValues.toProto(c.reason()))
            .setCancelledBy(actor(c.actorSubject(), c.actorRole()))
            .setCancelTime(timestamp(c.cancelledAt()));
    if (c.cancellationRequestId() != null) {
      proto.setCancellationRequestId(c.cancellationRequestId().toString());
    }
    return proto.build();
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
}
