package dev.marketplace.orders.domain.usecase;

import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.cancellation.CancelResult;
import dev.marketplace.orders.domain.cancellation.CancellationRequest;
import dev.marketplace.orders.domain.cancellation.CancellationRequestView;
import dev.marketplace.orders.domain.cancellation.CancellationSettings;
import dev.marketplace.orders.domain.error.DomainException;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.idempotency.IdempotencyKey;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.domain.order.NewOrder;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.PaymentReport;
import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.refund.RefundWindowPolicy;
import dev.marketplace.orders.domain.testing.IdempotencyKeys;
import dev.marketplace.orders.domain.testing.KeptResponses;
import dev.marketplace.orders.domain.testing.MutableClock;
import dev.marketplace.orders.domain.testing.Rows;
import dev.marketplace.orders.domain.testing.SampleOrders;
import dev.marketplace.orders.domain.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The seller's silence until {@code respondBy}: the platform cancels and refunds, exactly once. A sweep
 * touches every due request in its database, so each test of these classes has a fresh database of
 * its own, with one buyer, one seller and the use cases over a clock the test moves.
 */
abstract class DeadlineExpiryFixture {

  /** A Thursday; nanoseconds on purpose, the database keeps microseconds. */
  static final Instant T0 = Instant.parse("2026-11-26T10:15:30.123456789Z");
  static final Duration WINDOW = Duration.ofHours(72);
  static final CancellationSettings SETTINGS =
      new CancellationSettings(WINDOW, 2, Duration.ofSeconds(45), RefundWindowPolicy.defaults());
  static final Set<String> APPROVAL_EVENTS =
      Set.of(OrderEventType.CANCELLATION_APPROVED.name(), OrderEventType.CANCELLATION_AUTO_APPROVED.name());

  final KeptResponses<Order> orderResponses = new KeptResponses<>();
  final KeptResponses<CancelResult> cancelResponses = new KeptResponses<>();
  final KeptResponses<CancellationRequestView> requestResponses = new KeptResponses<>();

  final Principal buyer = Principal.of("buyer-1", Role.BUYER);
  final Principal seller = Principal.of("seller-1", Role.SELLER);
  final Principal payments = new Principal("payments", Role.SERVICE, Set.of("orders.payments"));

  HikariDataSource dataSource;
  MutableClock clock;
  DeadlineExpiry expiry;
  Orders orders;
  Cancellations cancellations;

  @BeforeEach
  void freshDatabase() {
    dataSource = TestDatabase.migratedDataSource();
    clock = new MutableClock(T0);
    Transactor transactor = Transactor.over(dataSource, clock);
    expiry = new DeadlineExpiry(transactor, clock, SETTINGS);
    orders = new Orders(transactor, clock, expiry);
    cancellations = new Cancellations(transactor, clock, SETTINGS, expiry);
  }

  @AfterEach
  void closeDatabase() {
    dataSource.close();
  }

  // --- helpers ----------------------------------------------------------------------------------

  UUID paidOrder(Principal buyer) {
    NewOrder request = SampleOrders.newOrder(buyer.subject(), seller.subject());
    UUID id = orders.create(buyer, key(buyer, "CreateOrder", request), request, orderResponses).id();
    clock.advance(Duration.ofSeconds(30));
    PaymentReport captured = new PaymentReport(id, PaymentReport.Outcome.CAPTURED, "psp-" + id, SampleOrders.TOTAL, "");
    orders.recordPayment(payments, key(payments, "RecordPayment", captured), captured, orderResponses);
    return id;
  }

  CancellationRequest requestCancellation(Principal buyer, UUID orderId) {
    return cancellations
        .cancel(buyer, key(buyer, "CancelOrder", orderId), orderId, CancellationReason.WRONG_ITEM_OR_SIZE, "", cancelResponses)
        .request()
        .orElseThrow();
  }

  CancellationRequestView approve(UUID requestId) {
    return cancellations.approve(seller, key(seller, "ApproveCancellationRequest", requestId), requestId, requestResponses);
  }

  static String describe(Object answer) {
    return answer instanceof DomainException e ? e.reason() : "APPROVED";
  }

  static IdempotencyKey key(Principal caller, String operation, Object request) {
    return IdempotencyKeys.fresh(caller, operation, request);
  }

  long count(String sql, Object... parameters) {
    return Rows.count(dataSource, sql, parameters);
  }

  long refundRowsOf(UUID orderId) {
    return count("SELECT COUNT(*) FROM refunds WHERE order_id = ?", orderId);
  }

  long eventRowsOf(UUID orderId, String type) {
    return count("SELECT COUNT(*) FROM order_events WHERE order_id = ? AND event_type = ?", orderId, type);
  }

  String stateRowOf(UUID requestId) {
    for (String state : List.of("PENDING", "AUTO_APPROVED", "APPROVED", "REJECTED", "WITHDRAWN")) {
      if (count("SELECT COUNT(*) FROM cancellation_requests WHERE id = ? AND state = ?", requestId, state) == 1) {
        return state;
      }
    }
    return "missing";
  }
}
