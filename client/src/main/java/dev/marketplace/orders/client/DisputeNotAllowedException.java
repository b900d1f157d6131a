package dev.marketplace.orders.client;

import io.grpc.StatusRuntimeException;
import java.util.Optional;
import java.util.Set;

/**
 * A dispute step the rules refuse right now, with what an app needs to explain it: {@link #reason()}
 * says which rule.
 *
 * <table>
 *   <caption>reasons</caption>
 *   <tr><td>{@code ORDER_NOT_DISPUTABLE}</td><td>unpaid, cancelled, or awaiting shipment without a rejected cancellation request ({@link #orderState()})</td></tr>
 *   <tr><td>{@code DISPUTE_WINDOW_CLOSED}</td><td>delivered longer ago than the buyer-protection window ({@link #windowEnd()})</td></tr>
 *   <tr><td>{@code DISPUTE_ALREADY_OPEN}</td><td>the order has an open dispute ({@link #disputeId()})</td></tr>
 *   <tr><td>{@code OPEN_REQUEST_FIRST}</td><td>a cancellation request or a modification waits for an answer</td></tr>
 *   <tr><td>{@code NOTHING_REFUNDABLE}</td><td>the order was refunded in full already</td></tr>
 *   <tr><td>{@code DISPUTE_STATE_CONFLICT}</td><td>the step does not apply in the dispute's state ({@link #disputeState()})</td></tr>
 *   <tr><td>{@code DISPUTE_ESCALATION_TOO_EARLY}</td><td>escalation opens later ({@link #escalableFrom()}, and {@link #retryDelay()})</td></tr>
 * </table>
 *
 * <p>An amount beyond what the order can still refund is {@code REFUND_EXCEEDS_REFUNDABLE}, a plain
 * {@link FailedPreconditionException}.
 */
public final class DisputeNotAllowedException extends FailedPreconditionException {

  private static final long serialVersionUID = 1L;

  /** The ErrorInfo reasons this exception stands for. */
  public static final Set<String> REASONS =
      Set.of(
          "ORDER_NOT_DISPUTABLE",
          "DISPUTE_WINDOW_CLOSED",
          "DISPUTE_ALREADY_OPEN",
          "OPEN_REQUEST_FIRST",
          "NOTHING_REFUNDABLE",
          "DISPUTE_STATE_CONFLICT",
          "DISPUTE_ESCALATION_TOO_EARLY");

  /** Wraps {@code cause}; {@link OrdersException#from} picks this type by status code and reason. */
  public DisputeNotAllowedException(StatusRuntimeException cause) {
    super(cause);
  }

  /** The order's state, for {@code ORDER_NOT_DISPUTABLE}. */
  public Optional<String> orderState() {
    return Optional.ofNullable(metadata().get("orderState"));
  }

  /** The dispute concerned: the open one for {@code DISPUTE_ALREADY_OPEN}. */
  public Optional<String> disputeId() {
    return Optional.ofNullable(metadata().get("disputeId"));
  }

  /** The dispute's state, for {@code DISPUTE_STATE_CONFLICT}. */
  public Optional<String> disputeState() {
    return Optional.ofNullable(metadata().get("disputeState"));
  }

  /** When the buyer-protection window closed, for {@code DISPUTE_WINDOW_CLOSED} (ISO-8601). */
  public Optional<String> windowEnd() {
    return Optional.ofNullable(metadata().get("windowEnd"));
  }

  /** From when either party may escalate, for {@code DISPUTE_ESCALATION_TOO_EARLY} (ISO-8601). */
  public Optional<String> escalableFrom() {
    return Optional.ofNullable(metadata().get("escalableFrom"));
  }
}
