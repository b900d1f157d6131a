package dev.marketplace.orders.server.security;

import java.time.Duration;
import dev.marketplace.orders.v1.DisputeServiceGrpc;
import dev.marketplace.orders.v1.SupportServiceGrpc;
import dev.marketplace.orders.v1.ReturnServiceGrpc;
import dev.marketplace.orders.domain.dispute.DisputeSettings;
import static dev.marketplace.orders.server.security.AuthorizationMatrix.ALL_SCOPES;
import static dev.marketplace.orders.server.security.AuthorizationMatrix.OK;
import static dev.marketplace.orders.server.security.AuthorizationMatrix.ROWS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.google.protobuf.Message;
import dev.marketplace.orders.server.security.AuthorizationMatrix.Caller;
import dev.marketplace.orders.server.security.AuthorizationMatrix.Row;
import dev.marketplace.orders.server.security.AuthorizationMatrix.Stubs;
import dev.marketplace.orders.server.security.AuthorizationMatrix.Target;
import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.v1.CancellationServiceGrpc;
import dev.marketplace.orders.v1.ConversationServiceGrpc;
import dev.marketplace.orders.v1.ModificationServiceGrpc;
import dev.marketplace.orders.v1.OrderServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every RPC of orders.v1.OrderService, orders.v1.CancellationService and orders.v1.ModificationService, called by every kind of
 * caller against the real server (production wiring, fresh MariaDB), with a valid request on a real
 * order owned by buyer B1 and seller S1, asserting the exact status code. The expected codes are
 * written out in {@link AuthorizationMatrix} from docs/api.md, not derived from AuthRules, so the
 * table is an independent spec. The RPCs are enumerated from the generated service descriptors: a
 * new RPC without a row fails the build.
 *
 * <p>Mutating RPCs get fresh state for every single call, so outcomes are independent and every
 * allowed call succeeds; a call that is refused must leave the database exactly as it was. The
 * resulting matrix is written to target/authorization-matrix.txt (nothing is printed).
 */
class AuthorizationMatrixTest {

  private static GrpcTestServer server;
  private static final AtomicInteger RPCS = new AtomicInteger();
  private static final Map<String, Map<Caller, Code>> ACTUAL = new ConcurrentHashMap<>();
  private static final Map<String, Code> ACTUAL_NO_TOKEN = new ConcurrentHashMap<>();
  private static long started;
  private static Targets targets;

  @BeforeAll
  static void start() throws Exception {
    started = System.nanoTime();
    // No escalation delay, so that EscalateDispute can succeed on a freshly opened dispute.
    server = new GrpcTestServer(new DisputeSettings(Duration.ofDays(15), Duration.ZERO, Duration.ofDays(15)));
    targets = new Targets(server, COUNTING);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      writeReport();
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  // ---- tests ----

  static List<MethodDescriptor<?, ?>> contractMethods() {
    List<MethodDescriptor<?, ?>> methods = new ArrayList<>();
    methods.addAll(OrderServiceGrpc.getServiceDescriptor().getMethods());
    methods.addAll(CancellationServiceGrpc.getServiceDescriptor().getMethods());
    methods.addAll(ConversationServiceGrpc.getServiceDescriptor().getMethods());
    methods.addAll(ModificationServiceGrpc.getServiceDescriptor().getMethods());
    methods.addAll(DisputeServiceGrpc.getServiceDescriptor().getMethods());
    methods.addAll(SupportServiceGrpc.getServiceDescriptor().getMethods());
    methods.addAll(ReturnServiceGrpc.getServiceDescriptor().getMethods());
    return methods;
  }

  @Test
  void everyRpcHasExactlyOneMatrixRow_andEveryRowIsAnRpc() {
    List<String> rpcs = contractMethods().stream().map(MethodDescriptor::getFullMethodName).toList();
    assertThat(rpcs).hasSizeGreaterThanOrEqualTo(16);
    assertThat(ROWS.keySet()).as("matrix rows vs. the RPCs of orders.v1").containsExactlyInAnyOrderElementsOf(rpcs);
  }

  @TestFactory
  Stream<DynamicNode> everyRpcAsEveryCaller() {
    return contractMethods().stream()
        .map(
            method -> {
              String name = method.getFullMethodName();
              Row row = ROWS.get(name);
              if (row == null) {
                return dynamicTest(name + " has a matrix row", () -> fail("no authorization matrix row for " + name));
              }
              Stream<DynamicNode> cells =
                  Arrays.stream(Caller.values())
                      .map(caller -> dynamicTest(caller.label + " -> " + row.expected().get(caller), () -> cell(row, caller)));
              Stream<DynamicNode> anonymous =
                  Stream.of(dynamicTest("no token -> UNAUTHENTICATED", () -> noToken(row)));
              return dynamicContainer(name, Stream.concat(cells, anonymous));
            });
  }

  @Test
  void healthCheckNeedsNoToken() {
    HealthCheckResponse health =
        HealthGrpc.newBlockingStub(server.channel())
            .withInterceptors(COUNTING)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .check(HealthCheckRequest.getDefaultInstance());
    assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }

  // ---- one cell ----

  private static void cell(Row row, Caller caller) throws Exception {
    String what = row.method().getFullMethodName() + " as " + caller.label + " " + caller.scopes(row);
    Target target = row.prep().prepare(targets);
    String token = server.tokens.issue(caller.subject, caller.role, caller.scopes(row), java.time.Duration.ofHours(1));
    Fingerprint before = fingerprint();
    Result result = invoke(row, target, caller, GrpcTestServer.bearer(token));
    ACTUAL.computeIfAbsent(row.method().getFullMethodName(), k -> new ConcurrentHashMap<>()).put(caller, result.code());

    assertThat(result.methods()).as(what + ": the row's call must call exactly this RPC").containsExactly(row.method().getFullMethodName());
    Code expected = row.expected().get(caller);
    assertThat(result.code()).as(what + (result.error() == null ? "" : ": " + result.error().status())).isEqualTo(expected);
    switch (expected) {
      case OK -> row.check().verify(target, caller, result.response());
      case PERMISSION_DENIED -> assertThat(result.error().reason()).as(what).isEqualTo(row.deniedReason(caller));
      case NOT_FOUND -> assertThat(result.error().reason()).as(what).endsWith("_NOT_FOUND");
      case UNAUTHENTICATED -> assertThat(result.error().reason()).as(what).isEqualTo("TOKEN_INVALID");
      default -> {}
    }
    if (result.code() != OK) {
      assertThat(fingerprint()).as(what + ": a refused call changes nothing").isEqualTo(before);
    }
  }

  private static void noToken(Row row) throws Exception {
    String what = row.method().getFullMethodName() + " without a token";
    Target target = row.prep().prepare(targets);
    Fingerprint before = fingerprint();
    Result result = invoke(row, target, Caller.OWNER_BUYER, null);
    ACTUAL_NO_TOKEN.put(row.method().getFullMethodName(), result.code());
    assertThat(result.methods()).as(what).containsExactly(row.method().getFullMethodName());
    assertThat(result.code()).as(what).isEqualTo(Code.UNAUTHENTICATED);
    assertThat(result.error().reason()).as(what).isEqualTo("TOKEN_MISSING");
    assertThat(fingerprint()).as(what + ": changes nothing").isEqualTo(before);
  }

  record Result(Code code, Message response, Errors error, List<String> methods) {}

  private static Result invoke(Row row, Target target, Caller caller, ClientInterceptor bearer) {
    List<String> methods = new CopyOnWriteArrayList<>();
    ClientInterceptor recording =
        new ClientInterceptor() {
          @Override
          public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
              MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
            methods.add(method.getFullMethodName());
            return next.newCall(method, options);
          }
        };
    List<ClientInterceptor> interceptors = new ArrayList<>(List.of(COUNTING, recording));
    if (bearer != null) {
      interceptors.add(bearer);
    }
    ClientInterceptor[] chain = interceptors.toArray(ClientInterceptor[]::new);
    Stubs stubs =
        new Stubs(
            OrderServiceGrpc.newBlockingStub(server.channel()).withInterceptors(chain).withDeadlineAfter(20, TimeUnit.SECONDS),
            CancellationServiceGrpc.newBlockingStub(server.channel()).withInterceptors(chain).withDeadlineAfter(20, TimeUnit.SECONDS),
            ConversationServiceGrpc.newBlockingStub(server.channel()).withInterceptors(chain).withDeadlineAfter(20, TimeUnit.SECONDS),
            ModificationServiceGrpc.newBlockingStub(server.channel()).withInterceptors(chain).withDeadlineAfter(20, TimeUnit.SECONDS),
            DisputeServiceGrpc.newBlockingStub(server.channel()).withInterceptors(chain).withDeadlineAfter(20, TimeUnit.SECONDS),
            SupportServiceGrpc.newBlockingStub(server.channel()).withInterceptors(chain).withDeadlineAfter(20, TimeUnit.SECONDS),
            ReturnServiceGrpc.newBlockingStub(server.channel()).withInterceptors(chain).withDeadlineAfter(20, TimeUnit.SECONDS));
    try {
      Message response = row.call().invoke(stubs, target, caller);
      return new Result(OK, response, null, List.copyOf(methods));
    } catch (StatusRuntimeException e) {
      return new Result(e.getStatus().getCode(), null, Errors.of(e), List.copyOf(methods));
    }
  }

  // ---- a refused call must not change anything ----

  record Fingerprint(List<Long> values) {}

  private static Fingerprint fingerprint() throws Exception {
    try (Connection c = server.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT (SELECT COUNT(*) FROM orders), (SELECT COALESCE(SUM(version), 0) FROM orders),"
                    + " (SELECT COUNT(*) FROM order_events), (SELECT COUNT(*) FROM idempotency_records),"
                    + " (SELECT COUNT(*) FROM cancellation_requests), (SELECT COALESCE(SUM(version), 0) FROM cancellation_requests),"
                    + " (SELECT COUNT(*) FROM refunds), (SELECT COALESCE(SUM(version), 0) FROM refunds),"
                    + " (SELECT COUNT(*) FROM modification_requests), (SELECT COALESCE(SUM(version), 0) FROM modification_requests)")) {
      rs.next();
      List<Long> values = new ArrayList<>();
      for (int i = 1; i <= 10; i++) {
        values.add(rs.getLong(i));
      }
      return new Fingerprint(values);
    }
  }

  // ---- every call counted, preparation included ----

  private static final ClientInterceptor COUNTING =
      new ClientInterceptor() {
        @Override
        public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
            MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
          RPCS.incrementAndGet();
          return next.newCall(method, options);
        }
      };

  // ---- report (a file, not the console) ----

  private static void writeReport() throws Exception {
    if (ACTUAL.isEmpty()) {
      return;
    }
    StringBuilder out = new StringBuilder();
    out.append(String.format("%-60s", "RPC \\ caller"));
    for (Caller caller : Caller.values()) {
      out.append(String.format(" %-9s", caller.label));
    }
    out.append(" no-token\n");
    for (MethodDescriptor<?, ?> method : contractMethods()) {
      String name = method.getFullMethodName();
      Map<Caller, Code> actual = ACTUAL.getOrDefault(name, Map.of());
      out.append(String.format("%-60s", name));
      for (Caller caller : Caller.values()) {
        Code code = actual.get(caller);
        Row row = ROWS.get(name);
        String cell = code == null ? "-" : abbreviate(code);
        if (row != null && code != null && code != row.expected().get(caller)) {
          cell += "!";
        }
        out.append(String.format(" %-9s", cell));
      }
      Code anonymous = ACTUAL_NO_TOKEN.get(name);
      out.append(" ").append(anonymous == null ? "-" : abbreviate(anonymous)).append('\n');
    }
    out.append("\nSVC+scope = the rule's scope (every scope when the rule names none); SVC-other = one other scope:\n");
    ROWS.values()
        .forEach(
            row ->
                out.append("  ")
                    .append(row.method().getFullMethodName())
                    .append(": +")
                    .append(row.scope().orElse(String.join(",", ALL_SCOPES)))
                    .append(" ~")
                    .append(row.otherScope())
                    .append('\n'));
    out.append("\nRPCs made (preparation, matrix, health): ").append(RPCS.get()).append('\n');
    out.append(String.format("elapsed: %.1f s%n", (System.nanoTime() - started) / 1e9));
    Path file = Path.of("target", "authorization-matrix.txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, out.toString());
  }

  private static String abbreviate(Code code) {
    return switch (code) {
      case OK -> "OK";
      case PERMISSION_DENIED -> "PD";
      case NOT_FOUND -> "NF";
      case UNAUTHENTICATED -> "UNAUTH";
      default -> code.name();
    };
  }
}
