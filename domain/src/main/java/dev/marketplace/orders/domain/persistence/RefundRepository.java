package dev.marketplace.orders.domain.persistence;

import static dev.marketplace.orders.domain.persistence.jooq.Tables.REFUNDS;

import dev.marketplace.orders.domain.error.ConcurrentChangeException;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.payment.PaymentMethod;
import dev.marketplace.orders.domain.persistence.jooq.tables.records.RefundsRecord;
import dev.marketplace.orders.domain.refund.Refund;
import dev.marketplace.orders.domain.refund.RefundState;
import dev.marketplace.orders.domain.refund.RefundWindow;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;

/** Refunds. The unique key on the cancellation request makes a second refund for one cancellation impossible. */
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
    row.setCancellationRequestId(refund.cancellationRequestId());
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

  /** The order's refund (a cancelled order has at most one today; the newest if there were several). */
  public Optional<Refund> findForOrder(UUID orderId) {
    return tx.selectFrom(REFUNDS)
        .where(REFUNDS.ORDER_ID.eq(orderId))
        .orderBy(REFUNDS.CREATED_AT.desc())
        .limit(1)
        .fetchOptional(RefundRepository::toRefund);
  }

  /** The newest refund of each of these orders. */
  public Map<UUID, Refund> forOrders(Collection<UUID> orderIds) {
    Map<UUID, Refund> refunds = new HashMap<>();
    for (Refund refund :
        tx.selectFrom(REFUNDS).where(REFUNDS.ORDER_ID.in(orderIds)).orderBy(REFUNDS.CREATED_AT).fetch(RefundRepository::toRefund)) {
      refunds.put(refund.orderId(), refund);
    }
    return refunds;
  }

  public Optional<Refund> findForCancellation(UUID cancellationRequestId) {
    return tx.selectFrom(REFUNDS)
        .where(REFUNDS.CANCELLATION_REQUEST_ID.eq(cancellationRequestId))
        .fetchOptional(RefundRepository::toRefund);
  }

  private static void copyMutableColumns(Refund refund, RefundsRecord row) {
    row.setState(refund.state().name());
    row.setFailureReason(refund.failureReason());
    row.setCompletedAt(Times.toDb(refund.completedAt()));
    row.setVersion(refund.version());
  }

  private static Refund toRefund(RefundsRecord row) {
    return new Refund(
        row.getId(),
        row.getOrderId(),
        row.getCancellationRequestId(),
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
