package dev.marketplace.orders.server.api;

import static dev.marketplace.orders.server.api.ProtoValues.actor;
import static dev.marketplace.orders.server.api.ProtoValues.timestamp;

import dev.marketplace.orders.domain.cancellation.CancelResult;
import dev.marketplace.orders.domain.cancellation.CancellationRequest;
import dev.marketplace.orders.domain.cancellation.CancellationRequestView;
import dev.marketplace.orders.v1.CancelOrderResponse;

/**
 * A cancellation request as its {@code orders.v1.CancellationRequest} (with its refund once granted),
 * and a cancel's outcome as the {@code CancelOrderResponse} that carries one. Translation only.
 */
final class CancellationRequestMessages {

  /** Requests as responses (approve, reject, withdraw): rendered with their refund, stored as the proto's bytes. */
  static final ProtoFormat<CancellationRequestView, dev.marketplace.orders.v1.CancellationRequest> FORMAT =
      new ProtoFormat<>(CancellationRequestMessages::toProto, dev.marketplace.orders.v1.CancellationRequest.parser());

  /** A cancel's outcome as the response of CancelOrder, stored as the proto's bytes. */
  static final ProtoFormat<CancelResult, CancelOrderResponse> CANCEL_FORMAT =
      new ProtoFormat<>(CancellationRequestMessages::toProto, CancelOrderResponse.parser());

  private CancellationRequestMessages() {}

  static dev.marketplace.orders.v1.CancellationRequest toProto(CancellationRequestView view) {
    dev.marketplace.orders.v1.CancellationRequest.Builder proto = toProto(view.request()).toBuilder();
    view.refund().ifPresent(r -> proto.setRefund(RefundMessages.toProto(r)));
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
            .setReason(ProtoValues.toProto(request.reason()))
            .setExplanation(request.explanation())
            .setState(dev.marketplace.orders.v1.CancellationRequest.State.valueOf(request.state().name()))
            .setRespondByTime(timestamp(request.respondBy()))
            .setRejectionNote(request.rejectionNote())
            .setCreateTime(timestamp(request.createdAt()));
    if (request.rejectionReason() != null) {
      proto.setRejectionReason(dev.marketplace.orders.v1.CancellationRequest.RejectionReason.valueOf(request.rejectionReason().name()));
    }
    if (request.resolvedBySubject() != null) {
      proto.setResolvedBy(actor(request.resolvedBySubject(), request.resolvedByRole()));
    }
    if (request.resolvedAt() != null) {
      proto.setResolveTime(timestamp(request.resolvedAt()));
    }
    request.lines()
        .forEach(l -> proto.addLineItems(dev.marketplace.orders.v1.LineQuantity.newBuilder().setLineIndex(l.lineIndex()).setQuantity(l.quantity())));
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
}
