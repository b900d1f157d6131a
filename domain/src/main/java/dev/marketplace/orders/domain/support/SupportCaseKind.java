package dev.marketplace.orders.domain.support;

/** What a support case is about. */
public enum SupportCaseKind {
  /** The order was not cancelled (or not refunded) although it should have been. */
  CANCELLATION_NOT_PROCESSED,
  /** The seller rejected the buyer's cancellation request. */
  CANCELLATION_REJECTED,
  /** The parties disagree about a modification request. */
  MODIFICATION_DISPUTE,
  /** Something else. */
  OTHER,
  /** A dispute was escalated: opened by the platform, decided through the dispute. */
  ESCALATED_DISPUTE;

  /** Whether a buyer or a seller may open a case of this kind (the platform opens the escalated-dispute ones). */
  public boolean openedByParties() {
    return this != ESCALATED_DISPUTE;
  }
}
