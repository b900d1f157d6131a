package dev.marketplace.orders.domain.conversation;

/** A machine translation of a message into a reader's language. */
public record Translation(String languageCode, String text) {}
