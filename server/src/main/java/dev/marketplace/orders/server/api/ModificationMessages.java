package dev.marketplace.orders.server.api;

import static dev.marketplace.orders.server.api.ProtoValues.actor;
import static dev.marketplace.orders.server.api.ProtoValues.timestamp;

import dev.marketplace.orders.domain.modification.Change;
import dev.marketplace.orders.domain.modification.Modification;
import dev.marketplace.orders.domain.modification.ModificationView;

/** A modification as its {@code orders.v1.Modification} (with the refund its acceptance initiated). Translation only. */
final class ModificationMessages {

  /** Modifications as responses (propose, accept, decline, withdraw), stored as the proto's bytes. */
  static final ProtoFormat<ModificationView, dev.marketplace.orders.v1.Modification> FORMAT =
      new ProtoFormat<>(ModificationMessages::toProto, dev.marketplace.orders.v1.Modification.parser());

  private ModificationMessages() {}

  static dev.marketplace.orders.v1.Modification toProto(ModificationView view) {
    dev.marketplace.orders.v1.Modification.Builder proto = toProto(view.modification()).toBuilder();
    view.refund().ifPresent(r -> proto.setRefund(RefundMessages.toProto(r)));
    return proto.build();
  }

  static dev.marketplace.orders.v1.Modification toProto(Modification modification) {
    dev.marketplace.orders.v1.Modification.Builder proto =
        dev.marketplace.orders.v1.Modification.newBuilder()
            .setModificationId(modification.id().toString())
            .setOrderId(modification.orderId().toString())
            .setBuyerId(modification.buyerId())
            .setSellerId(modification.sellerId())
            .setProposedBy(actor(modification.proposedBySubject(), modification.proposedByRole()))
            .setState(dev.marketplace.orders.v1.Modification.State.valueOf(modification.state().name()))
            .setRespondByTime(timestamp(modification.respondBy()))
            .setTotalBefore(ProtoValues.toProto(modification.totalBefore()))
            .setTotalAfter(ProtoValues.toProto(modification.totalAfter()))
            .setCreateTime(timestamp(modification.createdAt()))
            .setEtag("v" + modification.version());
    Change change = modification.change();
    if (change instanceof Change.Quantity q) {
      proto.setQuantityChange(
          dev.marketplace.orders.v1.Modification.QuantityChange.newBuilder().setLineIndex(q.lineIndex()).setQuantity(q.quantity()));
    } else if (change instanceof Change.Variant v) {
      proto.setVariantChange(
          dev.marketplace.orders.v1.Modification.VariantChange.newBuilder().setLineIndex(v.lineIndex()).putAllVariantAttributes(v.attributes()));
    } else {
      proto.setShippingAddressChange(OrderMessages.toProto(((Change.Address) change).address()));
    }
    if (modification.resolvedBySubject() != null) {
      proto.setResolvedBy(actor(modification.resolvedBySubject(), modification.resolvedByRole()));
    }
    if (modification.resolvedAt() != null) {
      proto.setResolveTime(timestamp(modification.resolvedAt()));
    }
    return proto.build();
  }
}
