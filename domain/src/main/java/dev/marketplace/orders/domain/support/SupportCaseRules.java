package dev.marketplace.orders.domain.support;

import dev.marketplace.orders.domain.dispute.DisputeRules;
import dev.marketplace.orders.domain.error.FieldViolation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The checks of a case's own fields, every problem at once, with field names as in the API. */
public final class SupportCaseRules {

  /** "SC-" and 10 characters of Crockford's base32, as {@code RequestReferences} makes them. */
  private static final Pattern REFERENCE = Pattern.compile("SC-[0-9A-HJKMNP-TV-Z]{10}");

  /** The longest note (support's reason, an assignment's note). */
  public static final int MAX_NOTE_LENGTH = SupportCase.MAX_NOTE_LENGTH;

  private SupportCaseRules() {}

  public static List<FieldViolation> problems(NewSupportCase request) {
    return problems(
        request.kind(), request.cancellationRequestId().isPresent(), request.modificationId().isPresent(), request.description(),
        request.evidenceUris());
  }

  /** The same checks on the fields one by one; {@code kind} is null when the caller gave none (reported elsewhere). */
  public static List<FieldViolation> problems(
      SupportCaseKind kind, boolean namesCancellationRequest, boolean namesModification, String description, List<String> evidenceUris) {
    List<FieldViolation> problems = new ArrayList<>();
    if (kind != null && !kind.openedByParties()) {
      problems.add(new FieldViolation("kind", "escalated disputes reach support through DisputeService.EscalateDispute"));
    }
    if (kind != null
        && namesCancellationRequest
        && kind != SupportCaseKind.CANCELLATION_NOT_PROCESSED
        && kind != SupportCaseKind.CANCELLATION_REJECTED) {
      problems.add(new FieldViolation("cancellation_request_id", "only for CANCELLATION_NOT_PROCESSED and CANCELLATION_REJECTED"));
    }
    if (kind != null && namesModification && kind != SupportCaseKind.MODIFICATION_DISPUTE) {
      problems.add(new FieldViolation("modification_id", "only for MODIFICATION_DISPUTE"));
    }
    if (description.isBlank()) {
      problems.add(new FieldViolation("description", "required: what happened and what you expect"));
    } else if (description.codePointCount(0, description.length()) > SupportCase.MAX_DESCRIPTION_LENGTH) {
      problems.add(new FieldViolation("description", "at most " + SupportCase.MAX_DESCRIPTION_LENGTH + " characters"));
    }
    problems.addAll(DisputeRules.evidenceProblems("evidence_uris", evidenceUris));
    return problems;
  }

  /** The problem of support's note: required, at most {@link SupportCase#MAX_NOTE_LENGTH} characters. */
  public static Optional<FieldViolation> noteProblem(String field, String note, boolean required) {
    if (required && note.isBlank()) {
      return Optional.of(new FieldViolation(field, "required: support's reason, which both parties see"));
    }
    if (note.codePointCount(0, note.length()) > SupportCase.MAX_NOTE_LENGTH) {
      return Optional.of(new FieldViolation(field, "at most " + SupportCase.MAX_NOTE_LENGTH + " characters"));
    }
    return Optional.empty();
  }

  /**
   * A reference as a buyer quotes it, in any letter case, or empty if it cannot be one. Like every
   * identifier, it is refused rather than trimmed when it carries anything else (spaces included).
   */
  public static Optional<String> normalizedReference(String quoted) {
    String reference = quoted.toUpperCase(Locale.ROOT);
    return REFERENCE.matcher(reference).matches() ? Optional.of(reference) : Optional.empty();
  }
}
