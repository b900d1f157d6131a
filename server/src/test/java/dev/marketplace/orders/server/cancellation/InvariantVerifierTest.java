package dev.marketplace.orders.server.cancellation;

import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.domain.access.Role.SUPPORT;
import static dev.marketplace.orders.server.cancellation.Marketplace.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketplace.orders.domain.testing.InvariantVerifier;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.CancellationRequest;
import dev.marketplace.orders.v1.ForceCancelOrderRequest;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.RecordRefundResultRequest;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The verifier the reliability tests rely on: silent on a database that went through every path of
 * the service, and loud about each kind of damage done to one behind the service's back.
 */
class InvariantVerifierTest {

  @Test
  void everyPathOfTheService_leavesNoViolation_andEachKindOfDamageIsReported() throws Exception {
    try (GrpcTestServer server = new GrpcTestServer()) {
      Marketplace market = Marketplace.of(server);
      String seller = unique("seller");
      // One order down each path.
      market.placed(unique("buyer"), seller);
      market.processing(unique("buyer"), seller);
      market.delivered(unique("buyer"), seller);
      String unpaidBuyer = unique("buyer");
      market.ask(unpaidBuyer, market.placed(unpaidBuyer, seller).getOrderId());
      CancellationRequest approved = market.requested(unique("buyer"), seller);
      market.approve(seller, approved.getCancellationRequestId());
      Order approvedOrder = market.order(seller, SELLER, approved.getOrderId());
      CancellationRequest rejected = market.requested(unique("buyer"), seller);
      market.reject(seller, Marketplace.rejectRequest(rejected.getCancellationRequestId(), CancellationRequest.RejectionReason.ALREADY_PREPARED_OR_CUSTOMISED));
      String withdrawingBuyer = unique("buyer");
      CancellationRequest withdrawn = market.requested(withdrawingBuyer, seller);
      market.withdraw(withdrawingBuyer, withdrawn.getCancellationRequestId());
      CancellationRequest alsoExpiring = market.requested(unique("buyer"), seller);
      String supportBuyer = unique("buyer");
      Order forced = market.paid(supportBuyer, seller);
      market.ask(supportBuyer, forced.getOrderId());
      market.cancellations("agent-1", SUPPORT)
          .forceCancelOrder(
              ForceCancelOrderRequest.newBuilder().setRequestId(Requests.newId()).setOrderId(forced.getOrderId()).setReason("seller unreachable").build());
      CancellationRequest expiring = market.requested(unique("buyer"), seller);
      server.clock.advance(Duration.ofHours(73));
      market.order(seller, SELLER, expiring.getOrderId()); // settles the expired request
      market.refunds()
          .recordRefundResult(
              RecordRefundResultRequest.newBuilder()
                  .setRequestId(Requests.newId())
                  .setRefundId(approvedOrder.getRefund().getRefundId())
                  .setOutcome(RecordRefundResultRequest.Outcome.COMPLETED)
                  .build());
      // Every request pending when the clock passed the deadline has expired, read or not.
      assertThat(market.request(seller, SELLER, alsoExpiring.getCancellationRequestId()).getState())
          .isEqualTo(CancellationRequest.State.AUTO_APPROVED);
      CancellationRequest stillPending = market.requested(unique("buyer"), seller);

      InvariantVerifier.Report clean = InvariantVerifier.verify(server.dataSource()).assertHolds();
      assertThat(clean.orders()).isEqualTo(11);
      assertThat(clean.refunds()).isEqualTo(4);

      // Damage behind the service's back, one kind per order.
      sql(server, "INSERT INTO refunds (id, order_id, kind, cancellation_request_id, currency_code, amount_minor, payment_method, state,"
          + " business_days_min, business_days_max, expected_earliest_at, expected_latest_at, failure_reason, created_at, completed_at,"
          + " version) SELECT UNHEX(REPLACE(UUID(), '-', '')), order_id, kind, NULL, currency_code, amount_minor,"
          + " payment_method, state, business_days_min, business_days_max, expected_earliest_at, expected_latest_at, failure_reason,"
          + " created_at, completed_at, version FROM refunds WHERE order_id = ?", approved.getOrderId());
      sql(server, "UPDATE refunds SET amount_minor = amount_minor - 1 WHERE order_id = ?", expiring.getOrderId());
      sql(server, "DELETE FROM order_events WHERE order_id = ? AND event_type = 'ORDER_CANCELLED'", forced.getOrderId());
      sql(server, "UPDATE cancellation_requests SET state = 'APPROVED', pending_rank = 1, pending_order_id = NULL WHERE order_id = ?", rejected.getOrderId());
      sql(server, "UPDATE orders SET state = 'SHIPPED' WHERE id = ?", stillPending.getOrderId());
      sql(server, "UPDATE order_events SET sequence_no = sequence_no + 10 WHERE order_id = ? AND sequence_no = 2", withdrawn.getOrderId());

      InvariantVerifier.Report damaged = InvariantVerifier.verify(server.dataSource());
      assertThat(damaged.violations())
          .anyMatch(v -> v.contains(approved.getOrderId()) && v.contains("2 cancellation refunds"))
          .anyMatch(v -> v.contains(approved.getOrderId()) && v.contains("more than the"))
          .anyMatch(v -> v.contains("for an order of"))
          .anyMatch(v -> v.contains(expiring.getOrderId()) && v.contains("but its refunds add up to"))
          .anyMatch(v -> v.contains(forced.getOrderId()) && v.contains("ORDER_CANCELLED"))
          .anyMatch(v -> v.contains(rejected.getOrderId()) && v.contains("though request"))
          .anyMatch(v -> v.contains(stillPending.getOrderId()) && v.contains("with a PENDING request"))
          .anyMatch(v -> v.contains(withdrawn.getOrderId()) && v.contains("gap"));
      assertThatThrownBy(damaged::assertHolds).isInstanceOf(AssertionError.class).hasMessageContaining("invariant violations");
    }
  }

  private static void sql(GrpcTestServer server, String statement, String orderId) throws SQLException {
    try (Connection c = server.dataSource().getConnection();
        PreparedStatement s = c.prepareStatement(statement)) {
      UUID id = UUID.fromString(orderId);
      s.setBytes(1, ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array());
      assertThat(s.executeUpdate()).as(statement).isPositive();
    }
  }
}
