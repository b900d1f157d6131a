package dev.marketplace.orders.domain.usecase;

import dev.marketplace.orders.domain.cancellation.CancellationRequest;
import dev.marketplace.orders.domain.cancellation.CancellationRequestState;
import dev.marketplace.orders.domain.error.InvalidRequestException;
import dev.marketplace.orders.domain.modification.Modification;
import dev.marketplace.orders.domain.modification.ModificationState;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.persistence.UnitOfWork;
import dev.marketplace.orders.domain.refund.Refund;
import dev.marketplace.orders.domain.refund.RefundState;
import dev.marketplace.orders.domain.support.NewSupportCase;
import dev.marketplace.orders.domain.support.SupportFinding;
import java.util.Optional;
import java.util.UUID;

/**
 * What the service can tell from its own records when a case is opened, on the locked order whose
 * deadlines are settled (so a cancellation request the seller let lapse has just been approved by
 * the platform, and says so): was the deadline really missed, was the request really rejected, what
 * became of the modification.
 */
final class CaseFindings {

  /** The finding and the request it rests on (the one named, or the order's latest of that kind). */
  record Facts(SupportFinding finding, String detail, UUID cancellationRequestId, UUID modificationId) {}

  private CaseFindings() {}

  static Facts check(UnitOfWork uow, Order order, NewSupportCase request) {
    return switch (request.kind()) {
      case CANCELLATION_NOT_PROCESSED -> notProcessed(order, cancellationRequest(uow, order, request));
      case CANCELLATION_REJECTED -> rejected(order, cancellationRequest(uow, order, request));
      case MODIFICATION_DISPUTE -> modification(uow, order, request);
      case OTHER -> new Facts(SupportFinding.NOT_CHECKED, "Nothing the service can check by itself for this kind of case.", null, null);
      case ESCALATED_DISPUTE -> throw new IllegalArgumentException("escalated disputes open their cases themselves");
    };
  }

  private static Facts notProcessed(Order order, Optional<CancellationRequest> concerned) {
    UUID requestId = concerned.map(CancellationRequest::id).orElse(null);
    if (concerned.isPresent() && concerned.get().isPartial() && granted(concerned.get())) {
      return partlyCancelled(order, concerned.get());
    }
    if (order.state() == OrderState.CANCELLED) {
      String cancelled = "The order was cancelled at " + order.cancellation().cancelledAt() + " (" + order.cancellation().kind() + ").";
      Optional<Refund> refund = order.refundInfo();
      if (refund.isPresent() && refund.get().state() == RefundState.FAILED) {
        return new Facts(
            SupportFinding.REFUND_FAILED,
            cancelled + " Its refund " + refund.get().id() + " of " + minor(refund.get()) + " FAILED: " + refund.get().failureReason() + ".",
            requestId,
            null);
      }
      String money = refund.map(CaseFindings::refundSentence).orElse(" Nothing was paid, so nothing is refunded.");
      if (concerned.isPresent() && concerned.get().state() == CancellationRequestState.AUTO_APPROVED) {
        CancellationRequest lapsed = concerned.get();
        return new Facts(
            SupportFinding.DEADLINE_MISSED,
            "The seller did not answer cancellation request " + lapsed.reference() + " by " + lapsed.respondBy()
                + "; the platform approved it at " + lapsed.resolvedAt() + ". " + cancelled + money,
            requestId,
            null);
      }
      return new Facts(SupportFinding.CANCELLED, cancelled + money, requestId, null);
    }
    if (concerned.isEmpty()) {
      return new Facts(
          SupportFinding.NO_REQUEST, "The order (" + order.state() + ") has no cancellation request.", null, null);
    }
    CancellationRequest found = concerned.get();
    return switch (found.state()) {
      case PENDING ->
          new Facts(
              SupportFinding.DEADLINE_NOT_REACHED,
              "Cancellation request " + found.reference() + " waits for the seller until " + found.respondBy()
                  + "; without an answer by then the platform cancels the order and refunds it.",
              requestId,
              null);
      case REJECTED -> rejected(order, concerned);
      case WITHDRAWN ->
          new Facts(
              SupportFinding.REQUEST_WITHDRAWN,
              "The buyer withdrew cancellation request " + found.reference() + " at " + found.resolvedAt() + ".", requestId, null);
      default ->
          new Facts(
              SupportFinding.REQUEST_NOT_REJECTED,
              "Cancellation request " + found.reference() + " is " + found.state() + "; the order is " + order.state() + ".",
              requestId,
              null);
    };
  }

  /** A partial request granted: its units were cancelled and their share refunded (or is being). */
  private static Facts partlyCancelled(Order order, CancellationRequest granted) {
    StringBuilder units = new StringBuilder();
    granted.lines().forEach(l -> units.append(units.length() == 0 ? "" : ", ").append(l.quantity()).append(" of line ").append(l.lineIndex()));
    String what =
        granted.state() == CancellationRequestState.AUTO_APPROVED
            ? "The seller did not answer cancellation request " + granted.reference() + " (" + units + ") by " + granted.respondBy()
                + "; the platform approved it at " + granted.resolvedAt() + "."
            : "Cancellation request " + granted.reference() + " (" + units + ") was " + granted.state() + " at " + granted.resolvedAt() + ".";
    Optional<Refund> refund = order.refunds().stream().filter(r -> granted.id().equals(r.cancellationRequestId())).findFirst();
    if (refund.isPresent() && refund.get().state() == RefundState.FAILED) {
      return new Facts(
          SupportFinding.REFUND_FAILED,
          what + " Its refund " + refund.get().id() + " of " + minor(refund.get()) + " FAILED: " + refund.get().failureReason() + ".",
          granted.id(),
          null);
    }
    String money = refund.map(CaseFindings::refundSentence).orElse(" Nothing was refunded for it.");
    SupportFinding finding =
        granted.state() == CancellationRequestState.AUTO_APPROVED ? SupportFinding.DEADLINE_MISSED : SupportFinding.CANCELLED;
    return new Facts(finding, what + " The order is " + order.state() + " with the other units." + money, granted.id(), null);
  }

  /**
   * Approved by the seller or the platform. (Support resolving a partial request cancels the whole
   * order, which the order's own state then tells.)
   */
  private static boolean granted(CancellationRequest request) {
    return request.state() == CancellationRequestState.APPROVED || request.state() == CancellationRequestState.AUTO_APPROVED;
  }

  private static Facts rejected(Order order, Optional<CancellationRequest> concerned) {
    if (concerned.isEmpty()) {
      return new Facts(SupportFinding.NO_REQUEST, "The order (" + order.state() + ") has no cancellation request.", null, null);
    }
    CancellationRequest found = concerned.get();
    if (found.state() != CancellationRequestState.REJECTED) {
      return new Facts(
          SupportFinding.REQUEST_NOT_REJECTED,
          "Cancellation request " + found.reference() + " is " + found.state() + ", not rejected; the order is " + order.state() + ".",
          found.id(),
          null);
    }
    String note = found.rejectionNote().isEmpty() ? "" : ": \"" + found.rejectionNote() + "\"";
    return new Facts(
        SupportFinding.REQUEST_REJECTED,
        "The seller rejected cancellation request " + found.reference() + " at " + found.resolvedAt() + " (" + found.rejectionReason() + ")"
            + note + ". The order is " + order.state() + ".",
        found.id(),
        null);
  }

  private static Facts modification(UnitOfWork uow, Order order, NewSupportCase request) {
    Optional<Modification> concerned =
        request.modificationId().isPresent()
            ? Optional.of(
                uow.modifications()
                    .find(request.modificationId().get())
                    .filter(m -> m.orderId().equals(order.id()))
                    .orElseThrow(() -> InvalidRequestException.of("modification_id", "no modification request with this id on the order")))
            : uow.modifications().latestForOrder(order.id());
    if (concerned.isEmpty()) {
      return new Facts(SupportFinding.NO_REQUEST, "The order (" + order.state() + ") has no modification request.", null, null);
    }
    Modification found = concerned.get();
    return new Facts(
        SupportFinding.MODIFICATION_ON_RECORD,
        "Modification " + found.id() + " (" + found.change().getClass().getSimpleName().toUpperCase() + ") proposed by the "
            + found.proposedByRole().name().toLowerCase() + " at " + found.createdAt() + " is " + found.state() + "; the total "
            + (found.state() == ModificationState.ACCEPTED ? "went" : "would go") + " from "
            + found.totalBefore().amountMinor() + " to " + found.totalAfter().amountMinor() + " " + found.totalAfter().currencyCode()
            + " minor units. The order is " + order.state() + ".",
        null,
        found.id());
  }

  private static Optional<CancellationRequest> cancellationRequest(UnitOfWork uow, Order order, NewSupportCase request) {
    if (request.cancellationRequestId().isPresent()) {
      return Optional.of(
          uow.cancellations()
              .find(request.cancellationRequestId().get())
              .filter(r -> r.orderId().equals(order.id()))
              .orElseThrow(
                  () -> InvalidRequestException.of("cancellation_request_id", "no cancellation request with this id on the order")));
    }
    return uow.cancellations().latestForOrder(order.id());
  }

  private static String refundSentence(Refund refund) {
    return " Its refund " + refund.id() + " of " + minor(refund) + " is " + refund.state() + ", expected between "
        + refund.expectedEarliest() + " and " + refund.expectedLatest() + ".";
  }

  private static String minor(Refund refund) {
    return refund.amount().amountMinor() + " " + refund.amount().currencyCode() + " minor units";
  }
}
