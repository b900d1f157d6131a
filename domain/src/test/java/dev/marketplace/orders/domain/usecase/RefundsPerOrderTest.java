package dev.marketplace.orders.domain.usecase;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.history.OrderEvent;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.persistence.DatabaseMigrations;
import dev.marketplace.orders.domain.refund.Refund;
import dev.marketplace.orders.domain.refund.RefundKind;
import dev.marketplace.orders.domain.refund.RefundWindow;
import dev.marketplace.orders.domain.testing.InvariantVerifier;
import dev.marketplace.orders.domain.testing.SampleOrders;
import dev.marketplace.orders.domain.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An order's refunds are a list with one invariant: together they never exceed what was captured -
 * checked by the order before a refund is issued, and by the database on the order's row.
 */
class RefundsPerOrderTest extends CancellationsFixture {

  @Test
  void aPaidOrder_recordsWhatWasCaptured_andHasNothingRefundedYet() {
    UUID id = paidOrder(buyer, seller);

    Order order = orders.get(buyer, id);

    assertThat(order.payment().amount()).isEqualTo(SampleOrders.TOTAL);
    assertThat(order.refunds()).isEmpty();
    assertThat(order.refunded()).isEqualTo(Money.zero("USD"));
    assertThat(order.refundable()).isEqualTo(SampleOrders.TOTAL);
    assertThat(rowMoney(id)).containsExactly(SampleOrders.TOTAL.amountMinor(), 0L);
  }

  @Test
  void anUnpaidOrder_hasNothingToRefund() {
    UUID id = placeOrder(buyer, seller);

    Order order = orders.get(buyer, id);

    assertThat(order.refundable()).isEqualTo(Money.zero("USD"));
    assertThat(rowMoney(id)).containsExactly(null, 0L);
  }

  @Test
  void anApprovedCancellation_isTheOrdersOneRefund_ofKindCancellation_forEverythingCaptured() {
    UUID id = paidOrder(buyer, seller);
    UUID requestId = requestCancellation(id).id();

    Refund refund = approve(seller, requestId).refund().orElseThrow();

    Order order = orders.get(buyer, id);
    assertThat(refund.kind()).isEqualTo(RefundKind.CANCELLATION);
    assertThat(refund.causeId()).isEqualTo(requestId);
    assertThat(refund.cancellationRequestId()).isEqualTo(requestId);
    assertThat(refund.modificationId()).isNull();
    assertThat(order.refunds()).containsExactly(refund);
    assertThat(order.refundInfo()).contains(refund);
    assertThat(order.refunded()).isEqualTo(SampleOrders.TOTAL);
    assertThat(order.refundable()).isEqualTo(Money.zero("USD"));
    assertThat(rowMoney(id)).containsExactly(SampleOrders.TOTAL.amountMinor(), SampleOrders.TOTAL.amountMinor());
    OrderEvent initiated =
        history(id).stream().filter(e -> e.type() == OrderEventType.REFUND_INITIATED).findFirst().orElseThrow();
    assertThat(initiated.details())
        .containsEntry("kind", "CANCELLATION")
        .containsEntry("cancellationRequestId", requestId.toString())
        .containsEntry("amount", Long.toString(SampleOrders.TOTAL.amountMinor()));
    InvariantVerifier.verify(dataSource).assertHolds();
  }

  @Test
  void aRefundBeyondWhatIsStillRefundable_isRefusedByTheOrder() {
    UUID id = paidOrder(buyer, seller);
    Order order = orders.get(buyer, id);
    Refund half = refund(order, RefundKind.MODIFICATION, 1000);
    Order afterHalf = order.withRefundIssued(half);

    StateConflictException refused =
        thrown(StateConflictException.class, () -> afterHalf.withRefundIssued(refund(order, RefundKind.MODIFICATION, 1499)));

    assertThat(afterHalf.refundable()).isEqualTo(new Money("USD", 1498));
    assertThat(afterHalf.withRefundIssued(refund(order, RefundKind.MODIFICATION, 1498)).refundable()).isEqualTo(Money.zero("USD"));
    assertThat(refused.reason()).isEqualTo("REFUND_EXCEEDS_REFUNDABLE");
    assertThat(refused.metadata())
        .containsEntry("refundableMinor", "1498")
        .containsEntry("requestedMinor", "1499")
        .containsEntry("currencyCode", "USD");
  }

  @Test
  void theDatabaseRefusesARowThatRefundsMoreThanWasCaptured() {
    UUID id = paidOrder(buyer, seller);

    assertThatThrownBy(
            () -> execute("UPDATE orders SET refunded_minor = captured_minor + 1 WHERE id = UNHEX(REPLACE('" + id + "', '-', ''))"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("ck_orders_refunds_within_capture");
    UUID unpaid = placeOrder(buyer, seller);
    assertThatThrownBy(() -> execute("UPDATE orders SET refunded_minor = 1 WHERE id = UNHEX(REPLACE('" + unpaid + "', '-', ''))"))
        .isInstanceOf(SQLException.class);
  }

  /** Data written before V5 gets its captured and refunded sums and its refunds' kind. */
  @Test
  void migratingADatabaseWrittenBeforeV5_recordsCapturesRefundedSumsAndKinds() throws Exception {
    try (HikariDataSource old = TestDatabase.dataSource(TestDatabase.createDatabase(), 2)) {
      org.flywaydb.core.Flyway.configure().dataSource(old).locations("classpath:db/migration").target("4").load().migrate();
      try (Connection c = old.getConnection(); Statement s = c.createStatement()) {
        String columns =
            "INSERT INTO orders (id, buyer_id, seller_id, state, currency_code, total_minor, payment_method, ship_recipient_name,"
                + " ship_address_lines, ship_locality, ship_administrative_area, ship_postal_code, ship_region_code, ship_phone_number,"
                + " payment_reference, payment_captured_at, created_at, updated_at, version, cancelled_at, cancellation_kind,"
                + " cancellation_reason, cancelled_by_subject, cancelled_by_role) VALUES ";
        s.execute(columns + "(UNHEX('01'), 'b', 's', 'CANCELLED', 'USD', 2498, 'CARD', 'A', '[]', 'B', '', '1', 'DE', '',"
            + " 'pay-1', NOW(6), NOW(6), NOW(6), 3, NOW(6), 'SUPPORT', 'OTHER', 'agent', 'SUPPORT')");
        s.execute(columns + "(UNHEX('02'), 'b', 's', 'AWAITING_SHIPMENT', 'USD', 700, 'CARD', 'A', '[]', 'B', '', '1', 'DE', '',"
            + " 'pay-2', NOW(6), NOW(6), NOW(6), 2, NULL, NULL, NULL, NULL, NULL)");
        s.execute(columns + "(UNHEX('03'), 'b', 's', 'AWAITING_PAYMENT', 'USD', 300, 'CARD', 'A', '[]', 'B', '', '1', 'DE', '',"
            + " NULL, NULL, NOW(6), NOW(6), 1, NULL, NULL, NULL, NULL, NULL)");
        s.execute(
            "INSERT INTO refunds (id, order_id, cancellation_request_id, currency_code, amount_minor, payment_method, state,"
                + " business_days_min, business_days_max, expected_earliest_at, expected_latest_at, failure_reason, created_at, version)"
                + " VALUES (UNHEX('0A'), UNHEX('01'), NULL, 'USD', 2498, 'CARD', 'INITIATED', 3, 20, NOW(6), NOW(6), '', NOW(6), 1)");
      }

      assertThat(DatabaseMigrations.migrate(old)).isGreaterThanOrEqualTo(1);

      try (Connection c = old.getConnection(); Statement s = c.createStatement()) {
        assertThat(rows(s, "SELECT LEFT(HEX(id), 2), captured_minor, refunded_minor FROM orders ORDER BY id"))
            .isEqualTo("01|2498|2498 02|700|0 03|null|0");
        assertThat(rows(s, "SELECT kind, modification_id FROM refunds")).isEqualTo("CANCELLATION|null");
      }
    }
  }

  private Refund refund(Order order, RefundKind kind, long amountMinor) {
    return Refund.initiate(
        UUID.randomUUID(), order.id(), kind, UUID.randomUUID(), new Money("USD", amountMinor), order.paymentMethod(),
        new RefundWindow(3, 20), T0);
  }

  /** The order row's captured_minor and refunded_minor. */
  private static Long[] rowMoney(UUID id) {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT captured_minor, refunded_minor FROM orders WHERE id = UNHEX(REPLACE('" + id + "', '-', ''))")) {
      assertThat(rs.next()).isTrue();
      return new Long[] {rs.getObject(1, Long.class), rs.getObject(2, Long.class)};
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void execute(String sql) throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate(sql);
    }
  }

  private static String rows(Statement s, String sql) throws SQLException {
    StringBuilder out = new StringBuilder();
    try (ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        if (out.length() > 0) {
          out.append(' ');
        }
        for (int i = 1; i <= n; i++) {
          out.append(i > 1 ? "|" : "").append(rs.getString(i));
        }
      }
    }
    return out.toString();
  }
}
