package dev.marketplace.orders.server.hostile;

import static dev.marketplace.orders.server.hostile.Caller.B1;
import static dev.marketplace.orders.server.hostile.Caller.B2;
import static dev.marketplace.orders.server.hostile.Caller.HOSTILE_SUBJECTS;
import static dev.marketplace.orders.server.hostile.Caller.PARTIES;
import static dev.marketplace.orders.server.hostile.Caller.S1;
import static dev.marketplace.orders.server.hostile.Caller.S2;
import static dev.marketplace.orders.server.hostile.Caller.SERVICE;
import static dev.marketplace.orders.server.hostile.Caller.SUPPORT;
import static dev.marketplace.orders.server.hostile.HostileInputTest.MAX_ONE_FIELD_CASES;
import static dev.marketplace.orders.server.hostile.HostileInputTest.MIN_ONE_FIELD_CASES;
import static dev.marketplace.orders.server.hostile.HostileInputTest.RANDOM_CASES;
import static dev.marketplace.orders.server.hostile.HostileInputTest.SEED;
import static dev.marketplace.orders.server.hostile.Rpc.rpcs;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.server.auth.AuthInterceptor;
import dev.marketplace.orders.server.auth.TokenIssuer;
import dev.marketplace.orders.server.hostile.HostileValues.Fixture;
import dev.marketplace.orders.server.hostile.HostileValues.Mutation;
import dev.marketplace.orders.server.hostile.Verdicts.Case;
import dev.marketplace.orders.server.hostile.Verdicts.Expect;
import dev.marketplace.orders.server.hostile.Verdicts.Outcome;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.ApproveCancellationRequestRequest;
import dev.marketplace.orders.v1.CancelOrderRequest;
import dev.marketplace.orders.v1.CancelOrderResponse;
import dev.marketplace.orders.v1.CancellationReason;
import dev.marketplace.orders.v1.CancellationRequest;
import dev.marketplace.orders.v1.CancellationServiceGrpc;
import dev.marketplace.orders.v1.ConversationServiceGrpc;
import dev.marketplace.orders.v1.Dispute;
import dev.marketplace.orders.v1.DisputeServiceGrpc;
import dev.marketplace.orders.v1.OpenSupportCaseRequest;
import dev.marketplace.orders.v1.SupportCase;
import dev.marketplace.orders.v1.SupportServiceGrpc;
import dev.marketplace.orders.v1.RequestReturnRequest;
import dev.marketplace.orders.v1.Return;
import dev.marketplace.orders.v1.ReturnServiceGrpc;
import dev.marketplace.orders.v1.Modification;
import dev.marketplace.orders.v1.ModificationServiceGrpc;
import dev.marketplace.orders.v1.OpenDisputeRequest;
import dev.marketplace.orders.v1.OrderServiceGrpc;
import dev.marketplace.orders.v1.ProposeModificationRequest;
import dev.marketplace.orders.v1.RecordPaymentRequest;
import dev.marketplace.orders.v1.SendMessageRequest;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** One run against one server: fixture, generator, calls, verdicts. */
final class Attack {
  final Channel channel;
  final TokenIssuer tokens;
  final Random random;
  final List<Rpc> rpcs = rpcs();
  final Fixture fixture;
  final HostileValues values;
  final List<String> violations = new ArrayList<>();
  /** Support cases no request names, so that they stay in the queue. */
  final List<String> queuedCases = new ArrayList<>();
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
    List<String> modifications = new ArrayList<>();
    var b1Modifies = ModificationServiceGrpc.newBlockingStub(channel).withInterceptors(bearer(B1));
    List<String> disputes = new ArrayList<>();
    var b1Disputes = DisputeServiceGrpc.newBlockingStub(channel).withInterceptors(bearer(B1));
    List<String> cases = new ArrayList<>();
    var b1Support = SupportServiceGrpc.newBlockingStub(channel).withInterceptors(bearer(B1));
    for (int i = 0; i < 12; i++) {
      String orderId = checkout.withDeadlineAfter(10, TimeUnit.SECONDS).createOrder(Requests.create(B1.subject(), S1.subject())).getOrderId();
      orders.add(orderId);
      if (i < 3) {
        if (i < 2) {
          // Unpaid orders with B1's open modification (S1 answers it); two, so that a listing has a second page.
          modifications.add(
              b1Modifies.withDeadlineAfter(10, TimeUnit.SECONDS)
                  .proposeModification(
                      ProposeModificationRequest.newBuilder()
                          .setRequestId(Requests.newId())
                          .setOrderId(orderId)
                          .setQuantityChange(Modification.QuantityChange.newBuilder().setLineIndex(0).setQuantity(3))
                          .build())
                  .getModificationId());
        }
        continue; // unpaid
      }
      checkout.withDeadlineAfter(10, TimeUnit.SECONDS).recordPayment(Requests.payment(orderId, RecordPaymentRequest.Outcome.CAPTURED));
      if (i < 5) {
        // Paid orders with B1's open support case: two to name in requests (which may resolve them)...
        cases.add(
            b1Support.withDeadlineAfter(10, TimeUnit.SECONDS)
                .openSupportCase(
                    OpenSupportCaseRequest.newBuilder()
                        .setRequestId(Requests.newId())
                        .setOrderId(orderId)
                        .setKind(SupportCase.Kind.OTHER)
                        .setDescription("The seller does not answer")
                        .build())
                .getCaseId());
        // ...and two more that stay in the queue, so that it has a second page.
        queuedCases.add(
            b1Support.withDeadlineAfter(10, TimeUnit.SECONDS)
                .openSupportCase(
                    OpenSupportCaseRequest.newBuilder()
                        .setRequestId(Requests.newId())
                        .setOrderId(orderId)
                        .setKind(SupportCase.Kind.CANCELLATION_NOT_PROCESSED)
                        .setDescription("Nobody cancelled it")
                        .build())
                .getCaseId());
        continue; // paid
      }
      if (i < 7) {
        checkout.withDeadlineAfter(10, TimeUnit.SECONDS).shipOrder(Requests.ship(orderId));
        // Shipped orders with B1's open dispute; two, so that a listing has a second page.
        disputes.add(
            b1Disputes.withDeadlineAfter(10, TimeUnit.SECONDS)
                .openDispute(
                    OpenDisputeRequest.newBuilder()
                        .setRequestId(Requests.newId())
                        .setOrderId(orderId)
                        .setReason(Dispute.Reason.NOT_RECEIVED)
                        .setDescription("The parcel has not arrived")
                        .setFullRefund(true)
                        .build())
                .getDisputeId());
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
    // Delivered orders with B1's requested return; two, so that a listing has a second page.
    List<String> returns = new ArrayList<>();
    var b1Returns = ReturnServiceGrpc.newBlockingStub(channel).withInterceptors(bearer(B1));
    for (int i = 0; i < 2; i++) {
      String orderId = checkout.withDeadlineAfter(10, TimeUnit.SECONDS).createOrder(Requests.create(B1.subject(), S1.subject())).getOrderId();
      orders.add(orderId);
      checkout.withDeadlineAfter(10, TimeUnit.SECONDS).recordPayment(Requests.payment(orderId, RecordPaymentRequest.Outcome.CAPTURED));
      checkout.withDeadlineAfter(10, TimeUnit.SECONDS).shipOrder(Requests.ship(orderId));
      checkout.withDeadlineAfter(10, TimeUnit.SECONDS).confirmDelivery(Requests.deliver(orderId));
      returns.add(
          b1Returns.withDeadlineAfter(10, TimeUnit.SECONDS)
              .requestReturn(
                  RequestReturnRequest.newBuilder()
                      .setRequestId(Requests.newId())
                      .setOrderId(orderId)
                      .addLines(RequestReturnRequest.Line.newBuilder().setLineIndex(0).setQuantity(1))
                      .setReason(Return.Reason.DAMAGED)
                      .setDescription("The case is cracked")
                      .build())
              .getReturnId());
    }
    var b1Talks = ConversationServiceGrpc.newBlockingStub(channel).withInterceptors(bearer(B1));
    List<String> messages = new ArrayList<>();
    for (String orderId : orders) {
      messages.add(
          b1Talks.withDeadlineAfter(10, TimeUnit.SECONDS)
              .sendMessage(SendMessageRequest.newBuilder().setRequestId(Requests.newId()).setOrderId(orderId).setText("Hello from B1").build())
              .getMessageId());
    }
    return new Fixture(
        B1.subject(), S1.subject(), List.copyOf(orders), List.copyOf(requests), List.copyOf(refunds), List.copyOf(messages),
        List.copyOf(modifications), List.copyOf(disputes), List.copyOf(cases), List.copyOf(returns));
  }

  /** Everything another party must not learn: B1's and S1's ids and names. */
  private List<String> secrets() {
    List<String> secrets = new ArrayList<>(fixture.orderIds());
    secrets.addAll(fixture.requestIds());
    secrets.addAll(fixture.refundIds());
    secrets.addAll(fixture.messageIds());
    secrets.addAll(fixture.modificationIds());
    secrets.addAll(fixture.disputeIds());
    secrets.addAll(fixture.caseIds());
    secrets.addAll(fixture.returnIds());
    secrets.addAll(queuedCases);
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
      byte[] response =
          rpc.raw().getType() == MethodDescriptor.MethodType.SERVER_STREAMING
              ? firstOfStream(withHeaders, rpc, body)
              : ClientCalls.blockingUnaryCall(withHeaders, rpc.raw(), CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), body);
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

  /**
   * A stream's answer is its first message (every accepted stream opens with one); the stream is
   * then cancelled, as a consumer that leaves. A refused stream throws its status here.
   */
  private static byte[] firstOfStream(Channel channel, Rpc rpc, byte[] body) {
    io.grpc.Context.CancellableContext stream = io.grpc.Context.current().withCancellation();
    try {
      return stream.call(
          () -> ClientCalls.blockingServerStreamingCall(channel, rpc.raw(), CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), body).next());
    } catch (StatusRuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      stream.cancel(null);
    }
  }

  // ---- verdicts ----

  void check(Case c, Outcome outcome) {
    Code code = outcome.code();
    Optional<String> reason = outcome.errorInfo().map(ErrorInfo::getReason);
    String line = c.rpc().shortName() + " as " + c.caller() + " | " + c.request();
    log.add((line.length() > 300 ? line.substring(0, 300) + "..." : line) + " -> " + code + reason.map(r -> " " + r).orElse(""));
    for (String problem : Verdicts.problems(c, outcome, this::secrets)) {
      violation(c, outcome, problem);
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

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
