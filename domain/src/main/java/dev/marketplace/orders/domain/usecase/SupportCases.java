package dev.marketplace.orders.domain.usecase;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.error.AccessDeniedException;
import dev.marketplace.orders.domain.error.FieldViolation;
import dev.marketplace.orders.domain.error.InvalidRequestException;
import dev.marketplace.orders.domain.error.NotFoundException;
import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.idempotency.IdempotencyKey;
import dev.marketplace.orders.domain.idempotency.ResponseFormat;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.persistence.UnitOfWork;
import dev.marketplace.orders.domain.support.NewSupportCase;
import dev.marketplace.orders.domain.support.SupportCase;
import dev.marketplace.orders.domain.support.SupportCaseCursor;
import dev.marketplace.orders.domain.support.SupportCaseKind;
import dev.marketplace.orders.domain.support.SupportCasePage;
import dev.marketplace.orders.domain.support.SupportCaseQuery;
import dev.marketplace.orders.domain.support.SupportCaseRules;
import dev.marketplace.orders.domain.support.SupportCaseState;
import dev.marketplace.orders.domain.support.SupportCaseView;
import dev.marketplace.orders.domain.support.SupportResolution;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The support use cases: a buyer or a seller opens a case about an order (the service checks the
 * facts it holds and records what it found), support lists the queue oldest first, assigns cases and
 * resolves them - forcing the cancellation, issuing a refund, or taking no action. Escalated disputes
 * join the queue by themselves ({@link DisputeEffects}) and are decided through the dispute. Each
 * call is one transaction; a change locks the order's row first, then the case's.
 */
public final class SupportCases {

  private final Transactor transactor;
  private final Clock clock;
  private final DeadlineExpiry expiry;
  private final SupportCaseEffects effects;

  public SupportCases(Transactor transactor, Clock clock, DeadlineExpiry expiry, SupportCaseEffects effects) {
    this.transactor = transactor;
    this.clock = clock;
    this.expiry = expiry;
    this.effects = effects;
  }

  /**
   * The order's buyer or seller opens a case. The order's deadlines are settled first, so the finding
   * describes the order as it really stands (a request the seller let lapse is approved on the way).
   */
  public <T> T open(Principal caller, IdempotencyKey key, NewSupportCase request, ResponseFormat<SupportCaseView, T> format) {
    List<FieldViolation> problems = SupportCaseRules.problems(request);
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
    return transactor.inIdempotentTransaction(
        key,
        format,
        uow -> {
          Instant now = now();
          Order locked = VisibleOrders.lock(uow, caller, request.orderId());
          if (caller.role() != Role.BUYER && caller.role() != Role.SELLER) {
            throw new AccessDeniedException(
                "ROLE_NOT_ALLOWED", "only the order's buyer or seller opens a support case", Map.of("orderId", locked.id().toString()));
          }
          Order order = expiry.settleLocked(uow, locked, now).order();
          CaseFindings.Facts facts = CaseFindings.check(uow, order, request);
          return effects.open(uow, order, request, facts, caller, now);
        });
  }

  public SupportCaseView get(Principal caller, UUID caseId) {
    return transactor.inTransaction(uow -> view(uow, visible(caller, uow.supportCases().find(caseId), caseId.toString())));
  }

  /** A case by the reference its buyer or seller quotes (already normalized). */
  public SupportCaseView getByReference(Principal caller, String reference) {
    return transactor.inTransaction(uow -> view(uow, visible(caller, uow.supportCases().findByReference(reference), reference)));
  }

  /** The queue, oldest first. Support only. */
  public SupportCasePage list(Principal caller, SupportCaseQuery query) {
    requireSupport(caller, "lists support cases");
    return transactor.inTransaction(
        uow -> {
          List<SupportCase> rows = uow.supportCases().page(query, query.pageSize() + 1);
          return KeysetPages.of(rows, query.pageSize(), c -> view(uow, c), SupportCaseCursor::after, SupportCasePage::new);
        });
  }

  /** Support assigns a case not yet resolved to {@code assignee} (the caller when empty). */
  public <T> T assign(
      Principal caller, IdempotencyKey key, UUID caseId, Optional<String> assignee, String note, ResponseFormat<SupportCaseView, T> format) {
    requireSupport(caller, "assigns support cases");
    return step(
        caller, key, caseId, format,
        (uow, order, supportCase, now) -> {
          if (!supportCase.state().isOpen()) {
            throw supportCase.wrongState(Set.of(SupportCaseState.OPEN, SupportCaseState.ASSIGNED));
          }
          return effects.assign(uow, order, supportCase, caller, assignee.orElse(caller.subject()), note, now);
        });
  }

  /** Support resolves a case not yet resolved (an escalated dispute's is decided through the dispute). */
  public <T> T resolve(
      Principal caller, IdempotencyKey key, UUID caseId, SupportResolution resolution, ResponseFormat<SupportCaseView, T> format) {
    requireSupport(caller, "resolves support cases");
    return step(
        caller, key, caseId, format,
        (uow, order, supportCase, now) -> {
          if (!supportCase.state().isOpen()) {
            throw supportCase.wrongState(Set.of(SupportCaseState.OPEN, SupportCaseState.ASSIGNED));
          }
          if (supportCase.kind() == SupportCaseKind.ESCALATED_DISPUTE) {
            throw new StateConflictException(
                "SUPPORT_CASE_IS_DISPUTE",
                "case " + supportCase.reference() + " is dispute " + supportCase.disputeId() + ": decide it with ResolveDispute",
                Map.of("caseId", supportCase.id().toString(), "disputeId", supportCase.disputeId().toString()),
                "support-cases/" + supportCase.id(),
                "SUPPORT_CASE_KIND",
                null);
          }
          DeadlineExpiry.Settled settled = expiry.settleLocked(uow, order, now);
          return effects.resolve(uow, settled.order(), settled.pending(), supportCase, caller, resolution, now);
        });
  }

  private interface Step {
    SupportCaseView apply(UnitOfWork uow, Order order, SupportCase supportCase, Instant now);
  }

  /** Locks the case's order, then the case. */
  private <T> T step(Principal caller, IdempotencyKey key, UUID caseId, ResponseFormat<SupportCaseView, T> format, Step step) {
    return transactor.inIdempotentTransaction(
        key,
        format,
        uow -> {
          Instant now = now();
          UUID orderId = visible(caller, uow.supportCases().find(caseId), caseId.toString()).orderId();
          Order order = VisibleOrders.lock(uow, caller, orderId);
          SupportCase locked = uow.supportCases().lockForUpdate(caseId).orElseThrow(() -> notFound(caseId.toString()));
          return step.apply(uow, order, locked, now);
        });
  }

  private static void requireSupport(Principal caller, String what) {
    if (caller.role() != Role.SUPPORT) {
      throw new AccessDeniedException("ROLE_NOT_ALLOWED", "only support " + what, Map.of());
    }
  }

  private static SupportCase visible(Principal caller, Optional<SupportCase> found, String asked) {
    return found.filter(c -> c.isVisibleTo(caller)).orElseThrow(() -> notFound(asked));
  }

  private static SupportCaseView view(UnitOfWork uow, SupportCase supportCase) {
    return new SupportCaseView(supportCase, SupportCaseEffects.refund(uow, supportCase));
  }

  private static NotFoundException notFound(String asked) {
    return new NotFoundException("SUPPORT_CASE_NOT_FOUND", "support case " + asked + " not found", Map.of("case", asked));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
