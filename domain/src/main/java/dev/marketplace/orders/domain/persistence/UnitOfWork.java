package dev.marketplace.orders.domain.persistence;

import java.time.Instant;
import org.jooq.DSLContext;

/** The repositories of one database transaction, all bound to that transaction's own {@link DSLContext}. */
public final class UnitOfWork {

  private final OrderRepository orders;
  private final OrderEventLog events;
  private final OrderEventFeed feed;
  private final IdempotencyStore idempotency;
  private final CancellationRequestRepository cancellations;
  private final RefundRepository refunds;
  private final ConversationRepository conversations;
  private final ModificationRepository modifications;
  private final DisputeRepository disputes;
  private final SupportCaseRepository supportCases;
  private final ReturnRepository returns;
  private final EventRelayStore relays;

  private final DSLContext tx;
  private boolean keepWhenRefused;

  UnitOfWork(DSLContext tx) {
    this.tx = tx;
    this.orders = new OrderRepository(tx);
    this.events = new OrderEventLog(tx, orders);
    this.feed = new OrderEventFeed(tx, orders, events);
    this.idempotency = new IdempotencyStore(tx);
    this.cancellations = new CancellationRequestRepository(tx, orders);
    this.refunds = new RefundRepository(tx, orders);
    this.conversations = new ConversationRepository(tx);
    this.modifications = new ModificationRepository(tx, orders);
    this.disputes = new DisputeRepository(tx, orders);
    this.supportCases = new SupportCaseRepository(tx, orders);
    this.returns = new ReturnRepository(tx, orders);
    this.relays = new EventRelayStore(tx);
  }

  /** The transaction's own context, for this package's tests. */
  DSLContext dsl() {
    return tx;
  }

  public CancellationRequestRepository cancellations() {
    return cancellations;
  }

  public ConversationRepository conversations() {
    return conversations;
  }

  public ModificationRepository modifications() {
    return modifications;
  }

  public DisputeRepository disputes() {
    return disputes;
  }

  public SupportCaseRepository supportCases() {
    return supportCases;
  }

  public ReturnRepository returns() {
    return returns;
  }

  public RefundRepository refunds() {
    return refunds;
  }

  public OrderRepository orders() {
    return orders;
  }

  public OrderEventLog events() {
    return events;
  }

  /** The broker relays' leases and confirmed positions. */
  public EventRelayStore relays() {
    return relays;
  }

  /** The history read as the feed of every order, in position order. */
  public OrderEventFeed feed() {
    return feed;
  }

  /**
   * Deletes at most {@code limit} idempotency records created before {@code cutoff}, oldest first;
   * returns how many. Claiming and replaying stay with {@link Transactor#inIdempotentTransaction}.
   */
  public int deleteIdempotencyRecordsCreatedBefore(Instant cutoff, int limit) {
    return idempotency.deleteCreatedBefore(cutoff, limit);
  }

  /**
   * What this transaction changed so far is not the caller's to take back: it commits even if the
   * call is then refused (the refusal still reaches the caller, and an idempotent call leaves no
   * record). For the platform's own outcomes, such as a deadline that passed, settled on the way.
   */
  public void keepWhenRefused() {
    keepWhenRefused = true;
  }

  boolean keepsWhenRefused() {
    return keepWhenRefused;
  }

  /** Writes what the work left pending (the orders it changed, with their counters); before commit. */
  void flush() {
    orders.flush();
    events.flush();
  }

  IdempotencyStore idempotency() {
    return idempotency;
  }
}
