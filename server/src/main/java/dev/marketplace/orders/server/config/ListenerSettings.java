package dev.marketplace.orders.server.config;

import dev.marketplace.orders.server.config.ServerConfig.Setting;
import java.time.Duration;
import java.util.List;

/** Where the gRPC port listens, and how long a stopping server lets in-flight calls finish. */
public record ListenerSettings(int port, String bindAddress, Duration shutdownGrace) {

  // The port gRPC examples and tools assume.
  static final Setting PORT = new Setting("ORDERS_PORT", "50051", "gRPC port");
  // All interfaces, as a server in a container or VM expects; set 127.0.0.1 to keep it local.
  static final Setting BIND_ADDRESS = new Setting("ORDERS_BIND_ADDRESS", "0.0.0.0", "address to listen on");
  // Load balancers give a draining instance about 30 s; finish in-flight calls well inside that.
  static final Setting SHUTDOWN_GRACE = new Setting("ORDERS_SHUTDOWN_GRACE", "PT20S", "time in-flight calls get to finish on SIGTERM (ISO-8601)");

  static final List<Setting> SETTINGS = List.of(PORT, BIND_ADDRESS, SHUTDOWN_GRACE);

  static ListenerSettings read(SettingsReader settings) {
    return new ListenerSettings(
        settings.integer(PORT, 0, 65535), settings.address(BIND_ADDRESS), settings.duration(SHUTDOWN_GRACE));
  }
}
