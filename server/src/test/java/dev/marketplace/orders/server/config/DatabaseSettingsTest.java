package dev.marketplace.orders.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {

  @Test
  void defaults_theEmbeddedDatabaseInDotOrdersData_tenConnections_noStatementLog() {
    DatabaseSettings database = Concerns.defaults(DatabaseSettings::read);

    assertThat(database)
        .isEqualTo(new DatabaseSettings(Optional.empty(), "root", "", 10, Path.of(".orders-data"), Optional.empty()));
    assertThat(database.embedded()).isTrue();
  }

  @Test
  void everySettingMaps_andAUrlMeansTheExternalDatabase() {
    DatabaseSettings database =
        Concerns.read(
            DatabaseSettings::read,
            Map.of(
                "ORDERS_DB_URL", "jdbc:mysql://db:3306/orders",
                "ORDERS_DB_USER", "orders",
                "ORDERS_DB_PASSWORD", "pw",
                "ORDERS_DB_POOL_SIZE", "7",
                "ORDERS_DATA_DIR", "/var/lib/orders",
                "ORDERS_STATEMENT_LOG", "/tmp/orders-statements.jsonl"));

    assertThat(database)
        .isEqualTo(
            new DatabaseSettings(
                Optional.of("jdbc:mysql://db:3306/orders"),
                "orders",
                "pw",
                7,
                Path.of("/var/lib/orders"),
                Optional.of(Path.of("/tmp/orders-statements.jsonl"))));
    assertThat(database.embedded()).isFalse();
  }
}
