package dev.marketplace.orders.domain.usecase;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.cancellation.CancelResult;
import dev.marketplace.orders.domain.cancellation.CancellationRequest;
import dev.marketplace.orders.domain.cancellation.CancellationRequestView;
import dev.marketplace.orders.domain.cancellation.CancellationSettings;
import dev.marketplace.orders.domain.cancellation.Rejection;
import dev.marketplace.orders.domain.error.NotFoundException;
import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.history.OrderEvent;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.idempotency.IdempotencyKey;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.domain.order.NewOrder;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.PaymentReport;
import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.refund.Refund;
import dev.marketplace.orders.domain.refund.RefundWindowPolicy;
import dev.marketplace.orders.domain.testing.IdempotencyKeys;
import dev.marketplace.orders.domain.testing.KeptResponses;
import dev.marketplace.orders.domain.testing.MutableClock;
import dev.marketplace.orders.domain.testing.Rows;
import dev.marketplace.orders.domain.testing.SampleOrders;
import dev.marketplace.orders.domain.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The cancellation use cases against MariaDB, one database per test class: a clock, the use cases, a
 * buyer and seller of its own for every test (so the tests of a class share its database), and the
 * steps that put an order where a test needs it. Nothing here sweeps; expiry has tests of its own
 * ({@link ExpiryOnReadTest}, {@link ExpiryBySweepTest}, {@link ExpiryRacesTest}), in databases of their own.
 */
abstract class CancellationsFixture {

  /** A Thursday; nanoseconds on purpose, the database keeps microseconds. */
  static final Instant T0 = Instant.parse("2026-11-26T10:15:30.123456789Z");
  static final Duration WINDOW = Duration.ofHours(72);
  static final Duration RETRY_DELAY = Duration.ofSeconds(45);
  static final CancellationSettings SETTINGS =
      new CancellationSettings(WINDOW, 2, RETRY_DELAY, RefundWindowPolicy.defaults());

  static HikariDataSource dataSource;

  final KeptResponses<Order> orderResponses = new KeptResponses<>();
  final KeptResponses<CancelResult> cancelResponses = new KeptResponses<>();
  final KeptResponses<CancellationRequestView> requestResponses = new KeptResponses<>();
  final KeptResponses<Refund> refundResponses = new KeptResponses<>();

  MutableClock clock;
  Orders orders;
  Cancellations cancellations;
  Principal buyer;
  Principal seller;
  Principal payments;

  @BeforeAll
  static void database() {
    dataSource = TestDatabase.migratedDataSource();
  }

  @AfterAll
  static void closeDatabase() {
    dataSource.close();
  }

  @BeforeEach
  void useCases() {
    clock = new MutableClock(T0);
    Transactor transactor = Transactor.over(dataSource, clock);
    DeadlineExpiry expiry = new DeadlineExpiry(transactor, clock, SETTINGS);
    orders = new Orders(transactor, clock, expiry);
    cancellations = new Cancellations(transactor, clock, SETTINGS, expiry);
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    buyer = Principal.of("buyer-" + suffix, Role.BUYER);
    seller = Principal.of("seller-" + suffix, Role.SELLER);
    payments = new Principal("payments", Role.SERVICE, Set.of("orders.payments"));
  }

  // --- helpers ----------------------------------------------------------------------------------

  Instant advance(Duration step) {
    return clock.advance(step).truncatedTo(ChronoUnit.MICROS);
  }

  UUID placeOrder(Principal buyer, Principal seller) {
    NewOrder request = SampleOrders.newOrder(buyer.subject(), seller.subject());
    return orders.create(buyer, key(buyer, "CreateOrder", request), request, orderResponses).id();
  }

  /** An order of this buyer and seller whose payment was captured: AWAITING_SHIPMENT at version 2. */
  UUID paidOrder(Principal buyer, Principal seller) {
    UUID id = placeOrder(buyer, seller);
    clock.advance(Duration.ofMinutes(1));
    report(new PaymentReport(id, PaymentReport.Outcome.CAPTURED, "psp-" + id, SampleOrders.TOTAL, ""));
    return id;
  }

  void report(PaymentReport report) {
    orders.recordPayment(payments, key(payments, "RecordPayment", report), report, orderResponses);
  }

  CancelResult cancel(UUID orderId, CancellationReason reason) {
    return cancellations.cancel(buyer, key(buyer, "CancelOrder", orderId), orderId, reason, "", cancelResponses);
  }

  CancellationRequest requestCancellation(UUID orderId) {
    CancelResult result = cancel(orderId, CancellationReason.WRONG_ITEM_OR_SIZE);
    assertThat(result.outcome()).isEqualTo(CancelResult.Outcome.REQUESTED);
    return result.request().orElseThrow();
  }

  CancellationRequestView approve(Principal seller, UUID requestId) {
    return cancellations.approve(seller, key(seller, "ApproveCancellationRequest", requestId), requestId, requestResponses);
  }

  CancellationRequestView reject(Rejection rejection) {
    return reject(seller, rejection);
  }

  CancellationRequestView reject(Principal seller, Rejection rejection) {
    return cancellations.reject(seller, key(seller, "RejectCancellationRequest", rejection), rejection, requestResponses);
  }

  Order ship(UUID orderId, String carrier, String trackingNumber) {
    return orders.ship(
        seller, key(seller, "ShipOrder", orderId + carrier + trackingNumber), orderId, carrier, trackingNumber, OptionalInt.empty(),
        orderResponses);
  }

  List<OrderEvent> history(UUID orderId) {
    return orders.history(Principal.system(), orderId, 0, 100).orderEvents();
  }

  OrderEvent lastEvent(UUID orderId) {
    List<OrderEvent> events = history(orderId);
    return events.get(events.size() - 1);
  }

  /** Runs {@code call} when {@code start} opens; the refusal it met, or null if it succeeded. */
  static Callable<StateConflictException> refusalOf(CountDownLatch start, Runnable call) {
    return () -> {
      start.await();
      try {
        call.run();
        return null;
      } catch (StateConflictException refused) {
        return refused;
      }
    };
  }

  static void assertRequestNotFound(UUID requestId, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    NotFoundException notFound = thrown(NotFoundException.class, call);
    assertThat(notFound.reason()).isEqualTo("CANCELLATION_REQUEST_NOT_FOUND");
  }

  static void assertOrderNotFound(UUID orderId, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    NotFoundException notFound = thrown(NotFoundException.class, call);
    assertThat(notFound.reason()).isEqualTo("ORDER_NOT_FOUND");
    assertThat(notFound.metadata()).containsEntry("orderId", orderId.toString());
  }

  static IdempotencyKey key(Principal caller, String operation, Object request) {
    return IdempotencyKeys.fresh(caller, operation, request);
  }

  static long refundRowsOf(UUID orderId) {
    return Rows.count(dataSource, "SELECT COUNT(*) FROM refunds WHERE order_id = ?", orderId);
  }

  static long requestRowsOf(UUID orderId) {
    return Rows.count(dataSource, "SELECT COUNT(*) FROM cancellation_requests WHERE order_id = ?", orderId);
  }

  static long pendingRequestRowsOf(UUID orderId) {
    return Rows.count(dataSource, "SELECT COUNT(*) FROM cancellation_requests WHERE order_id = ? AND state = 'PENDING'", orderId);
  }

  static long eventRowsOf(UUID orderId, OrderEventType type) {
    return Rows.count(dataSource, "SELECT COUNT(*) FROM order_events WHERE order_id = ? AND event_type = ?", orderId, type.name());
  }
}
