package dev.marketplace.orders.domain.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.error.FieldViolation;
import dev.marketplace.orders.domain.error.StateConflictException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A support case's rules without a database: its transitions, its open slot, its fields and references. */
class SupportCaseTest {

  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  private static SupportCase opened(SupportCaseKind kind, Role by) {
    return SupportCase.open(
        UUID.randomUUID(), "SC-0123456789", UUID.randomUUID(), "buyer-1", "seller-1", kind, by == Role.SYSTEM ? "platform" : "party", by,
        null, null, kind == SupportCaseKind.ESCALATED_DISPUTE ? UUID.randomUUID() : null, "help", List.of(), SupportFinding.NOT_CHECKED,
        "nothing checked", NOW);
  }

  @Test
  void aCaseIsOpen_thenAssigned_thenResolvedOnce() {
    SupportCase open = opened(SupportCaseKind.OTHER, Role.BUYER);
    assertThat(open.state()).isEqualTo(SupportCaseState.OPEN);
    assertThat(open.openSlot()).isEqualTo("OTHER:BUYER");

    SupportCase assigned = open.assign("agent-1", NOW.plusSeconds(1)).assign("agent-2", NOW.plusSeconds(2));
    assertThat(assigned.state()).isEqualTo(SupportCaseState.ASSIGNED);
    assertThat(assigned.assignee()).isEqualTo("agent-2");
    assertThat(assigned.version()).isEqualTo(3);

    SupportCase resolved = assigned.resolve(SupportAction.NO_ACTION, null, "nothing wrong", "agent-2", Role.SUPPORT, NOW.plusSeconds(3));
    assertThat(resolved.state()).isEqualTo(SupportCaseState.RESOLVED);
    assertThat(resolved.openSlot()).as("a resolved case frees its slot").isNull();
    assertThat(resolved.assignee()).isEqualTo("agent-2");
    assertThatThrownBy(() -> resolved.resolve(SupportAction.NO_ACTION, null, "again", "agent-1", Role.SUPPORT, NOW))
        .isInstanceOf(StateConflictException.class)
        .hasMessageContaining("RESOLVED");
    assertThatThrownBy(() -> resolved.assign("agent-1", NOW)).isInstanceOf(StateConflictException.class);
  }

  @Test
  void theOpenSlot_isPerKindAndParty_andOnePerOrderForAnEscalatedDispute() {
    assertThat(opened(SupportCaseKind.OTHER, Role.SELLER).openSlot()).isEqualTo("OTHER:SELLER");
    assertThat(opened(SupportCaseKind.ESCALATED_DISPUTE, Role.SYSTEM).openSlot()).isEqualTo("ESCALATED_DISPUTE");
  }

  @Test
  void fields_everyProblemAtOnce() {
    List<FieldViolation> problems =
        SupportCaseRules.problems(
            new NewSupportCase(
                UUID.randomUUID(), SupportCaseKind.OTHER, Optional.of(UUID.randomUUID()), Optional.of(UUID.randomUUID()), " ",
                List.of("http://plain.example/x")));
    assertThat(problems)
        .extracting(FieldViolation::field)
        .containsExactly("cancellation_request_id", "modification_id", "description", "evidence_uris[0]");
    assertThat(
            SupportCaseRules.problems(
                new NewSupportCase(UUID.randomUUID(), SupportCaseKind.ESCALATED_DISPUTE, Optional.empty(), Optional.empty(), "x", List.of())))
        .extracting(FieldViolation::field)
        .containsExactly("kind");
    assertThat(
            SupportCaseRules.problems(
                new NewSupportCase(
                    UUID.randomUUID(), SupportCaseKind.CANCELLATION_REJECTED, Optional.of(UUID.randomUUID()), Optional.empty(), "x", List.of())))
        .isEmpty();
    assertThat(SupportCaseRules.noteProblem("note", "x".repeat(1001), true)).isPresent();
    assertThat(SupportCaseRules.noteProblem("note", "", false)).isEmpty();
  }

  @Test
  void references_areNormalizedAsQuoted_andAnythingElseIsNoReference() {
    assertThat(SupportCaseRules.normalizedReference("sc-0123456789")).contains("SC-0123456789");
    assertThat(SupportCaseRules.normalizedReference("SC-0123456789 ")).as("refused, not trimmed").isEmpty();
    assertThat(SupportCaseRules.normalizedReference("SC-0123456789")).contains("SC-0123456789");
    assertThat(SupportCaseRules.normalizedReference("SC-012345678")).isEmpty();
    assertThat(SupportCaseRules.normalizedReference("SC-01234567IL")).as("no I, L, O, U in Crockford's base32").isEmpty();
    assertThat(SupportCaseRules.normalizedReference("CR-0123456789")).isEmpty();
  }
}
