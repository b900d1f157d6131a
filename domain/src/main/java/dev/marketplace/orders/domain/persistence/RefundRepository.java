package dev.marketplace.orders.domain.persistence;

import static dev.marketplace.orders.domain.persistence.jooq.Tables.REFUNDS;

import dev.marketplace.orders.domain.error.ConcurrentChangeException;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.payment.PaymentMethod;
import dev.marketplace.orders.domain.persistence.jooq.tables.records.RefundsRecord;
import dev.marketplace.orders.domain.refund.Refund;
import dev.marketplace.orders.domain.refund.RefundKind;
import dev.marketplace.orders.domain.refund.RefundState;
import dev.marketplace.orders.domain.refund.RefundWindow;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;

/**
 * Refunds. Each names its cause in its kind's column, whose unique key makes a second refund for one
 * cancellation request, one modification, one dispute or one support case impossible.
 */
public final class RefundRepository {

  private final DSLContext tx;

  private final OrderRepository orders;

  RefundRepository(DSLContext tx, OrderRepository orders) {
    this.tx = tx;
    this.orders = orders;
  }

  public void insert(Refund refund) {
    orders.flushInserted(); // the row refers to its order
    RefundsRecord row = tx.newRecord(REFUNDS);
    row.setId(refund.id());
    row.setOrderId(refund.orderId());
    row.setKind(refund.kind().name());
    row.setCancellationRequestId(refund.cancellationRequestId());
    row.setModificationId(refund.modificationId());
    row.setDisputeId(refund.disputeId());
    row.setSupportCaseId(refund.supportCaseId());
    row.setReturnId(refund.returnId());
    row.setCurrencyCode(refund.amount().currencyCode());
    row.setAmountMinor(refund.amount().amountMinor());
    row.setPaymentMethod(refund.paymentMethod().name());
    row.setBusinessDaysMin(refund.window().minDays());
    row.setBusinessDaysMax(refund.window().maxDays());
    row.setExpectedEarliestAt(Times.toDb(refund.expectedEarliest()));
    row.setExpectedLatestAt(Times.toDb(refund.expectedLatest()));
    row.setCreatedAt(Times.toDb(refund.createdAt()));
    copyMutableColumns(refund, row);
    tx.insertInto(REFUNDS).set(row).execute();
  }

  public void update(Refund refund) {
    int updated =
        tx.update(REFUNDS)
            .set(REFUNDS.STATE, refund.state().name())
            .set(REFUNDS.FAILURE_REASON, refund.failureReason())
            .set(REFUNDS.COMPLETED_AT, Times.toDb(refund.completedAt()))
            .set(REFUNDS.VERSION, refund.version())
            .where(REFUNDS.ID.eq(refund.id()))
            .and(REFUNDS.VERSION.eq(refund.version() - 1))
            .execute();
    if (updated != 1) {
      throw new ConcurrentChangeException(
          "REFUND_CHANGED_CONCURRENTLY", "refund " + refund.id() + " was changed by another call", Map.of("refundId", refund.id().toString()));
    }
  }

  public Optional<Refund> find(UUID refundId) {
    return tx.selectFrom(REFUNDS).where(REFUNDS.ID.eq(refundId)).fetchOptional(RefundRepository::toRefund);
  }

  /** The refunds of each of these orders, oldest first. */
  public Map<UUID, List<Refund>> forOrders(Collection<UUID> orderIds) {
    Map<UUID, List<Refund>> refunds = new HashMap<>();
    for (Refund refund :
        tx.selectFrom(REFUNDS)
            .where(REFUNDS.ORDER_ID.in(orderIds))
            .orderBy(REFUNDS.ORDER_ID, REFUNDS.CREATED_AT, REFUNDS.ID)
            .fetch(RefundRepository::toRefund)) {
      refunds.computeIfAbsent(refund.orderId(), id -> new ArrayList<>()).add(refund);
    }
    return refunds;
  }

  public Optional<Refund> findForCancellation(UUID cancellationRequestId) {
    return tx.selectFrom(REFUNDS)
        .where(REFUNDS.CANCELLATION_REQUEST_ID.eq(cancellationRequestId))
        .fetchOptional(RefundRepository::toRefund);
  }

  /** The refund an accepted modification initiated, if any (at most one: the unique key on modification_id). */
  public Optional<Refund> findForModification(UUID modificationId) {
    return tx.selectFrom(REFUNDS).where(REFUNDS.MODIFICATION_ID.eq(modificationId)).fetchOptional(RefundRepository::toRefund);
  }

  /** The refund a dispute's resolution issued, if any (at most one: the unique key on dispute_id). */
  public Optional<Refund> findForDispute(UUID disputeId) {
    return tx.selectFrom(REFUNDS).where(REFUNDS.DISPUTE_ID.eq(disputeId)).fetchOptional(RefundRepository::toRefund);
  }

  /** The refund a return's receipt issued, if any (at most one: the unique key on return_id). */
  public Optional<Refund> findForReturn(UUID returnId) {
    return tx.selectFrom(REFUNDS).where(REFUNDS.RETURN_ID.eq(returnId)).fetchOptional(RefundRepository::toRefund);
  }

  private static void copyMutableColumns(Refund refund, RefundsRecord row) {
    row.setState(refund.state().name());
    row.setFailureReason(refund.failureReason());
    row.setCompletedAt(Times.toDb(refund.completedAt()));
    row.setVersion(refund.version());
  }

  private static Refund toRefund(RefundsRecord row) {
    RefundKind kind = RefundKind.valueOf(row.getKind());
    return new Refund(
        row.getId(),
        row.getOrderId(),
        kind,
        switch (kind) {
          case CANCELLATION -> row.getCancellationRequestId();
          case MODIFICATION -> row.getModificationId();
          case DISPUTE -> row.getDisputeId();
          case SUPPORT -> row.getSupportCaseId();
          case PARTIAL -> row.getCancellationRequestId();
          case RETURN -> row.getReturnId();
        },
        new Money(row.getCurrencyCode(), row.getAmountMinor()),
        PaymentMethod.valueOf(row.getPaymentMethod()),
        RefundState.valueOf(row.getState()),
        new RefundWindow(row.getBusinessDaysMin(), row.getBusinessDaysMax()),
        Times.fromDb(row.getExpectedEarliestAt()),
        Times.fromDb(row.getExpectedLatestAt()),
        row.getFailureReason(),
        Times.fromDb(row.getCreatedAt()),
        Times.fromDb(row.getCompletedAt()),
        row.getVersion());
  }
}
