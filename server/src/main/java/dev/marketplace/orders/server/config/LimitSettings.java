package dev.marketplace.orders.server.config;

import dev.marketplace.orders.server.config.ServerConfig.Setting;
import java.util.List;

/**
 * How much one caller can ask of the server: the size of a request and its headers (refused by the
 * transport before any handler runs), and how many calls may wait for a handler thread (the threads
 * are as many as the database's connections, {@link DatabaseSettings#poolSize()}).
 */
public record LimitSettings(int maxInboundMessageSize, int maxInboundMetadataSize, int handlerQueueCapacity) {

  // Our largest request (an order of 100 lines) is well under 100 KiB.
  static final Setting MAX_INBOUND_MESSAGE_SIZE = new Setting("ORDERS_MAX_INBOUND_MESSAGE_SIZE", "1048576", "largest request message accepted, in bytes");
  // A bearer token plus tracing headers fit in a few KiB.
  static final Setting MAX_INBOUND_METADATA_SIZE = new Setting("ORDERS_MAX_INBOUND_METADATA_SIZE", "16384", "largest request metadata (headers) accepted, in bytes");
  // Enough to absorb a burst of a few hundred calls; beyond it callers get RESOURCE_EXHAUSTED.
  static final Setting HANDLER_QUEUE_CAPACITY = new Setting("ORDERS_HANDLER_QUEUE_CAPACITY", "256", "calls waiting for a handler thread before new ones are refused");

  static final List<Setting> SETTINGS = List.of(MAX_INBOUND_MESSAGE_SIZE, MAX_INBOUND_METADATA_SIZE, HANDLER_QUEUE_CAPACITY);

  static LimitSettings read(SettingsReader settings) {
    return new LimitSettings(
        settings.integer(MAX_INBOUND_MESSAGE_SIZE, 1024, 64 * 1024 * 1024),
        settings.integer(MAX_INBOUND_METADATA_SIZE, 1024, 1024 * 1024),
        settings.integer(HANDLER_QUEUE_CAPACITY, 0, 100_000));
  }
}
