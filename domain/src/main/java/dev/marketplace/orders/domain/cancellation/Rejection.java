package dev.marketplace.orders.domain.cancellation;

import dev.marketplace.orders.domain.error.FieldViolation;
import dev.marketplace.orders.domain.error.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A seller's rejection of a cancellation request. For {@link RejectionReason#ALREADY_SHIPPED} carrier
 * and tracking number are required (the order becomes SHIPPED with them); for {@link
 * RejectionReason#OTHER} a note is. Those rules are {@link #problems}: the API reports them together
 * with a request's other invalid fields, and a rejection that breaks them is never built.
 */
public record Rejection(
    UUID cancellationRequestId, RejectionReason reason, String note, String carrier, String trackingNumber) {

  public Rejection {
    Objects.requireNonNull(cancellationRequestId, "cancellationRequestId");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(note, "note");
    Objects.requireNonNull(carrier, "carrier");
    Objects.requireNonNull(trackingNumber, "trackingNumber");
    List<FieldViolation> problems = problems(reason, note, carrier, trackingNumber);
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
  }

  /**
   * What a rejection for {@code reason} lacks, each under the field's name in the API; empty when
   * nothing does. A missing reason is the caller's to report: it requires nothing here.
   */
  public static List<FieldViolation> problems(RejectionReason reason, String note, String carrier, String trackingNumber) {
    List<FieldViolation> problems = new ArrayList<>();
    if (reason == RejectionReason.OTHER && note.isBlank()) {
      problems.add(new FieldViolation("note", "required when the rejection reason is OTHER"));
    }
    if (reason == RejectionReason.ALREADY_SHIPPED) {
      if (carrier.isBlank()) {
        problems.add(new FieldViolation("carrier", "required when the rejection reason is ALREADY_SHIPPED"));
      }
      if (trackingNumber.isBlank()) {
        problems.add(new FieldViolation("tracking_number", "required when the rejection reason is ALREADY_SHIPPED"));
      }
    }
    return problems;
  }
}
