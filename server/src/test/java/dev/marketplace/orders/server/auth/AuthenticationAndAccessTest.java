package dev.marketplace.orders.server.auth;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.domain.access.Role.SERVICE;
import static dev.marketplace.orders.domain.access.Role.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.server.wiring.OrdersServer;
import dev.marketplace.orders.v1.CancellationServiceGrpc;
import dev.marketplace.orders.v1.GetOrderRequest;
import dev.marketplace.orders.v1.ListCancellationReasonsRequest;
import dev.marketplace.orders.v1.OrderServiceGrpc;
import dev.marketplace.orders.v1.RecordPaymentRequest.Outcome;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status.Code;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bearer tokens and the access table, through a real channel. */
class AuthenticationAndAccessTest {

  private static GrpcTestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new GrpcTestServer();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void everyServedMethodHasAnAccessRule() {
    io.grpc.Server built =
        server.injector.getInstance(OrdersServer.class)
            .build(InProcessServerBuilder.forName("rules-" + UUID.randomUUID()), Executors.newSingleThreadExecutor(), 1);
    List<String> missing = new ArrayList<>();
    int methods = 0;
    for (ServerServiceDefinition service : built.getServices()) {
      for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
        methods++;
        String name = method.getMethodDescriptor().getFullMethodName();
        if (AuthRules.forMethod(name).isEmpty()) {
          missing.add(name);
        }
      }
    }
    assertThat(methods).isGreaterThan(8);
    assertThat(missing).as("RPCs without an access rule").isEmpty();
  }

  @Test
  void everyContractMethodHasAnAccessRule_andOnlyHealthAndReflectionAreOpen() {
    List<MethodDescriptor<?, ?>> contract = new ArrayList<>();
    contract.addAll(OrderServiceGrpc.getServiceDescriptor().getMethods());
    contract.addAll(CancellationServiceGrpc.getServiceDescriptor().getMethods());
    for (MethodDescriptor<?, ?> method : contract) {
      assertThat(AuthRules.forMethod(method.getFullMethodName()))
          .as(method.getFullMethodName())
          .hasValueSatisfying(rule -> assertThat(rule.authenticated()).isTrue());
    }
    AuthRules.all().forEach(
        (method, rule) -> {
          if (!rule.authenticated()) {
            assertThat(method).startsWith("grpc.");
          }
        });
  }

  @Test
  void noToken_isUnauthenticated() {
    Errors error =
        Errors.of(
            catchThrowable(
                () -> OrderServiceGrpc.newBlockingStub(server.channel()).getOrder(GetOrderRequest.newBuilder().setOrderId(UUID.randomUUID().toString()).build())));
    assertThat(error.code()).isEqualTo(Code.UNAUTHENTICATED);
    assertThat(error.reason()).isEqualTo("TOKEN_MISSING");
  }

  @Test
  void badTokens_areUnauthenticated() {
    Instant now = server.clock.instant();
    Algorithm ours = Algorithm.HMAC256(GrpcTestServer.SECRET);
    Algorithm theirs = Algorithm.HMAC256("another-secret-another-secret-another-secret");
    List<String> tokens =
        List.of(
            "not-a-jwt",
            JWT.create().withSubject("b").withClaim("role", "BUYER").withExpiresAt(now.plusSeconds(60)).sign(theirs),
            JWT.create().withSubject("b").withClaim("role", "BUYER").withExpiresAt(now.minusSeconds(60)).sign(ours),
            JWT.create().withSubject("b").withClaim("role", "BUYER").sign(ours),
            JWT.create().withSubject("b").withClaim("role", "ADMIN").withExpiresAt(now.plusSeconds(60)).sign(ours),
            JWT.create().withClaim("role", "BUYER").withExpiresAt(now.plusSeconds(60)).sign(ours),
            JWT.create().withSubject("b").withClaim("role", "SYSTEM").withExpiresAt(now.plusSeconds(60)).sign(ours),
            JWT.create().withSubject("b").withClaim("role", "BUYER").withExpiresAt(now.plusSeconds(60)).sign(Algorithm.none()));
    for (String token : tokens) {
      Errors error =
          Errors.of(catchThrowable(() -> server.orders(token).getOrder(GetOrderRequest.newBuilder().setOrderId(UUID.randomUUID().toString()).build())));
      assertThat(error.code()).as(token).isEqualTo(Code.UNAUTHENTICATED);
      assertThat(error.status().getMessage()).doesNotContain("Exception");
    }
  }

  @Test
  void tokenExpiresWithTheClock() {
    String token = server.tokens.issue("buyer-x", BUYER, List.of(), Duration.ofMinutes(5));
    GetOrderRequest request = GetOrderRequest.newBuilder().setOrderId(UUID.randomUUID().toString()).build();
    assertThat(Errors.of(catchThrowable(() -> server.orders(token).getOrder(request))).code()).isEqualTo(Code.NOT_FOUND);
    server.clock.advance(Duration.ofMinutes(6));
    Errors expired = Errors.of(catchThrowable(() -> server.orders(token).getOrder(request)));
    assertThat(expired.code()).isEqualTo(Code.UNAUTHENTICATED);
    assertThat(expired.reason()).isEqualTo("TOKEN_EXPIRED");
  }

  @Test
  void rolesAndScopesTheRuleDoesNotAllow_arePermissionDenied() {
    String orderId = UUID.randomUUID().toString();
    record Attempt(String what, Runnable call) {}
    List<Attempt> attempts =
        List.of(
            new Attempt("buyer creates", () -> server.ordersAs("b", BUYER).createOrder(Requests.create("b", "s"))),
            new Attempt("seller creates", () -> server.ordersAs("s", SELLER).createOrder(Requests.create("b", "s"))),
            new Attempt("payments creates", () -> server.ordersAs("payments", SERVICE, "payments.record").createOrder(Requests.create("b", "s"))),
            new Attempt("checkout records payment", () -> server.ordersAs("checkout", SERVICE, "orders.create").recordPayment(Requests.payment(orderId, Outcome.CAPTURED))),
            new Attempt("buyer records payment", () -> server.ordersAs("b", BUYER).recordPayment(Requests.payment(orderId, Outcome.CAPTURED))),
            new Attempt("payments ships", () -> server.ordersAs("payments", SERVICE, "payments.record").shipOrder(Requests.ship(orderId))),
            new Attempt("buyer ships", () -> server.ordersAs("b", BUYER).shipOrder(Requests.ship(orderId))),
            new Attempt("seller confirms delivery", () -> server.ordersAs("s", SELLER).confirmDelivery(Requests.deliver(orderId))),
            new Attempt("unscoped service reads", () -> server.ordersAs("svc", SERVICE).getOrder(GetOrderRequest.newBuilder().setOrderId(orderId).build())));
    for (Attempt attempt : attempts) {
      Errors error = Errors.of(catchThrowable(attempt.call()::run));
      assertThat(error.code()).as(attempt.what()).isEqualTo(Code.PERMISSION_DENIED);
      assertThat(error.reason()).as(attempt.what()).isEqualTo("ROLE_NOT_ALLOWED");
    }
  }

  @Test
  void cancellationReasons_areListedForAnyCaller() {
    for (Role role : Set.of(BUYER, SELLER, SUPPORT, SERVICE)) {
      var reasons = server.cancellationsAs("who", role).listCancellationReasons(ListCancellationReasonsRequest.getDefaultInstance()).getReasonsList();
      assertThat(reasons)
          .extracting(r -> r.getCode().name())
          .containsExactly(
              "ORDERED_BY_ACCIDENT",
              "BETTER_PRICE_ELSEWHERE",
              "WRONG_ITEM_OR_SIZE",
              "CHANGE_DELIVERY_ADDRESS",
              "SELLER_POOR_REVIEWS_OR_SLOW_SHIPPING",
              "OTHER");
      assertThat(reasons.get(5).getExplanationRequired()).isTrue();
      assertThat(reasons.get(0).getExplanationRequired()).isFalse();
      assertThat(reasons.get(0).getDisplayLabel()).isEqualTo("Accidentally placed the order");
    }
  }

  @Test
  void healthNeedsNoToken() {
    assertThat(HealthGrpc.newBlockingStub(server.channel()).check(HealthCheckRequest.getDefaultInstance()).getStatus()).isNotNull();
  }
}
