package dev.marketplace.orders.server.hostile;

import dev.marketplace.orders.domain.testing.TestDatabase;
import dev.marketplace.orders.server.OrdersApplication;
import dev.marketplace.orders.server.auth.AuthRules;
import dev.marketplace.orders.server.auth.TokenIssuer;
import dev.marketplace.orders.server.config.ServerConfig;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.wiring.OrdersServer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.time.Clock;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 * {@value Verdicts#MAX_DESCRIPTION} characters and the whole status under {@value Verdicts#MAX_STATUS_BYTES} bytes,
 * so that it fits the 8 KiB of trailers a gRPC client accepts by default.
 *
 * <p>All violations are collected and reported together (RPC, caller, the request, code, message).
 * A summary, the violations and every call with its code and reason are written to
 * {@code target/hostile-input-in-process.txt} and {@code target/hostile-input-netty.txt}.
 */
class HostileInputTest {

  static final long SEED = Long.getLong("hostile.seed", 0x5EED_2024L);

  /** Mutations with one hostile place per RPC (half its places, within these bounds), and entirely random requests. */
  static final int MIN_ONE_FIELD_CASES = 12;
  static final int MAX_ONE_FIELD_CASES = 60;
  static final int RANDOM_CASES = 5;

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
}
