package dev.marketplace.orders.domain.support;

import dev.marketplace.orders.domain.payment.Money;
import java.util.Objects;

/** What support decides on a case (other than an escalated dispute's), with the note both parties see. */
public sealed interface SupportResolution {

  String note();

  SupportAction action();

  /** Cancel the order as a forced cancellation does. */
  record ForceCancellation(String note) implements SupportResolution {
    public ForceCancellation {
      Objects.requireNonNull(note, "note");
    }

    @Override
    public SupportAction action() {
      return SupportAction.FORCE_CANCELLATION;
    }
  }

  /** Refund {@code amount}, or - when it is null - what the order can still refund. */
  record IssueRefund(Money amount, String note) implements SupportResolution {
    public IssueRefund {
      Objects.requireNonNull(note, "note");
    }

    public boolean full() {
      return amount == null;
    }

    @Override
    public SupportAction action() {
      return SupportAction.REFUND;
    }
  }

  /** Nothing to do. */
  record NoAction(String note) implements SupportResolution {
    public NoAction {
      Objects.requireNonNull(note, "note");
    }

    @Override
    public SupportAction action() {
      return SupportAction.NO_ACTION;
    }
  }
}
