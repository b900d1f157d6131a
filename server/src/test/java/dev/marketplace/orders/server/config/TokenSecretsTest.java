package dev.marketplace.orders.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenSecretsTest {

  @Test
  void externalDatabaseWithoutSecret_refusesToStart() {
    ServerConfig config = ServerConfig.from(Map.of("ORDERS_DB_URL", "jdbc:mysql://db/orders"));
    assertThatThrownBy(() -> TokenSecrets.hs256(config)).hasMessageContaining("ORDERS_AUTH_HS256_SECRET");
  }

  @Test
  void embeddedDatabaseWithoutSecret_generatesOneOnceIntoTheDataDirectory(@TempDir Path dir) {
    ServerConfig config = ServerConfig.from(Map.of("ORDERS_DATA_DIR", dir.toString()));
    String first = TokenSecrets.hs256(config).orElseThrow();
    assertThat(first).hasSizeGreaterThanOrEqualTo(32);
    assertThat(TokenSecrets.hs256(config)).contains(first);
    assertThat(TokenSecrets.forMinting(config)).as("what the token command signs with").isEqualTo(first);
  }

  @Test
  void tokenCommandOnADataDirectoryWithoutSecret_refusesAndCreatesNothing(@TempDir Path dir) {
    Path dataDir = dir.resolve("never-served");
    ServerConfig config = ServerConfig.from(Map.of("ORDERS_DATA_DIR", dataDir.toString()));
    assertThatThrownBy(() -> TokenSecrets.forMinting(config))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("no token secret in the data directory " + dataDir.toAbsolutePath())
        .hasMessageContaining("start the server once")
        .hasMessageContaining("--auth-hs256-secret");
    assertThat(dataDir).doesNotExist();
  }

  @Test
  void tokenCommandWithAConfiguredSecret_usesIt_andNeedsNoDataDirectory(@TempDir Path dir) {
    String secret = "configured-secret-0123456789-0123456789";
    ServerConfig config = ServerConfig.from(Map.of("ORDERS_DATA_DIR", dir.resolve("none").toString(), "ORDERS_AUTH_HS256_SECRET", secret));
    assertThat(TokenSecrets.forMinting(config)).isEqualTo(secret);
    assertThat(dir.resolve("none")).doesNotExist();
  }
}
