package dev.marketplace.orders.client;

import io.grpc.StatusRuntimeException;
import java.util.Optional;
import java.util.Set;

/**
 * A support-case step the rules refuse right now, with what an app or an agent's tool needs to
 * explain it: {@link #reason()} says which rule, {@link #caseId()} and {@link #reference()} the case
 * concerned.
 *
 * <table>
 *   <caption>reasons</caption>
 *   <tr><td>{@code SUPPORT_CASE_ALREADY_OPEN}</td><td>the order already has an open case of that kind by that party ({@link #caseId()}, {@link #reference()}, {@link #orderId()}): quote it instead</td></tr>
 *   <tr><td>{@code SUPPORT_CASE_IS_DISPUTE}</td><td>an escalated dispute's case: decide the dispute ({@link #disputeId()}) with {@link OrdersClient#resolveDispute}, which resolves its case</td></tr>
 *   <tr><td>{@code SUPPORT_CASE_STATE_CONFLICT}</td><td>the step does not apply in the case's state, typically already resolved ({@link #caseState()})</td></tr>
 * </table>
 *
 * <p>A refund beyond what the order can still refund ({@code REFUND_EXCEEDS_REFUNDABLE}) is a plain
 * {@link FailedPreconditionException}; an order with nothing left to refund ({@code
 * NOTHING_REFUNDABLE}, the same fact a dispute is refused for) a {@link DisputeNotAllowedException};
 * both are {@link FailedPreconditionException}s. An unknown case ({@code SUPPORT_CASE_NOT_FOUND}) is a
 * {@link NotFoundException}.
 */
public final class SupportCaseNotAllowedException extends FailedPreconditionException {

  private static final long serialVersionUID = 1L;

  /** The ErrorInfo reasons this exception stands for. */
  public static final Set<String> REASONS =
      Set.of("SUPPORT_CASE_ALREADY_OPEN", "SUPPORT_CASE_IS_DISPUTE", "SUPPORT_CASE_STATE_CONFLICT");

  /** Wraps {@code cause}; {@link OrdersException#from} picks this type by status code and reason. */
  public SupportCaseNotAllowedException(StatusRuntimeException cause) {
    super(cause);
  }

  /** The case concerned: the open one for {@code SUPPORT_CASE_ALREADY_OPEN}. */
  public Optional<String> caseId() {
    return Optional.ofNullable(metadata().get("caseId"));
  }

  /** The case's reference (SC-...), for {@code SUPPORT_CASE_ALREADY_OPEN} and {@code SUPPORT_CASE_STATE_CONFLICT}. */
  public Optional<String> reference() {
    return Optional.ofNullable(metadata().get("reference"));
  }

  /** The order the case is about, for {@code SUPPORT_CASE_ALREADY_OPEN} and {@code SUPPORT_CASE_STATE_CONFLICT}. */
  public Optional<String> orderId() {
    return Optional.ofNullable(metadata().get("orderId"));
  }

  /** The case's state, for {@code SUPPORT_CASE_STATE_CONFLICT}, e.g. {@code RESOLVED}. */
  public Optional<String> caseState() {
    return Optional.ofNullable(metadata().get("caseState"));
  }

  /** The escalated dispute to decide instead, for {@code SUPPORT_CASE_IS_DISPUTE}. */
  public Optional<String> disputeId() {
    return Optional.ofNullable(metadata().get("disputeId"));
  }
}
