package dev.marketplace.orders.domain.history;

/** What happened to an order. Names are stable: they are stored and exposed in the API. */
public enum OrderEventType {
  ORDER_CREATED,
  PAYMENT_PROCESSING,
  PAYMENT_CAPTURED,
  PAYMENT_FAILED,
  ORDER_SHIPPED,
  ORDER_DELIVERED,
  CANCELLATION_REQUESTED,
  CANCELLATION_APPROVED,
  CANCELLATION_REJECTED,
  CANCELLATION_WITHDRAWN,
  CANCELLATION_AUTO_APPROVED,
  CANCELLATION_RESOLVED_BY_SUPPORT,
  ORDER_CANCELLED,
  REFUND_INITIATED,
  REFUND_COMPLETED,
  REFUND_FAILED,
  MODIFICATION_PROPOSED,
  MODIFICATION_ACCEPTED,
  MODIFICATION_DECLINED,
  MODIFICATION_WITHDRAWN,
  MODIFICATION_EXPIRED,
  MODIFICATION_CANCELLED_WITH_ORDER,
  /** The order's lines or address changed (an accepted modification); details carry the totals before and after. */
  ORDER_MODIFIED,
  /** The buyer opened a dispute; details carry its id, reason and the refund asked. */
  DISPUTE_OPENED,
  /** The seller accepted the dispute (its refund follows as REFUND_INITIATED). */
  DISPUTE_ACCEPTED_BY_SELLER,
  /** The seller offered a partial refund. */
  DISPUTE_OFFER_MADE,
  /** The seller rejected the dispute. */
  DISPUTE_REJECTED_BY_SELLER,
  /** The buyer accepted the seller's offer (its refund follows as REFUND_INITIATED). */
  DISPUTE_OFFER_ACCEPTED,
  /** A party handed the dispute to support. */
  DISPUTE_ESCALATED,
  /** The parties did not agree by the deadline: the platform handed the dispute to support. */
  DISPUTE_AUTO_ESCALATED,
  /** Support resolved the dispute (full, partial or no refund). */
  DISPUTE_RESOLVED_BY_SUPPORT,
  /** The buyer withdrew the dispute. */
  DISPUTE_WITHDRAWN,
  /** A buyer or a seller opened a support case, or an escalated dispute joined the support queue. */
  SUPPORT_CASE_OPENED,
  /** Support assigned a case to an agent. */
  SUPPORT_CASE_ASSIGNED,
  /** A support case was resolved (the agent and the reason in the details). */
  SUPPORT_CASE_RESOLVED,
  /**
   * Some units were cancelled and the order goes on with the rest (an unpaid order's partial cancel, or
   * a partial request approved); details carry the lines and, per line, ordered, cancelled and remaining units.
   */
  ORDER_PARTIALLY_CANCELLED,
  /** The buyer asked to return units of a delivered order; details carry the return's id, reason and units. */
  RETURN_REQUESTED,
  /** The seller approved the return. */
  RETURN_APPROVED,
  /** The seller did not answer in time: the platform approved the return. */
  RETURN_AUTO_APPROVED,
  /** The seller rejected the return (the buyer may open a dispute). */
  RETURN_REJECTED,
  /** The buyer recorded the return parcel (carrier, tracking number). */
  RETURN_SHIPPED,
  /** The seller confirmed receipt of the returned units (their refund follows as REFUND_INITIATED). */
  RETURN_RECEIVED,
  /** The seller did not confirm receipt in time: the platform accepted the return (its refund follows). */
  RETURN_AUTO_RECEIVED,
  /** The buyer withdrew the return. */
  RETURN_WITHDRAWN,
  /** A dispute resolved with "return and refund" opened an approved return. */
  RETURN_OPENED_BY_DISPUTE
}
