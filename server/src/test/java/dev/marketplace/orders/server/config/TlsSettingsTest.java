package dev.marketplace.orders.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketplace.orders.server.config.TlsSettings.ClientAuth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsSettingsTest {

  @TempDir Path dir;

  @Test
  void defaults_plaintext() {
    TlsSettings tls = Concerns.defaults(TlsSettings::read);

    assertThat(tls).isEqualTo(new TlsSettings(Optional.empty(), Optional.empty(), Optional.empty(), ClientAuth.NONE));
    assertThat(tls.enabled()).isFalse();
    assertThat(tls.mutual()).isFalse();
  }

  @Test
  void everySettingMaps() throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "c");
    Path key = Files.writeString(dir.resolve("key.pem"), "k");
    Path ca = Files.writeString(dir.resolve("ca.pem"), "ca");

    TlsSettings tls =
        Concerns.read(
            TlsSettings::read,
            Map.of(
                "ORDERS_TLS_CERT_FILE", cert.toString(),
                "ORDERS_TLS_KEY_FILE", key.toString(),
                "ORDERS_TLS_CLIENT_CA_FILE", ca.toString(),
                "ORDERS_TLS_CLIENT_AUTH", "OPTIONAL"));

    assertThat(tls).isEqualTo(new TlsSettings(Optional.of(cert), Optional.of(key), Optional.of(ca), ClientAuth.OPTIONAL));
    assertThat(tls.mutual()).isTrue();
  }

  @Test
  void aClientCaWithoutAMode_requiresClientCertificates() throws Exception {
    Map<String, String> mutual =
        Map.of(
            "ORDERS_TLS_CERT_FILE", Files.writeString(dir.resolve("cert.pem"), "c").toString(),
            "ORDERS_TLS_KEY_FILE", Files.writeString(dir.resolve("key.pem"), "k").toString(),
            "ORDERS_TLS_CLIENT_CA_FILE", Files.writeString(dir.resolve("ca.pem"), "ca").toString());

    assertThat(Concerns.read(TlsSettings::read, mutual).clientAuth()).isEqualTo(ClientAuth.REQUIRE);
  }

  @Test
  void halvesOfAConfiguration_areRefused() throws Exception {
    String cert = Files.writeString(dir.resolve("cert.pem"), "c").toString();

    assertThatThrownBy(() -> Concerns.read(TlsSettings::read, Map.of("ORDERS_TLS_CERT_FILE", cert)))
        .hasMessageContaining("ORDERS_TLS_CERT_FILE and ORDERS_TLS_KEY_FILE go together");
    assertThatThrownBy(() -> Concerns.read(TlsSettings::read, Map.of("ORDERS_TLS_CLIENT_AUTH", "REQUIRE")))
        .hasMessageContaining("ORDERS_TLS_CLIENT_AUTH REQUIRE needs ORDERS_TLS_CLIENT_CA_FILE");
  }
}
