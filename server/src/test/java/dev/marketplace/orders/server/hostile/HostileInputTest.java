package dev.marketplace.orders.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.PreconditionFailure;
import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.testing.TestDatabase;
import dev.marketplace.orders.server.OrdersApplication;
import dev.marketplace.orders.server.wiring.OrdersServer;
import dev.marketplace.orders.server.auth.AccessRule;
import dev.marketplace.orders.server.auth.AuthInterceptor;
import dev.marketplace.orders.server.auth.AuthRules;
import dev.marketplace.orders.server.auth.TokenIssuer;
import dev.marketplace.orders.server.config.ServerConfig;
import dev.marketplace.orders.server.error.ErrorMapper;
import dev.marketplace.orders.server.hostile.HostileValues.Fixture;
import dev.marketplace.orders.server.hostile.HostileValues.Mutation;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.ApproveCancellationRequestRequest;
import dev.marketplace.orders.v1.CancelOrderRequest;
import dev.marketplace.orders.v1.CancelOrderResponse;
import dev.marketplace.orders.v1.CancellationReason;
import dev.marketplace.orders.v1.CancellationRequest;
import dev.marketplace.orders.v1.CancellationServiceGrpc;
import dev.marketplace.orders.v1.OrderServiceGrpc;
import dev.marketplace.orders.v1.RecordPaymentRequest;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Sends every RPC of every business service ({@link OrdersServer#BUSINESS_SERVICES}, enumerated from
 * the generated service descriptors, so a new RPC is attacked without touching this test) requests
 * generated from the proto descriptors with hostile field values, and checks every answer. Requests
 * go on the wire as raw bytes ({@code MethodDescriptor<byte[], byte[]>}) so that bodies no protobuf
 * library would produce can be sent too. The run is driven by one seeded {@link Random}: the seed is
 * printed, and {@code -Dhostile.seed=N} replays a run (every generated value; the ids and page tokens
 * the server assigns differ from run to run).
 *
 * <h2>What is sent</h2>
 *
 * The fixture, made through the API first, is twelve orders of buyer B1 at seller S1 in every state,
 * five cancellation requests and two refunds; plausible values name them. For each RPC, as a caller
 * the production access table ({@link AuthRules}) lets through, so that validation and the domain
 * are reached:
 *
 * <ul>
 *   <li>a plausible request (every field set by name and type) - a self-check of the generator: it
 *       must not be refused as INVALID_ARGUMENT, or the mutations below would never get past validation;
 *   <li>plausible requests with exactly one place made hostile (possibly nested: a line item's
 *       price, an address line, a map key): "", 2 MiB, just over each limit, control characters,
 *       lone surrogates and other odd Unicode, 4-byte characters, SQL, JSON and format-string
 *       fragments, malformed and foreign ids, random page tokens, MIN/MAX/negative numbers, unknown
 *       and zero enum numbers, empty/absent/huge repeated fields and maps;
 *   <li>entirely random messages (each field hostile or plausible), by a random caller, including
 *       callers whose token subject is itself hostile (SQL, control characters, 4-byte characters);
 *   <li>bodies that are not valid protobuf: invalid UTF-8 in string fields (top level and nested),
 *       truncated fields, malformed varints, bad tags and wire types, 200 000 nested groups,
 *       garbage, an empty body;
 *   <li>the plausible request - which names buyer B1's real order, cancellation request or refund -
 *       by another buyer and another seller;
 *   <li>the plausible request with a missing, empty, malformed, foreign-key-signed, expired or
 *       unsigned ({@code alg: none}) token.
 * </ul>
 *
 * For each list RPC (a {@code page_token} in, a {@code next_page_token} out) a real token from a real
 * call is replayed untouched, then truncated, extended, bit-flipped, re-encoded in the standard
 * base64 alphabet, replaced by random bytes of the same length, stripped of its signature, sent with
 * other filters, sent to another list RPC, and sent by other callers.
 *
 * <p>A second test starts the real netty server ({@link OrdersApplication}, default limits) and sends
 * each RPC a 2 MiB field, fields of almost 1 MiB, and requests with thousands of invalid elements,
 * since the in-process transport neither enforces message limits nor limits the size of the
 * trailers a client accepts.
 *
 * <h2>What is accepted</h2>
 *
 * <ul>
 *   <li>Generally: OK (the hostile request happened to be valid, e.g. a list with an odd but valid
 *       filter, or a valid mutation of the fixture), INVALID_ARGUMENT, NOT_FOUND,
 *       FAILED_PRECONDITION, PERMISSION_DENIED, UNAUTHENTICATED, OUT_OF_RANGE, RESOURCE_EXHAUSTED,
 *       and ABORTED only with reason ETAG_MISMATCH (a well-formed etag of another version is a
 *       documented client-visible conflict). Never INTERNAL, UNKNOWN, DEADLINE_EXCEEDED (a hang:
 *       every call has a 10 s deadline), UNAVAILABLE (the database is up), CANCELLED, DATA_LOSS,
 *       UNIMPLEMENTED, ALREADY_EXISTS.
 *   <li>Tampered page tokens, and real ones with other filters or on another list RPC: exactly
 *       INVALID_ARGUMENT, never a page. A real token sent by another caller: INVALID_ARGUMENT,
 *       NOT_FOUND or PERMISSION_DENIED. The untouched token: OK, with a page other than the first.
 *   <li>Another buyer's or seller's call about B1's order, request or refund: NOT_FOUND or
 *       PERMISSION_DENIED; OK only if the answer names none of B1's orders, requests, refunds or
 *       parties (an empty listing, the static list of reasons).
 *   <li>A bad token: UNAUTHENTICATED. Over netty, a 2 MiB request: RESOURCE_EXHAUSTED.
 * </ul>
 *
 * <p>Every refusal carries exactly one ErrorInfo of the service's domain (docs/api.md), except the
 * transport's own RESOURCE_EXHAUSTED for an oversized message. Its message and details (ErrorInfo,
 * BadRequest, PreconditionFailure) must not contain a stack trace ({@code "\tat "}, {@code ".java:"},
 * {@code Caused by}, {@code ...Exception}, {@code ...Error}), a Java class name ({@code a.b.C}; proto names under {@code orders.v1.},
 * {@code grpc.} and {@code google.} are API, not leaks), or SQL or database wording (statements,
 * {@code SQLState}, jOOQ, JDBC, MariaDB, syntax, constraint, duplicate entry, table, column, ...).
 * The caller's own text quoted back is not a leak: exact copies of the request's string values of 8
 * or more characters are removed before looking. The message must stay under
 * {@value #MAX_DESCRIPTION} characters and the whole status under {@value #MAX_STATUS_BYTES} bytes,
 * so that it fits the 8 KiB of trailers a gRPC client accepts by default.
 *
 * <p>All violations are collected and reported together (RPC, caller, the request, code, message).
 * A summary, the violations and every call with its code and reason are written to
 * {@code target/hostile-input-in-process.txt} and {@code target/hostile-input-netty.txt}.
 */
class HostileInputTest {

  static final long SEED = Long.getLong("hostile.seed", 0x5EED_2024L);

  static final int MAX_DESCRIPTION = 2000;
  static final int MAX_STATUS_BYTES = 4000;

  /** Mutations with one hostile place per RPC (half its places, within these bounds), and entirely random requests. */
  static final int MIN_ONE_FIELD_CASES = 12;
  static final int MAX_ONE_FIELD_CASES = 60;
  static final int RANDOM_CASES = 5;

  static final List<String> ALL_SCOPES =
      List.of(AuthRules.ORDERS_CREATE, AuthRules.ORDERS_READ, AuthRules.PAYMENTS_RECORD, AuthRules.LOGISTICS_SHIP, AuthRules.REFUNDS_RECORD);

  record Caller(String label, String subject, Role role, List<String> scopes) {
    Principal principal() {
      return new Principal(subject, role, Set.copyOf(scopes));
    }
  }

  static final Caller B1 = new Caller("B1", "buyer-1", Role.BUYER, List.of());
  static final Caller B2 = new Caller("B2", "buyer-2", Role.BUYER, List.of());
  static final Caller S1 = new Caller("S1", "seller-1", Role.SELLER, List.of());
  static final Caller S2 = new Caller("S2", "seller-2", Role.SELLER, List.of());
  static final Caller SUPPORT = new Caller("SUPPORT", "support-1", Role.SUPPORT, List.of());
  static final Caller SERVICE = new Caller("SVC(all scopes)", "svc-all", Role.SERVICE, ALL_SCOPES);
  /** Callers that may act on B1's orders at S1; a case uses one the RPC's access rule lets through. */
  static final List<Caller> PARTIES = List.of(B1, S1, SUPPORT, SERVICE);
  /** Valid tokens whose subject is hostile: the token service is trusted, its subjects are still text. */
  static final List<Caller> HOSTILE_SUBJECTS =
      List.of(
          new Caller("sub=sql", "' OR 1=1 --", Role.BUYER, List.of()),
          new Caller("sub=control", "\u0000\u001b[31m\u0007", Role.SELLER, List.of()),
          new Caller("sub=emoji", "\ud83d\udca5".repeat(32), Role.SUPPORT, List.of()),
          new Caller("sub=64chars", "s".repeat(64), Role.SERVICE, ALL_SCOPES),
          new Caller("sub=B1+space", "buyer-1 ", Role.BUYER, List.of()),
          new Caller("sub=S1-uppercase", "SELLER-1", Role.SELLER, List.of()));

  enum Expect {
    CLIENT_ERROR_OR_OK,
    TAMPERED_TOKEN,
    FOREIGN_TOKEN,
    OTHER_USER,
    UNAUTHENTICATED,
    TOO_LARGE,
    REAL_TOKEN
  }

  private static final Set<Code> CLIENT_CODES =
      EnumSet.of(
          Code.OK,
          Code.INVALID_ARGUMENT,
          Code.NOT_FOUND,
          Code.FAILED_PRECONDITION,
          Code.PERMISSION_DENIED,
          Code.UNAUTHENTICATED,
          Code.OUT_OF_RANGE,
          Code.RESOURCE_EXHAUSTED);

  private static final List<ServiceDescriptor> SERVICES =
      List.of(OrderServiceGrpc.getServiceDescriptor(), CancellationServiceGrpc.getServiceDescriptor());

  @Test
  void everyRpc_answersHostileInputWithClientErrorsOnly() throws Exception {
    long started = System.nanoTime();
    System.out.println("HostileInputTest seed=" + SEED + " (replay with -Dhostile.seed=" + SEED + ")");
    try (GrpcTestServer server = new GrpcTestServer()) {
      Attack attack = new Attack(server.channel(), server.tokens, new Random(SEED));
      attack.everyRpc();
      attack.pageTokens();
      attack.report("in-process", started);
      attack.assertNoViolations();
    }
  }

  @Test
  void overNetty_hugeAndNearLimitRequestsAreRefusedReadably() throws Exception {
    long started = System.nanoTime();
    ServerConfig config =
        ServerConfig.from(
            Map.of(
                "ORDERS_PORT", "0",
                "ORDERS_BIND_ADDRESS", "127.0.0.1",
                "ORDERS_DB_URL", TestDatabase.createDatabase(),
                "ORDERS_DB_USER", TestDatabase.user(),
                "ORDERS_DB_PASSWORD", TestDatabase.password(),
                "ORDERS_AUTH_HS256_SECRET", GrpcTestServer.SECRET));
    try (OrdersApplication app = OrdersApplication.start(config, Clock.systemUTC())) {
      ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", app.port()).usePlaintext().build();
      try {
        Attack attack = new Attack(channel, new TokenIssuer(GrpcTestServer.SECRET, Clock.systemUTC()), new Random(SEED + 1));
        attack.overTheNetwork();
        attack.report("netty", started);
        attack.assertNoViolations();
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  // ---- one RPC, generically ----

  record Rpc(String fullName, Descriptor input, Descriptor output, MethodDescriptor<byte[], byte[]> raw) {
    String shortName() {
      return fullName.substring(fullName.indexOf('.', fullName.indexOf('.') + 1) + 1);
    }

    Optional<AccessRule> rule() {
      return AuthRules.forMethod(fullName);
    }

    boolean lists() {
      return input.findFieldByName("page_token") != null && output.findFieldByName("next_page_token") != null;
    }
  }

  static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  static List<Rpc> rpcs() {
    List<String> covered = SERVICES.stream().map(ServiceDescriptor::getName).toList();
    assertThat(covered).as("every business service is attacked").containsAll(OrdersServer.BUSINESS_SERVICES);
    List<Rpc> rpcs = new ArrayList<>();
    for (ServiceDescriptor service : SERVICES) {
      for (MethodDescriptor<?, ?> method : service.getMethods()) {
        var proto = ((ProtoMethodDescriptorSupplier) method.getSchemaDescriptor()).getMethodDescriptor();
        MethodDescriptor<byte[], byte[]> raw =
            MethodDescriptor.<byte[], byte[]>newBuilder(BYTES, BYTES)
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(method.getFullMethodName())
                .build();
        assertThat(method.getType()).as(method.getFullMethodName()).isEqualTo(MethodDescriptor.MethodType.UNARY);
        rpcs.add(new Rpc(method.getFullMethodName(), proto.getInputType(), proto.getOutputType(), raw));
      }
    }
    assertThat(rpcs).hasSizeGreaterThanOrEqualTo(17);
    return rpcs;
  }

  // ---- one call and its verdict ----

  record Outcome(Status status, com.google.rpc.Status details, byte[] response) {
    Code code() {
      return status.getCode();
    }

    Optional<ErrorInfo> errorInfo() {
      return details == null
          ? Optional.empty()
          : details.getDetailsList().stream().filter(a -> a.is(ErrorInfo.class)).findFirst().map(a -> unpack(a, ErrorInfo.class));
    }
  }

  record Case(Rpc rpc, String caller, String request, Expect expect, List<String> echoes) {}

  /** One run against one server: fixture, generator, calls, verdicts. */
  static final class Attack {
    final Channel channel;
    final TokenIssuer tokens;
    final Random random;
    final List<Rpc> rpcs = rpcs();
    final Fixture fixture;
    final HostileValues values;
    final List<String> violations = new ArrayList<>();
    final Map<String, Map<Code, Integer>> codes = new TreeMap<>();
    final Map<Caller, String> tokenCache = new HashMap<>();
    final List<String> slowest = new ArrayList<>();
    final List<String> log = new ArrayList<>();
    int calls;
    long callMillis;
    final long attackStarted;

    Attack(Channel channel, TokenIssuer tokens, Random random) {
      this.channel = channel;
      this.tokens = tokens;
      this.random = random;
      this.attackStarted = System.nanoTime();
      this.fixture = prepareFixture();
      this.values = new HostileValues(random, fixture);
    }

    // ---- the fixture, made through the API as checkout, payments, logistics, B1 and S1 would ----

    private Fixture prepareFixture() {
      var checkout = OrderServiceGrpc.newBlockingStub(channel).withInterceptors(bearer(SERVICE));
      var b1 = CancellationServiceGrpc.newBlockingStub(channel).withInterceptors(bearer(B1));
      var s1 = CancellationServiceGrpc.newBlockingStub(channel).withInterceptors(bearer(S1));
      List<String> orders = new ArrayList<>();
      List<String> requests = new ArrayList<>();
      List<String> refunds = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        String orderId = checkout.withDeadlineAfter(10, TimeUnit.SECONDS).createOrder(Requests.create(B1.subject(), S1.subject())).getOrderId();
        orders.add(orderId);
        if (i < 3) {
          continue; // unpaid
        }
        checkout.withDeadlineAfter(10, TimeUnit.SECONDS).recordPayment(Requests.payment(orderId, RecordPaymentRequest.Outcome.CAPTURED));
        if (i < 5) {
          continue; // paid
        }
        if (i < 7) {
          checkout.withDeadlineAfter(10, TimeUnit.SECONDS).shipOrder(Requests.ship(orderId));
          continue;
        }
        CancelOrderResponse asked =
            b1.withDeadlineAfter(10, TimeUnit.SECONDS)
                .cancelOrder(
                    CancelOrderRequest.newBuilder()
                        .setRequestId(Requests.newId())
                        .setOrderId(orderId)
                        .setReason(CancellationReason.Code.WRONG_ITEM_OR_SIZE)
                        .build());
        String requestId = asked.getCancellationRequest().getCancellationRequestId();
        requests.add(requestId);
        if (i >= 10) {
          CancellationRequest approved =
              s1.withDeadlineAfter(10, TimeUnit.SECONDS)
                  .approveCancellationRequest(
                      ApproveCancellationRequestRequest.newBuilder().setRequestId(Requests.newId()).setCancellationRequestId(requestId).build());
          refunds.add(approved.getRefund().getRefundId());
        }
      }
      return new Fixture(B1.subject(), S1.subject(), List.copyOf(orders), List.copyOf(requests), List.copyOf(refunds));
    }

    /** Everything another party must not learn: B1's and S1's ids and names. */
    private List<String> secrets() {
      List<String> secrets = new ArrayList<>(fixture.orderIds());
      secrets.addAll(fixture.requestIds());
      secrets.addAll(fixture.refundIds());
      secrets.add(B1.subject());
      secrets.add(S1.subject());
      return secrets;
    }

    // ---- in-process: every RPC ----

    void everyRpc() {
      for (Rpc rpc : rpcs) {
        List<Caller> parties = PARTIES.stream().filter(c -> permits(rpc, c)).toList();
        if (parties.isEmpty()) {
          violations.add(rpc.fullName() + ": no caller among B1, S1, SUPPORT and a service with every scope gets past the access rule");
          continue;
        }

        values.newRequest();
        DynamicMessage plausible = values.plausible(rpc.input(), 0);
        Caller owner = parties.get(0);
        Outcome baseline = send(rpc, owner, plausible, "plausible request", Expect.CLIENT_ERROR_OR_OK);
        if (baseline.code() == Code.INVALID_ARGUMENT) {
          violations.add(
              rpc.shortName() + " as " + owner.label() + ": the generator's plausible request is refused as invalid ("
                  + baseline.status().getDescription() + "): " + Describe.message(plausible));
        }

        int oneField = Math.min(MAX_ONE_FIELD_CASES, Math.max(MIN_ONE_FIELD_CASES, HostileValues.places(rpc.input(), 0) / 2));
        for (int i = 0; i < oneField; i++) {
          values.newRequest();
          Mutation mutation = values.mutateOne(values.plausible(rpc.input(), 0));
          send(rpc, values.pick(parties), mutation.message(), mutation.where() + " = " + mutation.what(), Expect.CLIENT_ERROR_OR_OK);
        }

        List<Caller> anyone = new ArrayList<>(List.of(B1, B2, S1, S2, SUPPORT, SERVICE));
        anyone.addAll(HOSTILE_SUBJECTS);
        for (int i = 0; i < RANDOM_CASES; i++) {
          values.newRequest();
          DynamicMessage message = values.randomMessage(rpc.input(), 0);
          send(rpc, values.pick(anyone), message, "random " + Describe.message(message), Expect.CLIENT_ERROR_OR_OK);
        }

        values.newRequest();
        for (Wire.Body body : Wire.bodies(rpc.input(), values.plausible(rpc.input(), 0).toByteArray(), random)) {
          Caller caller = values.pick(parties);
          check(new Case(rpc, caller.label(), "raw body: " + body.what(), Expect.CLIENT_ERROR_OR_OK, List.of()), call(rpc, authorization(caller), body.bytes()));
        }

        for (Caller other : List.of(B2, S2)) {
          values.newRequest();
          DynamicMessage request = values.plausible(rpc.input(), 0);
          send(rpc, other, request, "plausible request about B1's things", Expect.OTHER_USER);
        }

        for (Map.Entry<String, String> header : badAuthorizations().entrySet()) {
          values.newRequest();
          DynamicMessage request = values.plausible(rpc.input(), 0);
          check(
              new Case(rpc, header.getKey(), "plausible request " + Describe.message(request), Expect.UNAUTHENTICATED, List.of()),
              call(rpc, header.getValue(), request.toByteArray()));
        }
      }
    }

    private Map<String, String> badAuthorizations() {
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("no authorization header", null);
      headers.put("authorization: \"\"", "");
      headers.put("Bearer without a token", "Bearer ");
      headers.put("Bearer garbage", "Bearer garbage.garbage.garbage");
      headers.put("Basic credentials", "Basic dXNlcjpwYXNz");
      headers.put(
          "token signed with another key",
          "Bearer " + new TokenIssuer("another-secret-0123456789-0123456789-xyz", Clock.systemUTC()).issue(SUPPORT.subject(), Role.SUPPORT, List.of(), Duration.ofHours(1)));
      headers.put("expired token", "Bearer " + tokens.issue(SUPPORT.subject(), Role.SUPPORT, List.of(), Duration.ofHours(-2)));
      String payload = "{\"sub\":\"support-1\",\"role\":\"SUPPORT\",\"exp\":" + (Clock.systemUTC().instant().getEpochSecond() + 3600) + "}";
      headers.put("unsigned alg=none token", "Bearer " + b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(payload) + ".");
      String[] b1 = token(B1).split("\\.");
      headers.put("B1's token with role SUPPORT pasted in", "Bearer " + b1[0] + "." + b64(payload) + "." + b1[2]);
      return headers;
    }

    // ---- page tokens ----

    record Listing(Rpc rpc, Caller caller, DynamicMessage request, String token, byte[] firstPage) {}

    void pageTokens() {
      List<Listing> listings = new ArrayList<>();
      for (Rpc rpc : rpcs) {
        if (!rpc.lists()) {
          continue;
        }
        Optional<Listing> listing = firstPage(rpc);
        if (listing.isEmpty()) {
          violations.add(rpc.shortName() + ": could not obtain a next_page_token from a real listing to tamper with");
        } else {
          listings.add(listing.get());
        }
      }
      assertThat(listings).as("list RPCs with a real page token").isNotEmpty();
      for (Listing listing : listings) {
        Rpc rpc = listing.rpc();
        FieldDescriptor pageToken = rpc.input().findFieldByName("page_token");
        String token = listing.token();

        Outcome real = send(rpc, listing.caller(), with(listing.request(), pageToken, token), "the untouched next_page_token", Expect.REAL_TOKEN);
        if (real.code() == Code.OK && Arrays.equals(real.response(), listing.firstPage())) {
          violations.add(rpc.shortName() + ": the untouched next_page_token returned the first page again");
        }

        Map<String, String> tampered = new LinkedHashMap<>();
        tampered.put("last character dropped", token.substring(0, token.length() - 1));
        tampered.put("first half only", token.substring(0, token.length() / 2));
        tampered.put("first character dropped", token.substring(1));
        tampered.put("'A' appended", token + "A");
        tampered.put("'AAAA' appended", token + "AAAA");
        tampered.put("leading space", " " + token);
        byte[] raw = Base64.getUrlDecoder().decode(token);
        // Only a different alphabet is a different token; padding alone encodes the same bytes.
        tampered.put("standard base64 alphabet", Base64.getEncoder().withoutPadding().encodeToString(raw));
        for (int i = 0; i < 8; i++) {
          byte[] flipped = raw.clone();
          int bit = random.nextInt(flipped.length * 8);
          flipped[bit / 8] ^= (byte) (1 << (bit % 8));
          tampered.put("bit " + bit + " flipped", HostileValues.base64(flipped));
        }
        tampered.put("random bytes of the same length", HostileValues.base64(values.bytes(raw.length)));
        byte[] unsigned = raw.clone();
        Arrays.fill(unsigned, Math.max(0, unsigned.length - 16), unsigned.length, (byte) 0);
        tampered.put("signature zeroed", HostileValues.base64(unsigned));
        tampered.put("signature cut off", HostileValues.base64(Arrays.copyOf(raw, Math.max(0, raw.length - 16))));
        for (Listing other : listings) {
          if (other != listing) {
            tampered.put("the token of " + other.rpc().shortName(), other.token());
          }
        }
        tampered.forEach(
            (what, value) -> {
              if (!value.equals(token)) {
                send(rpc, listing.caller(), with(listing.request(), pageToken, value), "page_token " + what + ": " + Describe.text(value), Expect.TAMPERED_TOKEN);
              }
            });

        // The same token with other filters.
        for (FieldDescriptor field : rpc.input().getFields()) {
          if (field == pageToken || field.getName().equals("page_size")) {
            continue;
          }
          DynamicMessage.Builder changed = listing.request().toBuilder().setField(pageToken, token);
          String what;
          if (field.isRepeated() && field.getJavaType() == FieldDescriptor.JavaType.ENUM) {
            changed.addRepeatedField(field, values.knownEnumValue(field.getEnumType()));
            what = field.getName() + " filter added";
          } else if (!field.isRepeated() && field.getJavaType() == FieldDescriptor.JavaType.STRING) {
            String current = (String) listing.request().getField(field);
            String other =
                !current.isEmpty() ? (field.getName().equals("order_id") ? otherThan(fixture.orderIds(), current) : "") : (String) values.plausibleScalar(field);
            changed.setField(field, other);
            what = field.getName() + " changed from " + Describe.text(current) + " to " + Describe.text(other);
          } else {
            continue;
          }
          send(rpc, listing.caller(), changed.build(), "the real page_token with " + what, Expect.TAMPERED_TOKEN);
        }

        // The same token and request, by other callers.
        for (Caller other : List.of(B2, S1, S2, SUPPORT, SERVICE)) {
          if (!other.equals(listing.caller()) && permits(rpc, other)) {
            send(rpc, other, with(listing.request(), pageToken, token), "B1's real page_token", Expect.FOREIGN_TOKEN);
          }
        }
      }
    }

    /** A listing with a next page: page size 1, no filters, or one of the fixture's orders. */
    private Optional<Listing> firstPage(Rpc rpc) {
      Caller caller = permits(rpc, B1) ? B1 : PARTIES.stream().filter(c -> permits(rpc, c)).findFirst().orElseThrow();
      FieldDescriptor pageSize = rpc.input().findFieldByName("page_size");
      List<DynamicMessage> candidates = new ArrayList<>();
      candidates.add(DynamicMessage.newBuilder(rpc.input()).setField(pageSize, 1).build());
      FieldDescriptor orderId = rpc.input().findFieldByName("order_id");
      if (orderId != null) {
        // Orders with the longest histories last in the fixture: try them first.
        List<String> newestFirst = new ArrayList<>(fixture.orderIds());
        java.util.Collections.reverse(newestFirst);
        for (String id : newestFirst) {
          candidates.add(DynamicMessage.newBuilder(rpc.input()).setField(pageSize, 1).setField(orderId, id).build());
        }
      }
      for (DynamicMessage request : candidates) {
        Outcome outcome = send(rpc, caller, request, "a first page, to get a real next_page_token", Expect.CLIENT_ERROR_OR_OK);
        if (outcome.code() == Code.OK) {
          DynamicMessage page = parse(rpc.output(), outcome.response());
          String next = (String) page.getField(rpc.output().findFieldByName("next_page_token"));
          if (!next.isEmpty()) {
            return Optional.of(new Listing(rpc, caller, request, next, outcome.response()));
          }
        }
      }
      return Optional.empty();
    }

    private String otherThan(List<String> ids, String current) {
      return ids.stream().filter(id -> !id.equals(current)).findFirst().orElseThrow();
    }

    // ---- netty ----

    void overTheNetwork() {
      for (Rpc rpc : rpcs) {
        List<Caller> parties = PARTIES.stream().filter(c -> permits(rpc, c)).toList();
        Caller owner = parties.get(0);

        // 2 MiB: over the 1 MiB limit, refused by the transport.
        values.newRequest();
        DynamicMessage plausible = values.plausible(rpc.input(), 0);
        Optional<FieldDescriptor> text = rpc.input().getFields().stream().filter(f -> f.getType() == FieldDescriptor.Type.STRING && !f.isRepeated()).findFirst();
        byte[] huge =
            text.isPresent()
                ? plausible.toBuilder().setField(text.get(), HostileValues.HUGE).build().toByteArray()
                : Wire.concat(plausible.toByteArray(), Wire.lengthDelimited(4242, HostileValues.HUGE.getBytes(StandardCharsets.UTF_8)));
        check(
            new Case(rpc, owner.label(), text.map(f -> f.getName() + " = 2 MiB").orElse("2 MiB unknown field"), Expect.TOO_LARGE, List.of()),
            call(rpc, authorization(owner), huge));

        // Just under the limit, in every string field (nested ones included): validation must answer
        // without quoting the megabyte back, or the client could not read the refusal.
        for (String path : stringPaths(rpc.input(), "", 0)) {
          values.newRequest();
          String big = "\u00e9".repeat(300_000) + "' OR 1=1 --";
          DynamicMessage request = setPath(values.plausible(rpc.input(), 0), path, big);
          send(rpc, owner, request, path + " = 600 KB of text (of a key, for a map)", Expect.CLIENT_ERROR_OR_OK);
        }

        // Thousands of invalid elements: one violation each must not make an unreadable refusal.
        for (FieldDescriptor field : rpc.input().getFields()) {
          if (field.isRepeated() && !field.isMapField() && field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
            DynamicMessage.Builder many = values.plausible(rpc.input(), 0).toBuilder();
            for (int i = 0; i < 5000; i++) {
              many.addRepeatedField(
                  field,
                  switch (field.getJavaType()) {
                    case ENUM -> field.getEnumType().findValueByNumberCreatingIfUnknown(1000 + i);
                    case STRING -> "\u0000" + i;
                    default -> values.hostile(field, 0);
                  });
            }
            send(rpc, owner, many.build(), field.getName() + " = 5000 invalid elements", Expect.CLIENT_ERROR_OR_OK);
          }
        }
        DynamicMessage manyBad = values.plausible(rpc.input(), 0);
        manyBad = everyNestedList(manyBad, 0);
        send(rpc, owner, manyBad, "100 invalid elements in every repeated message field", Expect.CLIENT_ERROR_OR_OK);

        // A sample of the in-process cases.
        for (int i = 0; i < 4; i++) {
          values.newRequest();
          Mutation mutation = values.mutateOne(values.plausible(rpc.input(), 0));
          send(rpc, values.pick(parties), mutation.message(), mutation.where() + " = " + mutation.what(), Expect.CLIENT_ERROR_OR_OK);
        }
        values.newRequest();
        DynamicMessage random = values.randomMessage(rpc.input(), 0);
        send(rpc, values.pick(parties), random, "random " + Describe.message(random), Expect.CLIENT_ERROR_OR_OK);
        for (Wire.Body body : Wire.bodies(rpc.input(), plausible.toByteArray(), this.random).subList(0, 4)) {
          check(new Case(rpc, owner.label(), "raw body: " + body.what(), Expect.CLIENT_ERROR_OR_OK, List.of()), call(rpc, authorization(owner), body.bytes()));
        }
      }
    }

    /**
     * Paths of singular string fields and of maps with string keys, e.g.
     * "order.shipping_address.locality", "order.line_items.sku", "order.line_items.variant_attributes".
     */
    private static List<String> stringPaths(Descriptor type, String prefix, int depth) {
      List<String> paths = new ArrayList<>();
      for (FieldDescriptor field : type.getFields()) {
        boolean stringKeys = field.isMapField() && field.getMessageType().findFieldByName("key").getType() == FieldDescriptor.Type.STRING;
        if ((field.getType() == FieldDescriptor.Type.STRING && !field.isRepeated()) || stringKeys) {
          paths.add(prefix + field.getName());
        } else if (field.getType() == FieldDescriptor.Type.MESSAGE && !field.isMapField() && depth < 2) {
          paths.addAll(stringPaths(field.getMessageType(), prefix + field.getName() + ".", depth + 1));
        }
      }
      return paths;
    }

    /**
     * Sets a string at a dotted path (for a map: adds an entry with that key); through a repeated
     * message field it sets the first element.
     */
    private DynamicMessage setPath(DynamicMessage message, String path, String value) {
      int dot = path.indexOf('.');
      FieldDescriptor field = message.getDescriptorForType().findFieldByName(dot < 0 ? path : path.substring(0, dot));
      DynamicMessage.Builder builder = message.toBuilder();
      if (dot < 0 && field.isMapField()) {
        return builder.addRepeatedField(field, values.mapEntry(field, value, values.plausibleScalar(field.getMessageType().findFieldByName("value")))).build();
      }
      if (dot < 0) {
        return builder.setField(field, value).build();
      }
      if (field.isRepeated()) {
        if (builder.getRepeatedFieldCount(field) == 0) {
          builder.addRepeatedField(field, values.plausible(field.getMessageType(), 1));
        }
        return builder.setRepeatedField(field, 0, setPath((DynamicMessage) builder.getRepeatedField(field, 0), path.substring(dot + 1), value)).build();
      }
      DynamicMessage child = message.hasField(field) ? (DynamicMessage) message.getField(field) : values.plausible(field.getMessageType(), 1);
      return builder.setField(field, setPath(child, path.substring(dot + 1), value)).build();
    }

    /** Every repeated message field, at any depth, gets 100 more elements, each with every string field "\u0000". */
    private DynamicMessage everyNestedList(DynamicMessage message, int depth) {
      DynamicMessage.Builder builder = message.toBuilder();
      for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
        if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE || field.isMapField() || depth > 2) {
          continue;
        }
        if (field.isRepeated()) {
          for (int i = 0; i < 100; i++) {
            DynamicMessage.Builder element = DynamicMessage.newBuilder(field.getMessageType());
            for (FieldDescriptor inner : field.getMessageType().getFields()) {
              if (inner.getType() == FieldDescriptor.Type.STRING && !inner.isRepeated()) {
                element.setField(inner, "\u0000");
              }
            }
            builder.addRepeatedField(field, element.build());
          }
        } else if (message.hasField(field)) {
          builder.setField(field, everyNestedList((DynamicMessage) message.getField(field), depth + 1));
        }
      }
      return builder.build();
    }

    // ---- calls ----

    private boolean permits(Rpc rpc, Caller caller) {
      return rpc.rule().map(rule -> rule.permits(caller.principal())).orElse(false);
    }

    private String token(Caller caller) {
      return tokenCache.computeIfAbsent(caller, c -> tokens.issue(c.subject(), c.role(), c.scopes(), Duration.ofHours(2)));
    }

    private String authorization(Caller caller) {
      return "Bearer " + token(caller);
    }

    private io.grpc.ClientInterceptor bearer(Caller caller) {
      return GrpcTestServer.bearer(token(caller));
    }

    private Outcome send(Rpc rpc, Caller caller, DynamicMessage request, String what, Expect expect) {
      Outcome outcome = call(rpc, authorization(caller), request.toByteArray());
      check(new Case(rpc, caller.label(), what, expect, HostileValues.strings(request)), outcome);
      return outcome;
    }

    Outcome call(Rpc rpc, String authorization, byte[] body) {
      calls++;
      Metadata headers = new Metadata();
      if (authorization != null) {
        headers.put(AuthInterceptor.AUTHORIZATION, authorization);
      }
      Channel withHeaders = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
      long start = System.nanoTime();
      Outcome outcome;
      try {
        byte[] response = ClientCalls.blockingUnaryCall(withHeaders, rpc.raw(), CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), body);
        outcome = new Outcome(Status.OK, null, response);
      } catch (StatusRuntimeException e) {
        outcome = new Outcome(e.getStatus(), StatusProto.fromThrowable(e), null);
      }
      codes.computeIfAbsent(rpc.shortName(), k -> new TreeMap<>()).merge(outcome.code(), 1, Integer::sum);
      long millis = (System.nanoTime() - start) / 1_000_000;
      callMillis += millis;
      slowest.add(String.format("%6d ms  %s, %d bytes -> %s", millis, rpc.shortName(), body.length, outcome.code()));
      slowest.sort(Comparator.comparingInt((String line) -> Integer.parseInt(line.substring(0, 6).strip())).reversed());
      if (slowest.size() > 8) {
        slowest.remove(slowest.size() - 1);
      }
      return outcome;
    }

    // ---- verdicts ----

    void check(Case c, Outcome outcome) {
      Code code = outcome.code();
      Optional<String> reason = outcome.errorInfo().map(ErrorInfo::getReason);
      String line = c.rpc().shortName() + " as " + c.caller() + " | " + c.request();
      log.add((line.length() > 300 ? line.substring(0, 300) + "..." : line) + " -> " + code + reason.map(r -> " " + r).orElse(""));
      boolean accepted =
          switch (c.expect()) {
            case CLIENT_ERROR_OR_OK ->
                CLIENT_CODES.contains(code) || (code == Code.ABORTED && reason.equals(Optional.of("ETAG_MISMATCH")));
            case TAMPERED_TOKEN -> code == Code.INVALID_ARGUMENT;
            case FOREIGN_TOKEN -> code == Code.INVALID_ARGUMENT || code == Code.NOT_FOUND || code == Code.PERMISSION_DENIED;
            case OTHER_USER ->
                code == Code.NOT_FOUND
                    || code == Code.PERMISSION_DENIED
                    || (code == Code.OK && secrets().stream().noneMatch(s -> contains(outcome.response(), s)));
            case UNAUTHENTICATED -> code == Code.UNAUTHENTICATED;
            case TOO_LARGE -> code == Code.RESOURCE_EXHAUSTED;
            case REAL_TOKEN -> code == Code.OK;
          };
      if (!accepted) {
        violation(c, outcome, "code " + code + " is not acceptable for " + c.expect());
      }
      if (code == Code.OK) {
        return;
      }
      String description = String.valueOf(outcome.status().getDescription());
      // docs/api.md: every error carries exactly one ErrorInfo of the service's domain. Only the
      // transport's own refusal of an oversized message (before the service) has none.
      List<ErrorInfo> infos =
          outcome.details() == null
              ? List.of()
              : outcome.details().getDetailsList().stream().filter(a -> a.is(ErrorInfo.class)).map(a -> unpack(a, ErrorInfo.class)).toList();
      boolean transportRefusal = code == Code.RESOURCE_EXHAUSTED && infos.isEmpty();
      if (!transportRefusal && (infos.size() != 1 || !infos.get(0).getDomain().equals(ErrorMapper.DOMAIN))) {
        violation(c, outcome, "expected exactly one ErrorInfo of domain " + ErrorMapper.DOMAIN + ", got " + infos);
      }
      if (description.length() > MAX_DESCRIPTION) {
        violation(c, outcome, "message of " + description.length() + " characters");
      }
      if (outcome.details() != null && outcome.details().getSerializedSize() > MAX_STATUS_BYTES) {
        violation(c, outcome, "status of " + outcome.details().getSerializedSize() + " bytes");
      }
      for (String text : texts(outcome)) {
        String unquoted = withoutEchoes(text, c.echoes());
        for (Pattern leak : LEAKS) {
          Matcher m = leak.matcher(unquoted);
          while (m.find()) {
            if (!isApiName(m.group())) {
              violation(c, outcome, "leaks " + Describe.text(m.group()) + " in " + Describe.text(excerpt(unquoted, m.start())));
              break;
            }
          }
        }
      }
    }

    private void violation(Case c, Outcome outcome, String problem) {
      violations.add(
          c.rpc().shortName() + " as " + c.caller() + " | " + c.request() + "\n      -> " + outcome.code() + " "
              + Describe.text(String.valueOf(outcome.status().getDescription())) + "\n      !! " + problem);
    }

    void report(String transport, long started) throws IOException {
      double seconds = (System.nanoTime() - started) / 1e9;
      Map<Code, Integer> total = new TreeMap<>();
      codes.values().forEach(m -> m.forEach((code, n) -> total.merge(code, n, Integer::sum)));
      String summary =
          String.format(
              "HostileInputTest (%s, seed %d): %d calls in %.1f s (%.1f s starting the server, %.1f s waiting for answers), %s, %d violations",
              transport, SEED, calls, seconds, (attackStarted - started) / 1e9, callMillis / 1e3, total, violations.size());
      System.out.println(summary);
      StringBuilder out = new StringBuilder(summary).append('\n');
      codes.forEach((rpc, m) -> out.append(String.format("  %-45s %s%n", rpc, m)));
      out.append("slowest calls:\n");
      slowest.forEach(line -> out.append("  ").append(line).append('\n'));
      out.append("violations:\n");
      violations.forEach(v -> out.append(v).append('\n'));
      out.append("every call:\n");
      log.forEach(line -> out.append("  ").append(line).append('\n'));
      Path file = Path.of("target", "hostile-input-" + transport + ".txt");
      Files.createDirectories(file.getParent());
      // getBytes replaces a surrogate pair cut in half by shortening, where writeString would throw.
      Files.write(file, out.toString().getBytes(StandardCharsets.UTF_8));
    }

    void assertNoViolations() {
      if (!violations.isEmpty()) {
        int shown = Math.min(violations.size(), 150);
        throw new AssertionError(
            violations.size() + " violations (seed " + SEED + "):\n  " + String.join("\n  ", violations.subList(0, shown))
                + (shown < violations.size() ? "\n  ... and " + (violations.size() - shown) + " more" : ""));
      }
    }
  }

  // ---- leak detection ----

  private static final List<Pattern> LEAKS =
      List.of(
          Pattern.compile("\tat |\\bat [a-z][\\w$]*(\\.[\\w$]+)+\\(|\\.java:\\d*|Caused by:"),
          Pattern.compile("\\b[A-Z][A-Za-z0-9]*(Exception|Error)\\b"),
          Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.){2,}[A-Z][\\w$]*"),
          Pattern.compile(
              "(?i)\\b(select\\b.*\\bfrom|insert\\s+into|update\\b.*\\bset|delete\\s+from|sqlstate|sql\\w*|jooq|jdbc|mariadb|mysql|hikari"
                  + "|syntax|constraint|duplicate entry|data too long|incorrect string value|deadlock|foreign key|table|column)\\b"));

  /** Service, method and message names of the API itself are not leaks. */
  private static boolean isApiName(String match) {
    return match.startsWith("orders.v1.") || match.startsWith("grpc.") || match.startsWith("google.");
  }

  private static List<String> texts(Outcome outcome) {
    List<String> texts = new ArrayList<>();
    texts.add(String.valueOf(outcome.status().getDescription()));
    if (outcome.details() != null) {
      texts.add(outcome.details().getMessage());
      for (Any any : outcome.details().getDetailsList()) {
        if (any.is(ErrorInfo.class)) {
          ErrorInfo info = unpack(any, ErrorInfo.class);
          texts.add(info.getReason());
          texts.addAll(info.getMetadataMap().values());
        } else if (any.is(BadRequest.class)) {
          for (BadRequest.FieldViolation v : unpack(any, BadRequest.class).getFieldViolationsList()) {
            texts.add(v.getField());
            texts.add(v.getDescription());
          }
        } else if (any.is(PreconditionFailure.class)) {
          for (PreconditionFailure.Violation v : unpack(any, PreconditionFailure.class).getViolationsList()) {
            texts.add(v.getType());
            texts.add(v.getSubject());
            texts.add(v.getDescription());
          }
        } else if (!any.getTypeUrl().endsWith("google.rpc.RetryInfo")) {
          texts.add(any.getTypeUrl());
        }
      }
    }
    return texts;
  }

  private static String withoutEchoes(String text, List<String> echoes) {
    String out = text;
    List<String> sorted = new ArrayList<>();
    for (String echo : echoes) {
      sorted.add(echo);
      sorted.add(echo.strip());
    }
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    for (String echo : sorted) {
      if (echo.length() >= 8) {
        out = out.replace(echo, "\u2026");
      }
    }
    return out;
  }

  private static String excerpt(String text, int at) {
    int from = Math.max(0, at - 40);
    return text.substring(from, Math.min(text.length(), at + 80));
  }

  private static boolean contains(byte[] haystack, String needle) {
    byte[] n = needle.getBytes(StandardCharsets.UTF_8);
    outer:
    for (int i = 0; i + n.length <= haystack.length; i++) {
      for (int j = 0; j < n.length; j++) {
        if (haystack[i + j] != n[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  // ---- small things ----

  private static DynamicMessage with(DynamicMessage message, FieldDescriptor field, Object value) {
    return message.toBuilder().setField(field, value).build();
  }

  private static DynamicMessage parse(Descriptor type, byte[] bytes) {
    try {
      return DynamicMessage.parseFrom(type, bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("unparseable " + type.getFullName(), e);
    }
  }

  private static <T extends com.google.protobuf.Message> T unpack(Any any, Class<T> type) {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
