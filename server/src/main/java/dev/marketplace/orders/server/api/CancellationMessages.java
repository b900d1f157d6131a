package dev.marketplace.orders.server.api;

import com.google.protobuf.Duration;
import dev.marketplace.orders.domain.cancellation.CancelResult;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.domain.cancellation.CancellationRequest;
import dev.marketplace.orders.domain.cancellation.CancellationRequestView;
import dev.marketplace.orders.domain.cancellation.Eligibility;
import dev.marketplace.orders.v1.Actor;
import dev.marketplace.orders.v1.CancelOrderResponse;
import dev.marketplace.orders.v1.CancellationEligibility;

/** Cancellation domain values to their {@code orders.v1} messages. Translation only. */
final class CancellationMessages {

  private CancellationMessages() {}

  static dev.marketplace.orders.v1.CancellationRequest toProto(CancellationRequestView view) {
    dev.marketplace.orders.v1.CancellationRequest.Builder proto = toProto(view.request()).toBuilder();
    view.refund().ifPresent(r -> proto.setRefund(OrderMessages.toProto(r)));
    return proto.build();
  }

  static dev.marketplace.orders.v1.CancellationRequest toProto(CancellationRequest request) {
    dev.marketplace.orders.v1.CancellationRequest.Builder proto =
        dev.marketplace.orders.v1.CancellationRequest.newBuilder()
            .setCancellationRequestId(request.id().toString())
            .setReference(request.reference())
            .setOrderId(request.orderId().toString())
            .setBuyerId(request.buyerId())
            .setSellerId(request.sellerId())
            .setReason(OrderMessages.toProto(request.reason()))
            .setExplanation(request.explanation())
            .setState(dev.marketplace.orders.v1.CancellationRequest.State.valueOf(request.state().name()))
            .setRespondByTime(OrderMessages.timestamp(request.respondBy()))
            .setRejectionNote(request.rejectionNote())
            .setCreateTime(OrderMessages.timestamp(request.createdAt()));
    if (request.rejectionReason() != null) {
      proto.setRejectionReason(dev.marketplace.orders.v1.CancellationRequest.RejectionReason.valueOf(request.rejectionReason().name()));
    }
    if (request.resolvedBySubject() != null) {
      proto.setResolvedBy(Actor.newBuilder().setSubject(request.resolvedBySubject()).setRole(OrderMessages.toProto(request.resolvedByRole())));
    }
    if (request.resolvedAt() != null) {
      proto.setResolveTime(OrderMessages.timestamp(request.resolvedAt()));
    }
    return proto.build();
  }

  static CancelOrderResponse toProto(CancelResult result) {
    CancelOrderResponse.Builder proto =
        CancelOrderResponse.newBuilder()
            .setOutcome(CancelOrderResponse.Outcome.valueOf(result.outcome().name()))
            .setOrder(OrderMessages.toProto(result.order()));
    result.request().ifPresent(r -> proto.setCancellationRequest(toProto(r)));
    return proto.build();
  }

  static CancellationEligibility toProto(Eligibility eligibility) {
    CancellationEligibility.Builder proto =
        CancellationEligibility.newBuilder()
            .setOrderId(eligibility.orderId().toString())
            .setOrderState(OrderMessages.toProto(eligibility.orderState()))
            .setOutcome(CancellationEligibility.Outcome.valueOf(eligibility.outcome().name()))
            .setRequestsRemaining(eligibility.requestsRemaining());
    eligibility.retryAfter().ifPresent(d -> proto.setRetryAfter(Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano())));
    eligibility.pendingRequest().ifPresent(r -> proto.setPendingRequest(toProto(r)));
    // The domain's blocked reasons are the ErrorInfo reasons of a refused cancel; the enum has one value for each.
    eligibility.blockedReason().ifPresent(r -> proto.setBlockedReason(CancellationEligibility.BlockedReason.valueOf(r)));
    eligibility.respondByIfRequestedNow().ifPresent(t -> proto.setNewRequestRespondByTime(OrderMessages.timestamp(t)));
    eligibility.reasons().forEach(r -> proto.addReasons(reason(r)));
    eligibility.alternatives().forEach(a -> proto.addAlternatives(CancellationEligibility.Alternative.valueOf(a.name())));
    return proto.build();
  }

  static dev.marketplace.orders.v1.CancellationReason reason(CancellationReason reason) {
    return dev.marketplace.orders.v1.CancellationReason.newBuilder()
        .setCode(OrderMessages.toProto(reason))
        .setDisplayLabel(reason.displayLabel())
        .setExplanationRequired(reason.explanationRequired())
        .build();
  }
}
