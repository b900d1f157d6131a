package dev.marketplace.orders.server.config;

import dev.marketplace.orders.server.config.ServerConfig.Setting;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * TLS for the gRPC port: off without a certificate (plaintext, for development); with a client CA,
 * mutual TLS, clients presenting certificates.
 */
public record TlsSettings(Optional<Path> certificateFile, Optional<Path> privateKeyFile, Optional<Path> clientCaFile, ClientAuth clientAuth) {

  public enum ClientAuth {
    NONE,
    OPTIONAL,
    REQUIRE
  }

  // Empty: plaintext, as on a developer's laptop; production sets a certificate.
  static final Setting CERT_FILE = new Setting("ORDERS_TLS_CERT_FILE", "", "PEM certificate chain for TLS; empty: plaintext");
  static final Setting KEY_FILE = new Setting("ORDERS_TLS_KEY_FILE", "", "PEM (PKCS#8) private key of that certificate");
  static final Setting CLIENT_CA_FILE = new Setting("ORDERS_TLS_CLIENT_CA_FILE", "", "PEM trust bundle for client certificates (mutual TLS)");
  // Empty: a client CA means client certificates are wanted, so REQUIRE with one, NONE without.
  static final Setting CLIENT_AUTH = new Setting("ORDERS_TLS_CLIENT_AUTH", "", "NONE, OPTIONAL or REQUIRE client certificates; empty: REQUIRE with a client CA, else NONE");

  static final List<Setting> SETTINGS = List.of(CERT_FILE, KEY_FILE, CLIENT_CA_FILE, CLIENT_AUTH);

  static TlsSettings read(SettingsReader settings) {
    Optional<Path> cert = settings.file(CERT_FILE);
    Optional<Path> key = settings.file(KEY_FILE);
    Optional<Path> clientCa = settings.file(CLIENT_CA_FILE);
    if (cert.isPresent() != key.isPresent()) {
      settings.problem(CERT_FILE.env() + " and " + KEY_FILE.env() + " go together");
    }
    if (clientCa.isPresent() && cert.isEmpty()) {
      settings.problem(CLIENT_CA_FILE.env() + " needs " + CERT_FILE.env() + " (mutual TLS is TLS first)");
    }
    String mode = settings.text(CLIENT_AUTH).toUpperCase();
    ClientAuth clientAuth = clientCa.isPresent() ? ClientAuth.REQUIRE : ClientAuth.NONE;
    if (!mode.isEmpty()) {
      try {
        clientAuth = ClientAuth.valueOf(mode);
      } catch (IllegalArgumentException e) {
        settings.problem(CLIENT_AUTH.env() + " must be NONE, OPTIONAL or REQUIRE, was " + mode);
      }
    }
    if (clientAuth != ClientAuth.NONE && clientCa.isEmpty()) {
      settings.problem(CLIENT_AUTH.env() + " " + clientAuth + " needs " + CLIENT_CA_FILE.env());
    }
    return new TlsSettings(cert, key, clientCa, clientAuth);
  }

  public boolean enabled() {
    return certificateFile.isPresent();
  }

  /** Clients may present certificates, checked against the client CA. */
  public boolean mutual() {
    return clientCaFile.isPresent() && clientAuth != ClientAuth.NONE;
  }
}
