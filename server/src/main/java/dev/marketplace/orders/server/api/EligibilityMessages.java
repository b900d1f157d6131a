package dev.marketplace.orders.server.api;

import static dev.marketplace.orders.server.api.ProtoValues.timestamp;

import com.google.protobuf.Duration;
import dev.marketplace.orders.domain.cancellation.Eligibility;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.v1.CancellationEligibility;

/**
 * What a cancel would do as {@code orders.v1.CancellationEligibility}, and the reasons a buyer may
 * give as {@code orders.v1.CancellationReason}s. Translation only.
 */
final class EligibilityMessages {

  private EligibilityMessages() {}

  static CancellationEligibility toProto(Eligibility eligibility) {
    CancellationEligibility.Builder proto =
        CancellationEligibility.newBuilder()
            .setOrderId(eligibility.orderId().toString())
            .setOrderState(ProtoValues.toProto(eligibility.orderState()))
            .setOutcome(CancellationEligibility.Outcome.valueOf(eligibility.outcome().name()))
            .setRequestsRemaining(eligibility.requestsRemaining());
    eligibility.retryAfter().ifPresent(d -> proto.setRetryAfter(Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano())));
    eligibility.pendingRequest().ifPresent(r -> proto.setPendingRequest(CancellationRequestMessages.toProto(r)));
    // The domain's blocked reasons are the ErrorInfo reasons of a refused cancel; the enum has one value for each.
    eligibility.blockedReason().ifPresent(r -> proto.setBlockedReason(CancellationEligibility.BlockedReason.valueOf(r)));
    eligibility.respondByIfRequestedNow().ifPresent(t -> proto.setNewRequestRespondByTime(timestamp(t)));
    eligibility.reasons().forEach(r -> proto.addReasons(toProto(r)));
    eligibility.alternatives().forEach(a -> proto.addAlternatives(CancellationEligibility.Alternative.valueOf(a.name())));
    eligibility.openModification().ifPresent(m -> proto.setOpenModificationId(m.id().toString()));
    for (int i = 0; i < eligibility.cancellableQuantities().size(); i++) {
      proto.addCancellableLines(
          CancellationEligibility.CancellableLine.newBuilder().setLineIndex(i).setCancellableQuantity(eligibility.cancellableQuantities().get(i)));
    }
    return proto.build();
  }

  static dev.marketplace.orders.v1.CancellationReason toProto(CancellationReason reason) {
    return dev.marketplace.orders.v1.CancellationReason.newBuilder()
        .setCode(ProtoValues.toProto(reason))
        .setDisplayLabel(reason.displayLabel())
        .setExplanationRequired(reason.explanationRequired())
        .build();
  }
}
