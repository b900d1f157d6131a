package dev.marketplace.orders.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.client.OrdersClient;
import dev.marketplace.orders.client.OrdersException;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.testing.Await;
import dev.marketplace.orders.domain.testing.InvariantVerifier;
import dev.marketplace.orders.domain.testing.TestDatabase;
import dev.marketplace.orders.server.auth.TokenIssuer;
import dev.marketplace.orders.v1.ApproveCancellationRequestRequest;
import dev.marketplace.orders.v1.CancelOrderResponse;
import dev.marketplace.orders.v1.Order;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Three server processes share one database, each sweeping for expired cancellation requests every
 * half second. Hundreds of pending requests reach their deadline at the same instant while their
 * sellers approve a third of them - some just before the deadline, some just after. Every request
 * must end with exactly one outcome, every order cancelled once and refunded at most once, and every
 * seller told the truth: an approval that was answered OK is the recorded outcome, one that lost the
 * race was refused with FAILED_PRECONDITION (or ABORTED, when the request changed during the call).
 * On a starved machine an approval may also find no free database connection in time and be answered
 * UNAVAILABLE ("not done, try again", after the client's own retries): truthful as long as the
 * request did not end APPROVED - the deadline then approves it, and a retry would hear
 * FAILED_PRECONDITION.
 */
class ReplicasRacingTest {

  private static final int REQUESTS = 240;
  private static final int REPLICAS = 3;

  @Test
  void threeReplicasSweepingWhileSellersApprove_everyRequestEndsOnce_withAtMostOneRefund() throws Exception {
    String url = TestDatabase.createDatabase();
    String run = "race" + UUID.randomUUID().toString().substring(0, 6);
    Map<String, String> settings = Map.of("ORDERS_SELLER_RESPONSE_WINDOW", "PT10M", "ORDERS_SWEEP_INTERVAL", "PT0.5S");
    List<ServerProcess> replicas = new ArrayList<>();
    List<ManagedChannel> channels = new ArrayList<>();
    ExecutorService callers = Executors.newFixedThreadPool(24);
    TokenIssuer tokens = new TokenIssuer(ServerProcess.SECRET, Clock.systemUTC());
    try {
      for (int i = 0; i < REPLICAS; i++) {
        replicas.add(ServerProcess.on("replica-" + i, url, TestDatabase.user(), TestDatabase.password(), settings).start());
        channels.add(ManagedChannelBuilder.forTarget(replicas.get(i).target()).usePlaintext().build());
      }

      // Hundreds of paid orders, each with a pending request, created through all three replicas.
      List<Future<String[]>> setup = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        ManagedChannel channel = channels.get(i % REPLICAS);
        String buyer = run + "-buyer-" + i;
        String seller = run + "-seller-" + (i % 8);
        setup.add(
            callers.submit(
                () -> {
                  Order order = client(channel, tokens, "checkout", Role.SERVICE, "orders.create").createOrder(Traffic.create(UUID.randomUUID().toString(), buyer, seller));
                  client(channel, tokens, "payments", Role.SERVICE, "payments.record").recordPayment(Traffic.pay(UUID.randomUUID().toString(), order.getOrderId()));
                  CancelOrderResponse asked = client(channel, tokens, buyer, Role.BUYER).cancelOrder(Traffic.cancel(UUID.randomUUID().toString(), order.getOrderId()));
                  return new String[] {seller, asked.getCancellationRequest().getCancellationRequestId()};
                }));
      }
      List<String[]> pending = new ArrayList<>();
      for (Future<String[]> f : setup) {
        pending.add(f.get(120, TimeUnit.SECONDS));
      }

      // All of them now fall due at one instant, shortly from now.
      Instant due = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
      try (HikariDataSource dataSource = TestDatabase.dataSource(url, 2);
          Connection c = dataSource.getConnection();
          PreparedStatement s = c.prepareStatement("UPDATE cancellation_requests SET respond_by = ? WHERE state = 'PENDING'")) {
        s.setString(1, LocalDateTime.ofInstant(due, ZoneOffset.UTC).toString().replace('T', ' '));
        assertThat(s.executeUpdate()).isEqualTo(REQUESTS);
      }

      // Sellers approve every third request, spread from 300 ms before the deadline to 300 ms after.
      Map<String, Status.Code> approvals = new ConcurrentHashMap<>();
      List<Future<?>> racing = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i += 3) {
        String[] request = pending.get(i);
        ManagedChannel channel = channels.get(i % REPLICAS);
        long at = due.toEpochMilli() - 300 + (i * 600L / REQUESTS);
        racing.add(
            callers.submit(
                () -> {
                  // Not a condition to wait for: each approval is sent at its own instant around the deadline.
                  Thread.sleep(Math.max(0, at - System.currentTimeMillis()));
                  try {
                    client(channel, tokens, request[0], Role.SELLER)
                        .approveCancellationRequest(
                            ApproveCancellationRequestRequest.newBuilder()
                                .setRequestId(UUID.randomUUID().toString())
                                .setCancellationRequestId(request[1])
                                .build());
                    approvals.put(request[1], Status.Code.OK);
                  } catch (OrdersException e) {
                    approvals.put(request[1], e.code());
                  }
                  return null;
                }));
      }
      for (Future<?> f : racing) {
        f.get(60, TimeUnit.SECONDS);
      }

      try (HikariDataSource dataSource = TestDatabase.dataSource(url, 2)) {
        Map<String, String> outcomes =
            Await.until(
                "the sweeps to resolve every request",
                Duration.ofSeconds(30),
                () -> outcomes(dataSource),
                now -> now.values().stream().noneMatch("PENDING"::equals));
        InvariantVerifier.Report report = InvariantVerifier.verify(dataSource);

        List<String> violations = new ArrayList<>(report.violations());
        for (Map.Entry<String, Status.Code> approval : approvals.entrySet()) {
          String outcome = outcomes.get(approval.getKey());
          boolean truthful =
              approval.getValue() == Status.Code.OK
                  ? "APPROVED".equals(outcome)
                  // The loser of the race is told so: the request is no longer pending, or it changed under the
                  // call; or, when no connection was free in time, that nothing was done (UNAVAILABLE).
                  : (approval.getValue() == Status.Code.FAILED_PRECONDITION
                          || approval.getValue() == Status.Code.ABORTED
                          || approval.getValue() == Status.Code.UNAVAILABLE)
                      && "AUTO_APPROVED".equals(outcome);
          if (!truthful) {
            violations.add("request " + approval.getKey() + ": the seller was answered " + approval.getValue() + " but it ended " + outcome);
          }
        }
        Map<String, Long> byOutcome = new HashMap<>();
        outcomes.values().forEach(o -> byOutcome.merge(o, 1L, Long::sum));
        Map<Status.Code, Long> answers = new HashMap<>();
        approvals.values().forEach(code -> answers.merge(code, 1L, Long::sum));
        Map<String, Integer> sweptBy = new HashMap<>();
        for (ServerProcess replica : replicas) {
          sweptBy.put(replica.toString().substring(0, replica.toString().indexOf('@')), sweptIn(replica.logText()));
        }
        Figures.record(
            REPLICAS + " replicas racing " + REQUESTS + " expiring requests",
            "outcomes " + byOutcome + ", seller approvals answered " + answers + ", auto-approved by the sweep of each replica "
                + sweptBy + " (the rest on first read), refunds " + report.refunds() + ", violations " + violations.size());

        assertThat(outcomes).hasSize(REQUESTS);
        assertThat(outcomes.values()).allMatch(o -> o.equals("APPROVED") || o.equals("AUTO_APPROVED"));
        assertThat(report.refunds()).isEqualTo(REQUESTS);
        assertThat(violations).isEmpty();
      }
    } finally {
      callers.shutdownNow();
      channels.forEach(ManagedChannel::shutdownNow);
      for (ServerProcess replica : replicas) {
        replica.close();
      }
    }
  }

  private static OrdersClient client(ManagedChannel channel, TokenIssuer tokens, String subject, Role role, String... scopes) {
    String token = tokens.issue(subject, role, List.of(scopes), Duration.ofHours(1));
    return OrdersClient.builder().channel(channel).tokenSupplier(() -> token).defaultDeadline(Duration.ofSeconds(20)).build();
  }

  private static Map<String, String> outcomes(HikariDataSource dataSource) throws Exception {
    Map<String, String> outcomes = new HashMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT id, state FROM cancellation_requests");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        ByteBuffer id = ByteBuffer.wrap(rs.getBytes(1));
        outcomes.put(new UUID(id.getLong(), id.getLong()).toString(), rs.getString(2));
      }
    }
    return outcomes;
  }

  private static final Pattern SWEPT = Pattern.compile("deadline sweep: (\\d+) cancellation requests");

  private static int sweptIn(String log) {
    Matcher m = SWEPT.matcher(log);
    int total = 0;
    while (m.find()) {
      total += Integer.parseInt(m.group(1));
    }
    return total;
  }
}
