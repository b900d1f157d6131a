package dev.marketplace.orders.domain.feed;

/** Which orders a feed subscription follows. */
public enum FeedScope {
  /** One order; whoever may read it. */
  ORDER,
  /** The orders a buyer bought or a seller sells. */
  MY_ORDERS,
  /** Every order; services with {@link FeedFilter#EVENTS_READ}. */
  ALL_ORDERS
}
