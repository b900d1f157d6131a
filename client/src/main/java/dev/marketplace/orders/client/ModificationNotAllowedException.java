package dev.marketplace.orders.client;

import io.grpc.StatusRuntimeException;
import java.util.Optional;
import java.util.Set;

/**
 * A modification the rules refuse right now, with what an app needs to explain it: {@link #reason()}
 * says which rule; for a paid order's raise, {@link #currentTotalMinor()} and {@link
 * #proposedTotalMinor()} (in {@link #currencyCode()}) show the amounts.
 *
 * <table>
 *   <caption>reasons</caption>
 *   <tr><td>{@code MODIFICATION_RAISES_PAID_TOTAL}</td><td>the order is paid: a change may lower its total or keep it, not raise it</td></tr>
 *   <tr><td>{@code MODIFICATION_CHANGES_NOTHING}</td><td>the order already is like that</td></tr>
 *   <tr><td>{@code MODIFICATION_NOT_OPEN}</td><td>already accepted, declined, withdrawn, expired or closed with the order ({@link #modificationState()})</td></tr>
 *   <tr><td>{@code OPEN_CANCELLATION_REQUEST}</td><td>a cancellation request waits for the seller ({@link #openCancellationRequestId()})</td></tr>
 * </table>
 *
 * <p>Refusals by the order's state ({@code ORDER_ALREADY_SHIPPED}, {@code ORDER_ALREADY_CANCELLED},
 * {@code PAYMENT_VERIFICATION_IN_PROGRESS}) and because another modification waits ({@code
 * OPEN_MODIFICATION_REQUEST}) are the same as a cancel's and arrive as {@link
 * CancellationNotAllowedException}; both are {@link FailedPreconditionException}s.
 */
public final class ModificationNotAllowedException extends FailedPreconditionException {

  private static final long serialVersionUID = 1L;

  /** The ErrorInfo reasons this exception stands for. */
  public static final Set<String> REASONS =
      Set.of("MODIFICATION_RAISES_PAID_TOTAL", "MODIFICATION_CHANGES_NOTHING", "MODIFICATION_NOT_OPEN", "OPEN_CANCELLATION_REQUEST");

  /** Wraps {@code cause}; {@link OrdersException#from} picks this type by status code and reason. */
  public ModificationNotAllowedException(StatusRuntimeException cause) {
    super(cause);
  }

  /** The order's total now, in minor units, for {@code MODIFICATION_RAISES_PAID_TOTAL}. */
  public Optional<Long> currentTotalMinor() {
    return Optional.ofNullable(metadata().get("currentTotal")).map(Long::parseLong);
  }

  /** The total the change would give, in minor units, for {@code MODIFICATION_RAISES_PAID_TOTAL}. */
  public Optional<Long> proposedTotalMinor() {
    return Optional.ofNullable(metadata().get("proposedTotal")).map(Long::parseLong);
  }

  /** The currency of the totals. */
  public Optional<String> currencyCode() {
    return Optional.ofNullable(metadata().get("currencyCode"));
  }

  /** The modification's state, for {@code MODIFICATION_NOT_OPEN}, e.g. {@code EXPIRED}. */
  public Optional<String> modificationState() {
    return Optional.ofNullable(metadata().get("modificationState"));
  }

  /** The cancellation request waiting for the seller, for {@code OPEN_CANCELLATION_REQUEST}. */
  public Optional<String> openCancellationRequestId() {
    return Optional.ofNullable(metadata().get("cancellationRequestId"));
  }
}
