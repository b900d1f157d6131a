package dev.marketplace.orders.client;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.testing.TestDatabase;
import dev.marketplace.orders.server.OrdersApplication;
import dev.marketplace.orders.server.auth.TokenIssuer;
import dev.marketplace.orders.server.config.ServerConfig;
import dev.marketplace.orders.v1.CreateOrderRequest;
import dev.marketplace.orders.v1.LineItem;
import dev.marketplace.orders.v1.Money;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.ShippingAddress;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client over TLS and mutual TLS against real servers (real MariaDB, real auth) with certificates
 * made here: a CA, a server certificate for localhost / 127.0.0.1, and client certificates for
 * {@code CN=checkout} and {@code CN=intruder}. Three servers: mutual TLS required with service
 * tokens bound to their certificate, the same with client certificates optional, and server-only TLS.
 */
class OrdersClientMutualTlsTest {

  private static final String SECRET = "mtls-secret-mtls-secret-mtls-secret-0123";

  @TempDir static Path pki;

  private static TestCertificates certificates;
  private static TestCertificates.Issued checkoutCertificate;
  private static TestCertificates.Issued intruderCertificate;
  private static TokenIssuer tokens;
  private static OrdersApplication mutualTlsServer;
  private static OrdersApplication optionalCertificateServer;
  private static OrdersApplication tlsServer;

  @BeforeAll
  static void startServers() throws IOException {
    certificates = TestCertificates.newCa(pki, "Orders Test CA");
    TestCertificates.Issued server = certificates.server();
    checkoutCertificate = certificates.client("checkout");
    intruderCertificate = certificates.client("intruder");
    tokens = new TokenIssuer(SECRET, Clock.systemUTC());

    Map<String, String> tls = new HashMap<>();
    tls.put("ORDERS_TLS_CERT_FILE", server.certificateFile().toString());
    tls.put("ORDERS_TLS_KEY_FILE", server.keyFile().toString());
    tlsServer = start(tls);

    Map<String, String> mutualTls = new HashMap<>(tls);
    mutualTls.put("ORDERS_TLS_CLIENT_CA_FILE", certificates.caFile().toString());
    mutualTls.put("ORDERS_TLS_REQUIRE_SERVICE_CLIENT_CERT", "true");
    mutualTlsServer = start(mutualTls);

    Map<String, String> optional = new HashMap<>(mutualTls);
    optional.put("ORDERS_TLS_CLIENT_AUTH", "OPTIONAL");
    optionalCertificateServer = start(optional);
  }

  private static OrdersApplication start(Map<String, String> tls) throws IOException {
    Map<String, String> settings = new HashMap<>(tls);
    settings.putAll(
        Map.of(
            "ORDERS_PORT", "0",
            "ORDERS_BIND_ADDRESS", "127.0.0.1",
            "ORDERS_DB_URL", TestDatabase.createDatabase(),
            "ORDERS_DB_USER", TestDatabase.user(),
            "ORDERS_DB_PASSWORD", TestDatabase.password(),
            "ORDERS_AUTH_HS256_SECRET", SECRET,
            "ORDERS_SHUTDOWN_GRACE", "PT1S"));
    return OrdersApplication.start(ServerConfig.from(settings), Clock.systemUTC());
  }

  @AfterAll
  static void stopServers() {
    for (OrdersApplication app : new OrdersApplication[] {mutualTlsServer, optionalCertificateServer, tlsServer}) {
      if (app != null) {
        app.close();
      }
    }
  }

  // --- mutual TLS required, service tokens bound to the client certificate's CN ---

  @Test
  void checkoutWithItsOwnCertificate_createsAnOrder() {
    try (OrdersClient checkout = mutualTlsClient(mutualTlsServer, checkoutCertificate, refreshingCheckoutToken())) {
      Order order = checkout.createOrder(CreateOrderRequest.newBuilder().setOrder(draft(newBuyer())).build());

      assertThat(order.getState()).isEqualTo(Order.State.AWAITING_PAYMENT);
    }
  }

  @Test
  void checkoutsTokenOverTheIntrudersCertificate_isUnauthenticated() {
    try (OrdersClient intruder = mutualTlsClient(mutualTlsServer, intruderCertificate, checkoutToken())) {
      UnauthenticatedException e =
          thrown(
              UnauthenticatedException.class,
              () -> intruder.createOrder(CreateOrderRequest.newBuilder().setOrder(draft(newBuyer())).build()));

      assertThat(e.reason()).isEqualTo("CLIENT_CERTIFICATE_MISMATCH");
      assertThat(e.isRetryable()).isFalse();
    }
  }

  @Test
  void buyerTokenOverMutualTls_readsItsOrder_whateverTheCertificatesCn() {
    String buyer = newBuyer();
    Order created;
    try (OrdersClient checkout = mutualTlsClient(mutualTlsServer, checkoutCertificate, checkoutToken())) {
      created = checkout.createOrder(CreateOrderRequest.newBuilder().setOrder(draft(buyer)).build());
    }

    // The CN rule binds service accounts only: a buyer's token goes over any trusted certificate.
    try (OrdersClient asBuyer = mutualTlsClient(mutualTlsServer, intruderCertificate, buyerToken(buyer))) {
      assertThat(asBuyer.getOrder(created.getOrderId())).isEqualTo(created);
    }
  }

  @Test
  void tlsClientWithoutACertificate_isRefusedByTheHandshake() {
    try (OrdersClient noCertificate =
        OrdersClient.builder()
            .target(target(mutualTlsServer))
            .tls(certificates.caFile())
            .tokenSupplier(buyerToken(newBuyer()))
            .maxAttempts(1)
            .build()) {
      OrdersException e = thrown(OrdersException.class, noCertificate::listCancellationReasons);

      assertThat(e).isInstanceOf(UnavailableException.class);
      assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
    }
  }

  @Test
  void clientCertificateOfAnotherCa_isRefusedByTheHandshake() {
    TestCertificates otherCa = TestCertificates.newCa(pki, "Other CA");
    TestCertificates.Issued foreignCheckout = otherCa.client("checkout-elsewhere");
    try (OrdersClient foreign =
        OrdersClient.builder()
            .target(target(mutualTlsServer))
            .mutualTls(certificates.caFile(), foreignCheckout.certificateFile(), foreignCheckout.keyFile())
            .tokenSupplier(buyerToken(newBuyer()))
            .maxAttempts(1)
            .build()) {
      OrdersException e = thrown(OrdersException.class, foreign::listCancellationReasons);

      assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
    }
  }

  @Test
  void plaintextClientAgainstMutualTls_fails() {
    try (OrdersClient plaintext =
        OrdersClient.builder()
            .target(target(mutualTlsServer))
            .plaintext()
            .tokenSupplier(checkoutToken())
            .maxAttempts(1)
            .build()) {
      OrdersException e = thrown(OrdersException.class, plaintext::listCancellationReasons);

      assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
    }
  }

  // --- client certificates optional: the handshake lets a client without one in, the token rule does not ---

  @Test
  void serviceTokenWithoutAClientCertificate_isUnauthenticated() {
    try (OrdersClient noCertificate =
        OrdersClient.builder().target(target(optionalCertificateServer)).tls(certificates.caFile()).tokenSupplier(checkoutToken()).build()) {
      UnauthenticatedException e =
          thrown(
              UnauthenticatedException.class,
              () -> noCertificate.createOrder(CreateOrderRequest.newBuilder().setOrder(draft(newBuyer())).build()));

      assertThat(e.reason()).isEqualTo("CLIENT_CERTIFICATE_REQUIRED");
    }
  }

  @Test
  void buyerTokenWithoutAClientCertificate_isServedWhenCertificatesAreOptional() {
    try (OrdersClient asBuyer =
        OrdersClient.builder().target(target(optionalCertificateServer)).tls(certificates.caFile()).tokenSupplier(buyerToken(newBuyer())).build()) {
      assertThat(asBuyer.listCancellationReasons().getReasonsList()).isNotEmpty();
    }
  }

  @Test
  void checkoutWithItsOwnCertificate_isServedWhenCertificatesAreOptional() {
    try (OrdersClient checkout = mutualTlsClient(optionalCertificateServer, checkoutCertificate, checkoutToken())) {
      Order order = checkout.createOrder(CreateOrderRequest.newBuilder().setOrder(draft(newBuyer())).build());

      assertThat(order.getState()).isEqualTo(Order.State.AWAITING_PAYMENT);
    }
  }

  // --- server-only TLS (no client CA) ---

  @Test
  void tlsClientTrustingTheCa_callsHealthAndListCancellationReasons() {
    try (OrdersClient client =
        OrdersClient.builder().target(target(tlsServer)).tls(certificates.caFile()).tokenSupplier(buyerToken(newBuyer())).build()) {
      HealthCheckResponse health =
          HealthGrpc.newBlockingStub(client.cancellationService().getChannel())
              .check(HealthCheckRequest.getDefaultInstance());

      assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
      assertThat(client.listCancellationReasons().getReasonsList()).isNotEmpty();
    }
  }

  @Test
  void tlsClient_verifiesTheCertificatesDnsName() {
    try (OrdersClient client =
        OrdersClient.builder()
            .target(target(tlsServer))
            .tls(certificates.caFile())
            .overrideAuthority("localhost")
            .tokenSupplier(buyerToken(newBuyer()))
            .build()) {
      assertThat(client.listCancellationReasons().getReasonsList()).isNotEmpty();
    }
  }

  @Test
  void tlsClient_refusesAServerCertificateForAnotherName() {
    try (OrdersClient client =
        OrdersClient.builder()
            .target(target(tlsServer))
            .tls(certificates.caFile())
            .overrideAuthority("orders.example.com")
            .tokenSupplier(buyerToken(newBuyer()))
            .maxAttempts(1)
            .build()) {
      OrdersException e = thrown(OrdersException.class, client::listCancellationReasons);

      assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
    }
  }

  @Test
  void plaintextClientAgainstTls_fails() {
    try (OrdersClient plaintext =
        OrdersClient.builder()
            .target(target(tlsServer))
            .plaintext()
            .tokenSupplier(buyerToken(newBuyer()))
            .maxAttempts(1)
            .build()) {
      OrdersException e = thrown(OrdersException.class, plaintext::listCancellationReasons);

      assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
    }
  }

  @Test
  void mutualTlsClientAgainstServerOnlyTls_connectsWithoutSendingItsCertificate() {
    try (OrdersClient checkout = mutualTlsClient(tlsServer, checkoutCertificate, checkoutToken())) {
      assertThat(checkout.createOrder(CreateOrderRequest.newBuilder().setOrder(draft(newBuyer())).build()).getState())
          .isEqualTo(Order.State.AWAITING_PAYMENT);
    }
  }

  // --- building ---

  @Test
  void missingClientKey_isReportedWhenBuilding() {
    Path missing = pki.resolve("missing.key");

    UncheckedIOException e =
        thrown(
            UncheckedIOException.class,
            () ->
                OrdersClient.builder()
                    .target(target(mutualTlsServer))
                    .mutualTls(certificates.caFile(), checkoutCertificate.certificateFile(), missing)
                    .build());

    assertThat(e).hasMessageContaining("missing.key");
  }

  @Test
  void tlsAfterMutualTls_dropsTheClientCertificate() {
    try (OrdersClient client =
        OrdersClient.builder()
            .target(target(optionalCertificateServer))
            .mutualTls(certificates.caFile(), checkoutCertificate.certificateFile(), checkoutCertificate.keyFile())
            .tls(certificates.caFile())
            .tokenSupplier(checkoutToken())
            .build()) {
      UnauthenticatedException e =
          thrown(
              UnauthenticatedException.class,
              () -> client.createOrder(CreateOrderRequest.newBuilder().setOrder(draft(newBuyer())).build()));

      assertThat(e.reason()).isEqualTo("CLIENT_CERTIFICATE_REQUIRED");
    }
  }

  private static OrdersClient mutualTlsClient(
      OrdersApplication server, TestCertificates.Issued clientCertificate, Supplier<String> token) {
    return OrdersClient.builder()
        .target(target(server))
        .mutualTls(certificates.caFile(), clientCertificate.certificateFile(), clientCertificate.keyFile())
        .tokenSupplier(token)
        .build();
  }

  private static String target(OrdersApplication server) {
    return "127.0.0.1:" + server.port();
  }

  private static Supplier<String> checkoutToken() {
    String token = tokens.issue("checkout", Role.SERVICE, List.of("orders.create"), Duration.ofHours(1));
    return () -> token;
  }

  /** As a service would run it: tokens from the "identity provider", cached until near expiry. */
  private static Supplier<String> refreshingCheckoutToken() {
    return new RefreshingTokenSupplier(
        () -> tokens.issue("checkout", Role.SERVICE, List.of("orders.create"), Duration.ofMinutes(5)));
  }

  private static Supplier<String> buyerToken(String buyerId) {
    String token = tokens.issue(buyerId, Role.BUYER, List.of(), Duration.ofHours(1));
    return () -> token;
  }

  private static String newBuyer() {
    return "buyer-" + UUID.randomUUID();
  }

  private static Order draft(String buyerId) {
    return Order.newBuilder()
        .setBuyerId(buyerId)
        .setSellerId("shop-1")
        .addLineItems(
            LineItem.newBuilder()
                .setSku("SKU-MUG")
                .setTitle("Mug")
                .setQuantity(1)
                .setUnitPrice(Money.newBuilder().setCurrencyCode("USD").setAmountMinor(1250)))
        .setShippingAddress(
            ShippingAddress.newBuilder()
                .setRecipientName("Erika Mustermann")
                .addAddressLines("Hauptstr. 1")
                .setLocality("Berlin")
                .setRegionCode("DE"))
        .setPaymentMethod(Order.PaymentMethod.CARD)
        .build();
  }
}
