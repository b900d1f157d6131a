package dev.marketplace.orders.bench;

import dev.marketplace.orders.client.OrdersClient;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.server.auth.TokenIssuer;
import dev.marketplace.orders.v1.ApproveCancellationRequestRequest;
import dev.marketplace.orders.v1.CancelOrderRequest;
import dev.marketplace.orders.v1.CancelOrderResponse;
import dev.marketplace.orders.v1.CancellationReason;
import dev.marketplace.orders.v1.CancellationRequest;
import dev.marketplace.orders.v1.ListOrdersRequest;
import io.grpc.ManagedChannel;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * The five workloads, each in two forms: through the service (the client module over gRPC) and as
 * the raw-JDBC baseline (the service's own statements for one sample call, replayed with this
 * iteration's identities). Write workloads consume prepared orders, one per operation, from pools
 * that belong to one caller each, so callers never contend for the same order.
 */
final class Workloads {

  enum Workload {
    CANCEL_UNPAID("buyer cancels an unpaid order", true),
    REQUEST_AND_APPROVE("buyer requests cancellation, seller approves", true),
    GET_ORDER("GetOrder", false),
    LIST_ORDERS("ListOrders, first page of 20", false),
    CHECK_ELIGIBILITY("CheckCancellationEligibility", false);

    final String title;
    final boolean write;

    Workload(String title, boolean write) {
      this.title = title;
      this.write = write;
    }
  }

  static final String SERVICE_CANCEL = "svc-cancel";
  static final String SERVICE_APPROVE = "svc-approve";
  static final String BASELINE_CANCEL = "jdbc-cancel";
  static final String BASELINE_APPROVE = "jdbc-approve";
  static final String SAMPLE_CANCEL = "sample-cancel";
  static final String SAMPLE_APPROVE = "sample-approve";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

  private final TokenIssuer tokens = new TokenIssuer(ServerUnderTest.SECRET, Clock.systemUTC());
  private final Map<String, OrdersClient> clients = new ConcurrentHashMap<>();
  private final Map<Workload, StatementTemplates> templates = new EnumMap<>(Workload.class);
  private final Map<Workload, Map<String, String>> sampleText = new EnumMap<>(Workload.class);
  private final Map<Workload, Map<UUID, Kind>> sampleIds = new EnumMap<>(Workload.class);
  /** Marketplace buyers and their orders, for the read workloads. */
  private final List<String> readBuyers = new ArrayList<>();
  private final Map<String, List<UUID>> ordersOfBuyer = new HashMap<>();

  /** What a sample identity is, so that each iteration can put its own in its place. */
  enum Kind {
    ORDER,
    RPC_REQUEST_ID,
    CANCELLATION_REQUEST,
    REFUND
  }

  static String buyer(String prefix, int n) {
    return String.format("%s-buyer-%04d", prefix, n);
  }

  static String seller(String prefix, int n) {
    return String.format("%s-seller-%04d", prefix, n);
  }

  OrdersClient client(ManagedChannel channel, String subject, Role role, String... scopes) {
    return clients.computeIfAbsent(
        channel.hashCode() + "/" + role + "/" + subject,
        k -> {
          String token = tokens.issue(subject, role, List.of(scopes), Duration.ofHours(12));
          return OrdersClient.builder().channel(channel).tokenSupplier(() -> token).defaultDeadline(Duration.ofSeconds(30)).maxAttempts(1).build();
        });
  }

  // ---- pools ----

  /** The orders in {@code state} of each pool buyer {@code <prefix>-buyer-%04d}, by buyer number. */
  static List<Queue<UUID>> pools(DataSource dataSource, String prefix, int buyers, String state) throws SQLException {
    List<Queue<UUID>> pools = new ArrayList<>();
    for (int b = 0; b < buyers; b++) {
      pools.add(new ArrayDeque<>());
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT id, buyer_id FROM orders WHERE buyer_id LIKE ? AND state = ? ORDER BY id")) {
      s.setString(1, prefix + "-buyer-%");
      s.setString(2, state);
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          String buyer = rows.getString(2);
          int n = Integer.parseInt(buyer.substring(buyer.lastIndexOf('-') + 1));
          if (n < buyers) {
            pools.get(n).add(uuid(rows.getBytes(1)));
          }
        }
      }
    }
    return pools;
  }

  /** Loads {@code count} marketplace buyers who have at least 20 orders, with their orders. */
  void loadReadBuyers(DataSource dataSource, int count) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT buyer_id FROM orders WHERE buyer_id LIKE 'buyer-%' GROUP BY buyer_id HAVING COUNT(*) >= 20 ORDER BY buyer_id LIMIT ?")) {
      s.setInt(1, count);
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          readBuyers.add(rows.getString(1));
        }
      }
    }
    if (readBuyers.isEmpty()) {
      throw new IllegalStateException("no marketplace buyer has 20 orders; seed more orders per buyer");
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT id FROM orders WHERE buyer_id = ?")) {
      for (String buyer : readBuyers) {
        s.setString(1, buyer);
        List<UUID> ids = new ArrayList<>();
        try (ResultSet rows = s.executeQuery()) {
          while (rows.next()) {
            ids.add(uuid(rows.getBytes(1)));
          }
        }
        ordersOfBuyer.put(buyer, ids);
      }
    }
  }

  String readBuyer(int caller) {
    return readBuyers.get(caller % readBuyers.size());
  }

  UUID someOrderOf(String buyer) {
    List<UUID> ids = ordersOfBuyer.get(buyer);
    return ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
  }

  // ---- the service ----

  /** One operation of {@code workload} through the service, as caller {@code caller}. */
  LoadRunner.Operation service(Workload workload, ManagedChannel channel, int caller, List<Queue<UUID>> cancelPools, List<Queue<UUID>> approvePools) {
    return switch (workload) {
      case CANCEL_UNPAID -> {
        OrdersClient buyer = client(channel, buyer(SERVICE_CANCEL, caller), Role.BUYER);
        Queue<UUID> pool = cancelPools.get(caller);
        yield () -> cancelUnpaid(buyer, next(pool), UUID.randomUUID());
      }
      case REQUEST_AND_APPROVE -> {
        OrdersClient buyer = client(channel, buyer(SERVICE_APPROVE, caller), Role.BUYER);
        OrdersClient seller = client(channel, seller(SERVICE_APPROVE, caller), Role.SELLER);
        Queue<UUID> pool = approvePools.get(caller);
        yield () -> requestAndApprove(buyer, seller, next(pool), UUID.randomUUID(), UUID.randomUUID());
      }
      case GET_ORDER -> {
        String buyerId = readBuyer(caller);
        OrdersClient buyer = client(channel, buyerId, Role.BUYER);
        yield () -> buyer.getOrder(someOrderOf(buyerId).toString());
      }
      case LIST_ORDERS -> {
        OrdersClient buyer = client(channel, readBuyer(caller), Role.BUYER);
        yield () -> buyer.listOrders(ListOrdersRequest.newBuilder().setPageSize(20).build());
      }
      case CHECK_ELIGIBILITY -> {
        String buyerId = readBuyer(caller);
        OrdersClient buyer = client(channel, buyerId, Role.BUYER);
        yield () -> buyer.checkCancellationEligibility(someOrderOf(buyerId).toString());
      }
    };
  }

  private static UUID next(Queue<UUID> pool) throws LoadRunner.Exhausted {
    UUID id;
    synchronized (pool) {
      id = pool.poll();
    }
    if (id == null) {
      throw new LoadRunner.Exhausted();
    }
    return id;
  }

  private static CancelOrderResponse cancelUnpaid(OrdersClient buyer, UUID order, UUID requestId) {
    CancelOrderResponse response =
        buyer.cancelOrder(
            CancelOrderRequest.newBuilder()
                .setRequestId(requestId.toString())
                .setOrderId(order.toString())
                .setReason(CancellationReason.Code.ORDERED_BY_ACCIDENT)
                .build());
    if (response.getOutcome() != CancelOrderResponse.Outcome.CANCELLED) {
      throw new IllegalStateException("unpaid order " + order + " was not cancelled: " + response.getOutcome());
    }
    return response;
  }

  private static CancellationRequest[] requestAndApprove(OrdersClient buyer, OrdersClient seller, UUID order, UUID cancelId, UUID approveId) {
    CancelOrderResponse asked =
        buyer.cancelOrder(
            CancelOrderRequest.newBuilder()
                .setRequestId(cancelId.toString())
                .setOrderId(order.toString())
                .setReason(CancellationReason.Code.BETTER_PRICE_ELSEWHERE)
                .build());
    if (asked.getOutcome() != CancelOrderResponse.Outcome.REQUESTED) {
      throw new IllegalStateException("paid order " + order + " did not get a request: " + asked.getOutcome());
    }
    CancellationRequest approved =
        seller.approveCancellationRequest(
            ApproveCancellationRequestRequest.newBuilder()
                .setRequestId(approveId.toString())
                .setCancellationRequestId(asked.getCancellationRequest().getCancellationRequestId())
                .build());
    return new CancellationRequest[] {asked.getCancellationRequest(), approved};
  }

  // ---- capture: one sample call per workload against a server writing its statement log ----

  /** Runs one sample of each workload through {@code channel} and keeps what the server sent to the database. */
  void capture(ManagedChannel channel, Path statementLog, DataSource dataSource) throws Exception {
    UUID unpaid = pools(dataSource, SAMPLE_CANCEL, 1, "AWAITING_PAYMENT").get(0).remove();
    UUID requestId = UUID.randomUUID();
    long mark = StatementTemplates.mark(statementLog);
    cancelUnpaid(client(channel, buyer(SAMPLE_CANCEL, 0), Role.BUYER), unpaid, requestId);
    keep(Workload.CANCEL_UNPAID, statementLog, mark,
        Map.of(unpaid, Kind.ORDER, requestId, Kind.RPC_REQUEST_ID),
        Map.of(buyer(SAMPLE_CANCEL, 0), "BUYER", seller(SAMPLE_CANCEL, 0), "SELLER"));

    UUID paid = pools(dataSource, SAMPLE_APPROVE, 1, "AWAITING_SHIPMENT").get(0).remove();
    UUID cancelId = UUID.randomUUID();
    UUID approveId = UUID.randomUUID();
    mark = StatementTemplates.mark(statementLog);
    CancellationRequest[] both =
        requestAndApprove(
            client(channel, buyer(SAMPLE_APPROVE, 0), Role.BUYER), client(channel, seller(SAMPLE_APPROVE, 0), Role.SELLER), paid, cancelId, approveId);
    Map<UUID, Kind> ids = new HashMap<>();
    ids.put(paid, Kind.ORDER);
    ids.put(cancelId, Kind.RPC_REQUEST_ID);
    ids.put(approveId, Kind.RPC_REQUEST_ID);
    ids.put(UUID.fromString(both[0].getCancellationRequestId()), Kind.CANCELLATION_REQUEST);
    ids.put(UUID.fromString(both[1].getRefund().getRefundId()), Kind.REFUND);
    keep(Workload.REQUEST_AND_APPROVE, statementLog, mark, ids,
        Map.of(buyer(SAMPLE_APPROVE, 0), "BUYER", seller(SAMPLE_APPROVE, 0), "SELLER", both[0].getReference(), "REFERENCE"));

    String reader = readBuyer(0);
    UUID order = someOrderOf(reader);
    OrdersClient buyer = client(channel, reader, Role.BUYER);
    mark = StatementTemplates.mark(statementLog);
    buyer.getOrder(order.toString());
    keep(Workload.GET_ORDER, statementLog, mark, Map.of(order, Kind.ORDER), Map.of(reader, "BUYER"));
    mark = StatementTemplates.mark(statementLog);
    buyer.listOrders(ListOrdersRequest.newBuilder().setPageSize(20).build());
    keep(Workload.LIST_ORDERS, statementLog, mark, Map.of(), Map.of(reader, "BUYER"));
    mark = StatementTemplates.mark(statementLog);
    buyer.checkCancellationEligibility(order.toString());
    keep(Workload.CHECK_ELIGIBILITY, statementLog, mark, Map.of(order, Kind.ORDER), Map.of(reader, "BUYER"));
  }

  private void keep(Workload workload, Path log, long mark, Map<UUID, Kind> ids, Map<String, String> text) throws Exception {
    templates.put(workload, StatementTemplates.readSince(log, mark));
    sampleIds.put(workload, ids);
    sampleText.put(workload, text);
  }

  StatementTemplates templates(Workload workload) {
    return templates.get(workload);
  }

  // ---- the baseline ----

  /** One operation of {@code workload} as plain JDBC: the sample's statements with this caller's identities. */
  LoadRunner.Operation baseline(Workload workload, DataSource dataSource, int caller, List<Queue<UUID>> cancelPools, List<Queue<UUID>> approvePools) {
    StatementTemplates statements = templates.get(workload);
    return switch (workload) {
      case CANCEL_UNPAID -> {
        Queue<UUID> pool = cancelPools.get(caller);
        yield () -> statements.replay(dataSource, substitutions(workload, next(pool), buyer(BASELINE_CANCEL, caller), seller(BASELINE_CANCEL, caller)));
      }
      case REQUEST_AND_APPROVE -> {
        Queue<UUID> pool = approvePools.get(caller);
        yield () -> statements.replay(dataSource, substitutions(workload, next(pool), buyer(BASELINE_APPROVE, caller), seller(BASELINE_APPROVE, caller)));
      }
      case GET_ORDER, CHECK_ELIGIBILITY -> {
        String buyerId = readBuyer(caller);
        yield () -> statements.replay(dataSource, substitutions(workload, someOrderOf(buyerId), buyerId, null));
      }
      case LIST_ORDERS -> {
        String buyerId = readBuyer(caller);
        yield () -> statements.replay(dataSource, substitutions(workload, null, buyerId, null));
      }
    };
  }

  private StatementTemplates.Substitutions substitutions(Workload workload, UUID order, String buyer, String seller) {
    StatementTemplates.Substitutions s = new StatementTemplates.Substitutions();
    for (Map.Entry<UUID, Kind> sample : sampleIds.get(workload).entrySet()) {
      s.uuid(sample.getKey(), sample.getValue() == Kind.ORDER ? order : UUID.randomUUID());
    }
    for (Map.Entry<String, String> sample : sampleText.get(workload).entrySet()) {
      switch (sample.getValue()) {
        case "BUYER" -> s.text(sample.getKey(), buyer);
        case "SELLER" -> s.text(sample.getKey(), seller);
        case "REFERENCE" -> s.text(sample.getKey(), reference(sample.getKey()));
        default -> throw new IllegalStateException(sample.getValue());
      }
    }
    return s;
  }

  /** A fresh reference shaped like the sample's ("CR-" and base32 characters). */
  private static String reference(String sample) {
    int prefix = sample.indexOf('-') + 1;
    StringBuilder fresh = new StringBuilder(sample.substring(0, prefix));
    for (int i = prefix; i < sample.length(); i++) {
      fresh.append(REFERENCE_ALPHABET[RANDOM.nextInt(REFERENCE_ALPHABET.length)]);
    }
    return fresh.toString();
  }

  static UUID uuid(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    return new UUID(b.getLong(), b.getLong());
  }
}
