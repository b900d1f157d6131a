package dev.marketplace.orders.client;

import dev.marketplace.orders.v1.CancellationEligibility.Alternative;
import io.grpc.StatusRuntimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A cancel (or a seller's action) the marketplace rules refuse right now, with what an app needs to
 * render the right screen: {@link #reason()} says which rule, {@link #orderState()} the order's state,
 * {@link #alternatives()} what the buyer can do instead, {@link #retryDelay()} when to try again
 * (payment still being verified) and {@link #pendingRequestId()} the request already waiting.
 *
 * <table>
 *   <caption>reasons</caption>
 *   <tr><td>{@code PAYMENT_VERIFICATION_IN_PROGRESS}</td><td>try again after {@link #retryDelay()}</td></tr>
 *   <tr><td>{@code ORDER_ALREADY_SHIPPED}</td><td>show the alternatives: tracking, seller, dispute, return</td></tr>
 *   <tr><td>{@code ORDER_ALREADY_CANCELLED}</td><td>nothing to do</td></tr>
 *   <tr><td>{@code CANCELLATION_REQUEST_PENDING}</td><td>a request already waits for the seller</td></tr>
 *   <tr><td>{@code CANCELLATION_REQUEST_LIMIT_REACHED}</td><td>contact the seller or open a dispute</td></tr>
 *   <tr><td>{@code OPEN_MODIFICATION_REQUEST}</td><td>a modification of the order waits for an answer
 *       ({@link #openModificationId()}): answer or withdraw it first (also for shipping and a second proposal)</td></tr>
 * </table>
 */
public final class CancellationNotAllowedException extends FailedPreconditionException {

  private static final long serialVersionUID = 1L;

  /** The ErrorInfo reasons this exception stands for. */
  public static final Set<String> REASONS =
      Set.of(
          "PAYMENT_VERIFICATION_IN_PROGRESS",
          "ORDER_ALREADY_SHIPPED",
          "ORDER_ALREADY_CANCELLED",
          "CANCELLATION_REQUEST_PENDING",
          "CANCELLATION_REQUEST_LIMIT_REACHED",
          "OPEN_MODIFICATION_REQUEST");

  /** Wraps {@code cause}; {@link OrdersException#from} picks this type by status code and reason. */
  public CancellationNotAllowedException(StatusRuntimeException cause) {
    super(cause);
  }

  /** The order's state when the cancel was refused, e.g. {@code SHIPPED}; "" if not sent. */
  public String orderState() {
    return metadata().getOrDefault("orderState", "");
  }

  /** What the buyer can do instead, in the order the server suggests them. */
  public List<Alternative> alternatives() {
    String listed = metadata().getOrDefault("alternatives", "");
    if (listed.isEmpty()) {
      return List.of();
    }
    return Arrays.stream(listed.split(","))
        .map(name -> {
          try {
            return Alternative.valueOf(name);
          } catch (IllegalArgumentException e) {
            return Alternative.UNRECOGNIZED; // a newer server's alternative this client does not know yet
          }
        })
        .toList();
  }

  /** The request already waiting for the seller, for {@code CANCELLATION_REQUEST_PENDING}. */
  public Optional<String> pendingRequestId() {
    return Optional.ofNullable(metadata().get("cancellationRequestId"));
  }

  /** The modification waiting for an answer, for {@code OPEN_MODIFICATION_REQUEST}. */
  public Optional<String> openModificationId() {
    return Optional.ofNullable(metadata().get("modificationId"));
  }

  /** The pending request's deadline, for {@code CANCELLATION_REQUEST_PENDING}. */
  public Optional<Instant> pendingRequestRespondBy() {
    return Optional.ofNullable(metadata().get("respondBy")).map(Instant::parse);
  }
}
