package dev.marketplace.orders.server.api;

import static dev.marketplace.orders.server.api.ProtoValues.actor;
import static dev.marketplace.orders.server.api.ProtoValues.timestamp;

import dev.marketplace.orders.domain.support.SupportCase;
import dev.marketplace.orders.domain.support.SupportCaseView;

/** A support case as its {@code orders.v1.SupportCase} (with the refund its resolution issued). Translation only. */
final class SupportMessages {

  /** Cases as responses of the mutating RPCs, stored as the proto's bytes. */
  static final ProtoFormat<SupportCaseView, dev.marketplace.orders.v1.SupportCase> FORMAT =
      new ProtoFormat<>(SupportMessages::toProto, dev.marketplace.orders.v1.SupportCase.parser());

  private SupportMessages() {}

  static dev.marketplace.orders.v1.SupportCase toProto(SupportCaseView view) {
    SupportCase supportCase = view.supportCase();
    dev.marketplace.orders.v1.SupportCase.Builder proto =
        dev.marketplace.orders.v1.SupportCase.newBuilder()
            .setCaseId(supportCase.id().toString())
            .setReference(supportCase.reference())
            .setOrderId(supportCase.orderId().toString())
            .setBuyerId(supportCase.buyerId())
            .setSellerId(supportCase.sellerId())
            .setKind(dev.marketplace.orders.v1.SupportCase.Kind.valueOf(supportCase.kind().name()))
            .setOpenedBy(actor(supportCase.openedBySubject(), supportCase.openedByRole()))
            .setDescription(supportCase.description())
            .addAllEvidenceUris(supportCase.evidenceUris())
            .setFinding(dev.marketplace.orders.v1.SupportCase.Finding.valueOf(supportCase.finding().name()))
            .setFindingDetail(supportCase.findingDetail())
            .setState(dev.marketplace.orders.v1.SupportCase.State.valueOf(supportCase.state().name()))
            .setCreateTime(timestamp(supportCase.createdAt()))
            .setUpdateTime(timestamp(supportCase.updatedAt()))
            .setEtag("v" + supportCase.version());
    if (supportCase.cancellationRequestId() != null) {
      proto.setCancellationRequestId(supportCase.cancellationRequestId().toString());
    }
    if (supportCase.modificationId() != null) {
      proto.setModificationId(supportCase.modificationId().toString());
    }
    if (supportCase.disputeId() != null) {
      proto.setDisputeId(supportCase.disputeId().toString());
    }
    if (supportCase.assignee() != null) {
      proto.setAssignee(supportCase.assignee()).setAssignTime(timestamp(supportCase.assignedAt()));
    }
    if (supportCase.action() != null) {
      proto.setAction(dev.marketplace.orders.v1.SupportCase.Action.valueOf(supportCase.action().name()));
    }
    if (supportCase.resolutionNote() != null) {
      proto.setResolutionNote(supportCase.resolutionNote());
    }
    if (supportCase.resolvedBySubject() != null) {
      proto.setResolvedBy(actor(supportCase.resolvedBySubject(), supportCase.resolvedByRole()));
    }
    if (supportCase.resolvedAt() != null) {
      proto.setResolveTime(timestamp(supportCase.resolvedAt()));
    }
    view.refund().ifPresent(r -> proto.setRefund(RefundMessages.toProto(r)));
    return proto.build();
  }
}
