package dev.marketplace.orders.client;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.testing.TlsTesting;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS with grpc-java's test certificates: server1 is signed by the test CA for {@code *.test.google.fr},
 * so the client dials 127.0.0.1 and verifies that name.
 */
class OrdersClientTlsTest {

  private static final String CERTIFICATE_NAME = "orders.test.google.fr";

  @TempDir Path temp;
  private FakeOrdersServer fake;

  @BeforeEach
  void startTlsFake() throws IOException {
    try (InputStream chain = TlsTesting.loadCert("server1.pem");
        InputStream key = TlsTesting.loadCert("server1.key")) {
      fake = new FakeOrdersServer(TlsServerCredentials.create(chain, key));
    }
  }

  @AfterEach
  void stopFake() throws InterruptedException {
    fake.close();
  }

  @Test
  void tlsTrustingTheServersCa_connects() throws IOException {
    Path ca = temp.resolve("ca.pem");
    try (InputStream pem = TlsTesting.loadCert("ca.pem")) {
      Files.copy(pem, ca);
    }

    try (OrdersClient client =
        OrdersClient.builder().target(fake.target()).tls(ca).overrideAuthority(CERTIFICATE_NAME).build()) {
      assertThat(client.getOrder("o-1").getOrderId()).isEqualTo("o-1");
    }
  }

  @Test
  void tlsWithTheDefaultTrustStore_refusesTheTestCa() {
    try (OrdersClient client =
        OrdersClient.builder().target(fake.target()).tls().overrideAuthority(CERTIFICATE_NAME).maxAttempts(1).build()) {
      UnavailableException e = thrown(UnavailableException.class, () -> client.getOrder("o-1"));

      assertThat(fake.authorizations()).isEmpty();
      assertThat(e.isRetryable()).isTrue();
    }
  }

  @Test
  void plaintextAgainstATlsServer_fails() {
    try (OrdersClient client = OrdersClient.builder().target(fake.target()).plaintext().maxAttempts(1).build()) {
      OrdersException e = thrown(OrdersException.class, () -> client.getOrder("o-1"));

      assertThat(fake.authorizations()).isEmpty();
      assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
    }
  }

  @Test
  void missingTrustFile_isReportedWhenBuilding() {
    Path missing = temp.resolve("missing.pem");

    UncheckedIOException e =
        thrown(UncheckedIOException.class, () -> OrdersClient.builder().target(fake.target()).tls(missing).build());

    assertThat(e).hasMessageContaining("missing.pem");
  }
}
