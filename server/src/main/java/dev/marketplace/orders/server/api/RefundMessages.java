package dev.marketplace.orders.server.api;

import static dev.marketplace.orders.server.api.ProtoValues.timestamp;

import dev.marketplace.orders.domain.refund.Refund;

/** A refund as its {@code orders.v1.Refund}, with the expected arrival window. Translation only. */
final class RefundMessages {

  /** Refunds as responses (RecordRefundResult): rendered with {@link #toProto(Refund)}, stored as the proto's bytes. */
  static final ProtoFormat<Refund, dev.marketplace.orders.v1.Refund> FORMAT =
      new ProtoFormat<>(RefundMessages::toProto, dev.marketplace.orders.v1.Refund.parser());

  private RefundMessages() {}

  static dev.marketplace.orders.v1.Refund toProto(Refund refund) {
    dev.marketplace.orders.v1.Refund.Builder proto =
        dev.marketplace.orders.v1.Refund.newBuilder()
            .setRefundId(refund.id().toString())
            .setOrderId(refund.orderId().toString())
            .setAmount(ProtoValues.toProto(refund.amount()))
            .setPaymentMethod(ProtoValues.toProto(refund.paymentMethod()))
            .setState(dev.marketplace.orders.v1.Refund.State.valueOf(refund.state().name()))
            .setExpectedBusinessDaysMin(refund.window().minDays())
            .setExpectedBusinessDaysMax(refund.window().maxDays())
            .setExpectedArrivalEarliestTime(timestamp(refund.expectedEarliest()))
            .setExpectedArrivalLatestTime(timestamp(refund.expectedLatest()))
            .setCreateTime(timestamp(refund.createdAt()))
            .setFailureReason(refund.failureReason())
            .setKind(dev.marketplace.orders.v1.Refund.Kind.valueOf(refund.kind().name()));
    if (refund.cancellationRequestId() != null) {
      proto.setCancellationRequestId(refund.cancellationRequestId().toString());
    }
    if (refund.modificationId() != null) {
      proto.setModificationId(refund.modificationId().toString());
    }
    if (refund.disputeId() != null) {
      proto.setDisputeId(refund.disputeId().toString());
    }
    if (refund.supportCaseId() != null) {
      proto.setSupportCaseId(refund.supportCaseId().toString());
    }
    if (refund.returnId() != null) {
      proto.setReturnId(refund.returnId().toString());
    }
    if (refund.completedAt() != null) {
      proto.setCompleteTime(timestamp(refund.completedAt()));
    }
    return proto.build();
  }
}
