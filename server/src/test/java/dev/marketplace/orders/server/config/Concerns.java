package dev.marketplace.orders.server.config;

import java.util.Map;
import java.util.function.Function;

/** Reads one concern's settings from an environment, as ServerConfig does, failing on any problem. */
final class Concerns {

  private Concerns() {}

  static <T> T read(Function<SettingsReader, T> concern, Map<String, String> environment) {
    SettingsReader reader = new SettingsReader(environment);
    T settings = concern.apply(reader);
    reader.throwIfInvalid();
    return settings;
  }

  static <T> T defaults(Function<SettingsReader, T> concern) {
    return read(concern, Map.of());
  }
}
