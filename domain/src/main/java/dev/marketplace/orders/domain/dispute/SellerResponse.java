package dev.marketplace.orders.domain.dispute;

import dev.marketplace.orders.domain.payment.Money;
import java.util.List;
import java.util.Objects;

/** The seller's answer to a dispute: accept it, offer a partial refund, or reject it with evidence. */
public sealed interface SellerResponse {

  /** The asked refund is issued. */
  record Accept(String note) implements SellerResponse {
    public Accept {
      Objects.requireNonNull(note, "note");
    }
  }

  /** A partial refund of {@code amount} offered to the buyer. */
  record Offer(Money amount, String note) implements SellerResponse {
    public Offer {
      Objects.requireNonNull(amount, "amount");
      Objects.requireNonNull(note, "note");
    }
  }

  /** No refund: the seller's note and evidence. */
  record Reject(String note, List<String> evidenceUris) implements SellerResponse {
    public Reject {
      Objects.requireNonNull(note, "note");
      evidenceUris = List.copyOf(evidenceUris);
    }
  }
}
