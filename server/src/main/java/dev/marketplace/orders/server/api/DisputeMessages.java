package dev.marketplace.orders.server.api;

import static dev.marketplace.orders.server.api.ProtoValues.actor;
import static dev.marketplace.orders.server.api.ProtoValues.timestamp;

import dev.marketplace.orders.domain.dispute.Dispute;
import dev.marketplace.orders.domain.dispute.DisputeView;

/** A dispute as its {@code orders.v1.Dispute} (with the refund its resolution issued). Translation only. */
final class DisputeMessages {

  /** Disputes as responses of the mutating RPCs, stored as the proto's bytes. */
  static final ProtoFormat<DisputeView, dev.marketplace.orders.v1.Dispute> FORMAT =
      new ProtoFormat<>(DisputeMessages::toProto, dev.marketplace.orders.v1.Dispute.parser());

  private DisputeMessages() {}

  static dev.marketplace.orders.v1.Dispute toProto(DisputeView view) {
    dev.marketplace.orders.v1.Dispute.Builder proto = toProto(view.dispute()).toBuilder();
    view.refund().ifPresent(r -> proto.setRefund(RefundMessages.toProto(r)));
    view.returnId().ifPresent(id -> proto.setReturnId(id.toString()));
    return proto.build();
  }

  static dev.marketplace.orders.v1.Dispute toProto(Dispute dispute) {
    dev.marketplace.orders.v1.Dispute.Builder proto =
        dev.marketplace.orders.v1.Dispute.newBuilder()
            .setDisputeId(dispute.id().toString())
            .setOrderId(dispute.orderId().toString())
            .setBuyerId(dispute.buyerId())
            .setSellerId(dispute.sellerId())
            .setReason(dev.marketplace.orders.v1.Dispute.Reason.valueOf(dispute.reason().name()))
            .setDescription(dispute.description())
            .addAllEvidenceUris(dispute.evidenceUris())
            .setFullRefundRequested(dispute.fullRefundAsked())
            .setReturnRequested(dispute.returnAsked())
            .setState(dev.marketplace.orders.v1.Dispute.State.valueOf(dispute.state().name()))
            .setRespondByTime(timestamp(dispute.respondBy()))
            .setEscalableTime(timestamp(dispute.escalableFrom()))
            .addAllSellerEvidenceUris(dispute.sellerEvidenceUris())
            .setCreateTime(timestamp(dispute.createdAt()))
            .setUpdateTime(timestamp(dispute.updatedAt()))
            .setEtag("v" + dispute.version());
    if (dispute.askedAmount() != null) {
      proto.setRequestedAmount(ProtoValues.toProto(dispute.askedAmount()));
    }
    if (dispute.outcome() != null) {
      proto.setOutcome(dev.marketplace.orders.v1.Dispute.Outcome.valueOf(dispute.outcome().name()));
    }
    if (dispute.offered() != null) {
      proto.setOfferedAmount(ProtoValues.toProto(dispute.offered()));
    }
    if (dispute.sellerNote() != null) {
      proto.setSellerNote(dispute.sellerNote());
    }
    if (dispute.supportNote() != null) {
      proto.setSupportNote(dispute.supportNote());
    }
    if (dispute.escalatedBySubject() != null) {
      proto.setEscalatedBy(actor(dispute.escalatedBySubject(), dispute.escalatedByRole()));
      proto.setEscalateTime(timestamp(dispute.escalatedAt()));
    }
    if (dispute.resolvedBySubject() != null) {
      proto.setResolvedBy(actor(dispute.resolvedBySubject(), dispute.resolvedByRole()));
    }
    if (dispute.resolvedAt() != null) {
      proto.setResolveTime(timestamp(dispute.resolvedAt()));
    }
    return proto.build();
  }
}
