package dev.marketplace.orders.server.api;

import static dev.marketplace.orders.server.api.ProtoValues.actor;
import static dev.marketplace.orders.server.api.ProtoValues.timestamp;

import dev.marketplace.orders.domain.returns.Return;
import dev.marketplace.orders.domain.returns.ReturnLine;
import dev.marketplace.orders.domain.returns.ReturnState;
import dev.marketplace.orders.domain.returns.ReturnView;

/** A return as its {@code orders.v1.Return} (with the refund its receipt issued). Translation only. */
final class ReturnMessages {

  /** Returns as responses of the mutating RPCs, stored as the proto's bytes. */
  static final ProtoFormat<ReturnView, dev.marketplace.orders.v1.Return> FORMAT =
      new ProtoFormat<>(ReturnMessages::toProto, dev.marketplace.orders.v1.Return.parser());

  private ReturnMessages() {}

  static dev.marketplace.orders.v1.Return toProto(ReturnView view) {
    Return ret = view.ret();
    dev.marketplace.orders.v1.Return.Builder proto =
        dev.marketplace.orders.v1.Return.newBuilder()
            .setReturnId(ret.id().toString())
            .setOrderId(ret.orderId().toString())
            .setBuyerId(ret.buyerId())
            .setSellerId(ret.sellerId())
            .setReason(dev.marketplace.orders.v1.Return.Reason.valueOf(ret.reason().name()))
            .setDescription(ret.description())
            .addAllEvidenceUris(ret.evidenceUris())
            .setState(dev.marketplace.orders.v1.Return.State.valueOf(ret.state().name()))
            .setCreateTime(timestamp(ret.createdAt()))
            .setUpdateTime(timestamp(ret.updatedAt()))
            .setEtag("v" + ret.version());
    for (ReturnLine line : ret.lines()) {
      proto.addLines(dev.marketplace.orders.v1.Return.Line.newBuilder().setLineIndex(line.lineIndex()).setQuantity(line.quantity()));
    }
    if (ret.respondBy() != null) {
      proto.setRespondByTime(timestamp(ret.respondBy()));
    }
    if (ret.sellerNote() != null) {
      proto.setSellerNote(ret.sellerNote());
    }
    if (ret.carrier() != null) {
      proto.setCarrier(ret.carrier()).setTrackingNumber(ret.trackingNumber()).setShipTime(timestamp(ret.shippedAt()));
    }
    if (ret.receiveBy() != null) {
      proto.setReceiveByTime(timestamp(ret.receiveBy()));
    }
    if (ret.decidedBySubject() != null) {
      proto.setDecidedBy(actor(ret.decidedBySubject(), ret.decidedByRole())).setDecideTime(timestamp(ret.decidedAt()));
    }
    if (ret.receivedBySubject() != null) {
      proto.setReceivedBy(actor(ret.receivedBySubject(), ret.receivedByRole())).setReceiveTime(timestamp(ret.receivedAt()));
    }
    if (ret.share() != null) {
      proto.setShare(ProtoValues.toProto(ret.share()));
    }
    if (ret.disputeId() != null) {
      proto.setDisputeId(ret.disputeId().toString());
    }
    if (ret.state() == ReturnState.REJECTED) {
      proto.setNextStep(dev.marketplace.orders.v1.Return.NextStep.OPEN_DISPUTE);
    }
    if (ret.closedAt() != null) {
      proto.setCloseTime(timestamp(ret.closedAt()));
    }
    view.refund().ifPresent(r -> proto.setRefund(RefundMessages.toProto(r)));
    return proto.build();
  }
}
