package dev.marketplace.orders.client;

import io.grpc.StatusRuntimeException;
import java.util.Optional;
import java.util.Set;

/**
 * A return step the rules refuse right now, with what an app needs to explain it: {@link #reason()}
 * says which rule.
 *
 * <table>
 *   <caption>reasons</caption>
 *   <tr><td>{@code ORDER_NOT_RETURNABLE}</td><td>the order is not DELIVERED ({@link #orderState()})</td></tr>
 *   <tr><td>{@code RETURN_WINDOW_CLOSED}</td><td>delivered longer ago than the return window ({@link #windowEnd()})</td></tr>
 *   <tr><td>{@code RETURN_ALREADY_OPEN}</td><td>the order has an open return ({@link #returnId()})</td></tr>
 *   <tr><td>{@code RETURN_EXCEEDS_REMAINING}</td><td>more units than the buyer still keeps on a line ({@link #remainingQuantity()})</td></tr>
 *   <tr><td>{@code NOTHING_TO_RETURN}</td><td>a dispute's "return and refund" on an order with no units left</td></tr>
 *   <tr><td>{@code RETURN_STATE_CONFLICT}</td><td>the step does not apply in the return's state ({@link #returnState()})</td></tr>
 * </table>
 */
public final class ReturnNotAllowedException extends FailedPreconditionException {

  private static final long serialVersionUID = 1L;

  /** The ErrorInfo reasons this exception stands for. */
  public static final Set<String> REASONS =
      Set.of(
          "ORDER_NOT_RETURNABLE",
          "RETURN_WINDOW_CLOSED",
          "RETURN_ALREADY_OPEN",
          "RETURN_EXCEEDS_REMAINING",
          "NOTHING_TO_RETURN",
          "RETURN_STATE_CONFLICT");

  /** Wraps {@code cause}; {@link OrdersException#from} picks this type by status code and reason. */
  public ReturnNotAllowedException(StatusRuntimeException cause) {
    super(cause);
  }

  /** The order's state, for {@code ORDER_NOT_RETURNABLE}. */
  public Optional<String> orderState() {
    return Optional.ofNullable(metadata().get("orderState"));
  }

  /** The return concerned: the open one for {@code RETURN_ALREADY_OPEN}. */
  public Optional<String> returnId() {
    return Optional.ofNullable(metadata().get("returnId"));
  }

  /** The return's state, for {@code RETURN_STATE_CONFLICT} and {@code RETURN_ALREADY_OPEN}. */
  public Optional<String> returnState() {
    return Optional.ofNullable(metadata().get("returnState"));
  }

  /** When the return window closed, for {@code RETURN_WINDOW_CLOSED} (ISO-8601). */
  public Optional<String> windowEnd() {
    return Optional.ofNullable(metadata().get("windowEnd"));
  }

  /** The units the buyer still keeps on the line, for {@code RETURN_EXCEEDS_REMAINING}. */
  public Optional<Integer> remainingQuantity() {
    return Optional.ofNullable(metadata().get("remainingQuantity")).map(Integer::valueOf);
  }
}
