package dev.marketplace.orders.domain.conversation;

/** Where a message's language tag came from. */
public enum LanguageSource {
  /** The sender gave it. */
  SENDER,
  /** Detected from the text, above the detector's confidence threshold. */
  DETECTED,
  /** Not known: none given and none detected with confidence. */
  UNKNOWN
}
