package dev.marketplace.orders.domain.cancellation;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.order.CancellationReason;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** A request is PENDING until exactly one of approve, reject, withdraw or the deadline resolves it. */
class CancellationRequestTest {

  private static final Instant OPENED = Instant.parse("2026-11-26T10:15:30.123456Z");
  private static final Instant RESPOND_BY = OPENED.plus(Duration.ofHours(72));
  private static final Instant ANSWERED = OPENED.plus(Duration.ofHours(5));

  private static final Map<String, UnaryOperator<CancellationRequest>> RESOLUTIONS =
      Map.of(
          "approve", r -> r.approve("seller-1", Role.SELLER, ANSWERED),
          "reject", r -> r.reject(RejectionReason.ALREADY_PREPARED_OR_CUSTOMISED, "engraved already", "seller-1", Role.SELLER, ANSWERED),
          "withdraw", r -> r.withdraw("buyer-1", Role.BUYER, ANSWERED),
          "autoApprove", r -> r.autoApprove(RESPOND_BY));

  private final CancellationRequest pending =
      CancellationRequest.open(
          UUID.randomUUID(), "CR-ABCDEFGHJK", UUID.randomUUID(), "buyer-1", "seller-1", CancellationReason.OTHER,
          "gift no longer needed", OPENED, RESPOND_BY);

  @Test
  void opened_isPendingAtVersionOne_unresolved() {
    assertThat(pending.state()).isEqualTo(CancellationRequestState.PENDING);
    assertThat(pending.version()).isEqualTo(1);
    assertThat(pending.createdAt()).isEqualTo(OPENED);
    assertThat(pending.respondBy()).isEqualTo(RESPOND_BY);
    assertThat(pending.resolvedAt()).isNull();
    assertThat(pending.resolvedBySubject()).isNull();
    assertThat(pending.rejectionReason()).isNull();
  }

  @Test
  void sellerApproves_pendingBecomesApprovedBySeller() {
    CancellationRequest approved = pending.approve("seller-1", Role.SELLER, ANSWERED);

    assertThat(approved.state()).isEqualTo(CancellationRequestState.APPROVED);
    assertThat(approved.resolvedBySubject()).isEqualTo("seller-1");
    assertThat(approved.resolvedByRole()).isEqualTo(Role.SELLER);
    assertThat(approved.resolvedAt()).isEqualTo(ANSWERED);
    assertThat(approved.version()).isEqualTo(2);
    assertThat(approved)
        .usingRecursiveComparison()
        .comparingOnlyFields("id", "reference", "orderId", "buyerId", "sellerId", "reason", "explanation", "respondBy", "createdAt")
        .isEqualTo(pending);
  }

  @Test
  void sellerRejects_withReasonAndNote() {
    CancellationRequest rejected =
        pending.reject(RejectionReason.ALREADY_PREPARED_OR_CUSTOMISED, "engraved already", "seller-1", Role.SELLER, ANSWERED);

    assertThat(rejected.state()).isEqualTo(CancellationRequestState.REJECTED);
    assertThat(rejected.rejectionReason()).isEqualTo(RejectionReason.ALREADY_PREPARED_OR_CUSTOMISED);
    assertThat(rejected.rejectionNote()).isEqualTo("engraved already");
    assertThat(rejected.resolvedBySubject()).isEqualTo("seller-1");
    assertThat(rejected.resolvedAt()).isEqualTo(ANSWERED);
    assertThat(rejected.version()).isEqualTo(2);
  }

  @Test
  void buyerWithdraws() {
    CancellationRequest withdrawn = pending.withdraw("buyer-1", Role.BUYER, ANSWERED);

    assertThat(withdrawn.state()).isEqualTo(CancellationRequestState.WITHDRAWN);
    assertThat(withdrawn.resolvedBySubject()).isEqualTo("buyer-1");
    assertThat(withdrawn.resolvedByRole()).isEqualTo(Role.BUYER);
    assertThat(withdrawn.version()).isEqualTo(2);
  }

  @Test
  void deadline_approvesOnThePlatformsBehalf() {
    CancellationRequest auto = pending.autoApprove(RESPOND_BY);

    assertThat(auto.state()).isEqualTo(CancellationRequestState.AUTO_APPROVED);
    assertThat(auto.resolvedBySubject()).isEqualTo("platform");
    assertThat(auto.resolvedByRole()).isEqualTo(Role.SYSTEM);
    assertThat(auto.resolvedAt()).isEqualTo(RESPOND_BY);
    assertThat(auto.version()).isEqualTo(2);
  }

  @Test
  void everyResolutionOfAnAlreadyResolvedRequest_isRefusedAsNotPending() {
    for (Map.Entry<String, UnaryOperator<CancellationRequest>> first : RESOLUTIONS.entrySet()) {
      CancellationRequest resolved = first.getValue().apply(pending);
      for (Map.Entry<String, UnaryOperator<CancellationRequest>> second : RESOLUTIONS.entrySet()) {
        StateConflictException refused = thrown(StateConflictException.class, () -> second.getValue().apply(resolved));

        assertThat(refused.reason()).as("%s after %s", second.getKey(), first.getKey()).isEqualTo("CANCELLATION_REQUEST_NOT_PENDING");
        assertThat(refused.metadata())
            .containsEntry("requestState", resolved.state().name())
            .containsEntry("cancellationRequestId", pending.id().toString())
            .containsEntry("orderId", pending.orderId().toString());
        assertThat(refused.subject()).isEqualTo("cancellationRequests/" + pending.id());
      }
    }
  }

  @Test
  void isDue_fromExactlyRespondBy_notOneMicrosecondBefore() {
    assertThat(pending.isDue(RESPOND_BY.minus(1, ChronoUnit.MICROS))).isFalse();
    assertThat(pending.isDue(RESPOND_BY)).isTrue();
    assertThat(pending.isDue(RESPOND_BY.plus(Duration.ofDays(30)))).isTrue();
  }

  @Test
  void aResolvedRequest_isNeverDue() {
    for (UnaryOperator<CancellationRequest> resolution : RESOLUTIONS.values()) {
      assertThat(resolution.apply(pending).isDue(RESPOND_BY.plusSeconds(1))).isFalse();
    }
  }
}
