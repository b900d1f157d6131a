package dev.marketplace.orders.domain.usecase;

import dev.marketplace.orders.domain.order.CancellationKind;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.domain.cancellation.CancellationRequestPage;
import dev.marketplace.orders.domain.cancellation.CancellationRequestQuery;
import dev.marketplace.orders.domain.cancellation.CancellationRequestState;
import dev.marketplace.orders.domain.cancellation.Eligibility;
import dev.marketplace.orders.domain.cancellation.Rejection;
import dev.marketplace.orders.domain.cancellation.RejectionReason;

import dev.marketplace.orders.domain.cancellation.CancelResult;
import dev.marketplace.orders.domain.cancellation.CancellationRequest;
import dev.marketplace.orders.domain.cancellation.CancellationRequestView;
import dev.marketplace.orders.domain.cancellation.CancellationSettings;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.cancellation.Eligibility.Outcome;
import dev.marketplace.orders.domain.error.ConcurrentChangeException;
import dev.marketplace.orders.domain.error.DomainException;
import dev.marketplace.orders.domain.error.StateConflictException;
import dev.marketplace.orders.domain.history.OrderEvent;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.idempotency.IdempotencyKey;
import dev.marketplace.orders.domain.order.NewOrder;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderCancellation;
import dev.marketplace.orders.domain.order.OrderPage;
import dev.marketplace.orders.domain.order.OrderQuery;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.usecase.Orders;
import dev.marketplace.orders.domain.order.PaymentReport;
import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.refund.Refund;
import dev.marketplace.orders.domain.refund.RefundState;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seller's silence until {@code respondBy}: the platform cancels and refunds, exactly once, whether
 * a reader gets there first (lazily) or a sweep does, on any number of replicas, and however the
 * seller's own answer races the deadline. A sweep touches every due request in its database, so
 * each test here has a fresh database of its own.
 */
class DeadlineExpiryTest {

  /** A Thursday; nanoseconds on purpose, the database keeps microseconds. */
  private static final Instant T0 = Instant.parse("2026-11-26T10:15:30.123456789Z");
  private static final Duration WINDOW = Duration.ofHours(72);
  private static final CancellationSettings SETTINGS =
      new CancellationSettings(WINDOW, 2, Duration.ofSeconds(45), RefundWindowPolicy.defaults());
  private static final Set<String> APPROVAL_EVENTS =
      Set.of(OrderEventType.CANCELLATION_APPROVED.name(), OrderEventType.CANCELLATION_AUTO_APPROVED.name());

  private final KeptResponses<Order> orderResponses = new KeptResponses<>();
  private final KeptResponses<CancelResult> cancelResponses = new KeptResponses<>();
  private final KeptResponses<CancellationRequestView> requestResponses = new KeptResponses<>();

  private final Principal buyer = Principal.of("buyer-1", Role.BUYER);
  private final Principal seller = Principal.of("seller-1", Role.SELLER);
  private final Principal payments = new Principal("payments", Role.SERVICE, Set.of("orders.payments"));

  private HikariDataSource dataSource;
  private MutableClock clock;
  private DeadlineExpiry expiry;
  private Orders orders;
  private Cancellations cancellations;

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

  // --- lazily, on read --------------------------------------------------------------------------

  @Test
  void afterTheDeadline_everyReaderAlreadySeesTheRequestAutoApproved_withoutASweep() {
    Principal secondBuyer = Principal.of("buyer-2", Role.BUYER);
    List<UUID> ids = new ArrayList<>();
    List<CancellationRequest> requests = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Principal whose = i < 5 ? buyer : secondBuyer;
      UUID id = paidOrder(whose);
      ids.add(id);
      requests.add(requestCancellation(whose, id));
    }
    clock.set(requests.get(5).respondBy()); // every deadline has passed; the last one this very microsecond
    Instant now = requests.get(5).respondBy();

    Order viaGet = orders.get(buyer, ids.get(0));
    List<OrderEvent> viaHistory = orders.history(seller, ids.get(1), 0, 100).events();
    CancellationRequestView viaRequest = cancellations.get(buyer, requests.get(2).id());
    Eligibility viaEligibility = cancellations.eligibility(buyer, ids.get(3));
    CancellationRequestPage viaInbox =
        cancellations.list(
            seller, new CancellationRequestQuery(Optional.empty(), Optional.empty(), Optional.of(ids.get(4)), Set.of(), Optional.empty(), 20));
    OrderPage viaMyOrders = orders.list(secondBuyer, new OrderQuery(Optional.empty(), Optional.empty(), Set.of(), Optional.empty(), 20));

    assertThat(viaGet.state()).isEqualTo(OrderState.CANCELLED);
    assertThat(viaGet.cancellationInfo())
        .contains(
            new OrderCancellation(
                CancellationKind.AUTO_APPROVED, CancellationReason.WRONG_ITEM_OR_SIZE, "platform", Role.SYSTEM, now, requests.get(0).id()));
    Refund refund = viaGet.refundInfo().orElseThrow();
    assertThat(refund.state()).isEqualTo(RefundState.INITIATED);
    assertThat(refund.amount()).isEqualTo(SampleOrders.TOTAL);
    assertThat(refund.cancellationRequestId()).isEqualTo(requests.get(0).id());

    assertThat(viaHistory.subList(viaHistory.size() - 3, viaHistory.size()))
        .extracting(OrderEvent::type, OrderEvent::actorSubject, OrderEvent::actorRole, OrderEvent::orderState)
        .containsExactly(
            tuple(OrderEventType.CANCELLATION_AUTO_APPROVED, "platform", Role.SYSTEM, OrderState.CANCELLED),
            tuple(OrderEventType.ORDER_CANCELLED, "platform", Role.SYSTEM, OrderState.CANCELLED),
            tuple(OrderEventType.REFUND_INITIATED, "platform", Role.SYSTEM, OrderState.CANCELLED));
    assertThat(viaHistory.get(viaHistory.size() - 2).details()).containsEntry("kind", "AUTO_APPROVED");

    assertThat(viaRequest.request().state()).isEqualTo(CancellationRequestState.AUTO_APPROVED);
    assertThat(viaRequest.request().resolvedBySubject()).isEqualTo("platform");
    assertThat(viaRequest.request().resolvedByRole()).isEqualTo(Role.SYSTEM);
    assertThat(viaRequest.request().resolvedAt()).isEqualTo(now);
    assertThat(viaRequest.refund()).isPresent();

    assertThat(viaEligibility.outcome()).isEqualTo(Outcome.ALREADY_CANCELLED);
    assertThat(viaEligibility.pendingRequest()).isEmpty();

    assertThat(viaInbox.requests())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.request().state()).isEqualTo(CancellationRequestState.AUTO_APPROVED);
              assertThat(v.refund()).isPresent();
            });

    assertThat(viaMyOrders.orders())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.state()).isEqualTo(OrderState.CANCELLED);
              assertThat(o.refundInfo()).isPresent();
            });

    assertThat(count("SELECT COUNT(*) FROM refunds")).isEqualTo(6);
    assertThat(count("SELECT COUNT(*) FROM order_events WHERE event_type = 'CANCELLATION_AUTO_APPROVED'")).isEqualTo(6);
    assertThat(count("SELECT COUNT(*) FROM cancellation_requests WHERE state = 'PENDING'")).isZero();
    assertThat(expiry.sweep(50)).as("the readers left nothing for the sweep").isZero();
  }

  @Test
  void oneMicrosecondBeforeTheDeadline_theRequestIsStillPending_atTheDeadlineItIsAutoApproved() {
    UUID id = paidOrder(buyer);
    CancellationRequest request = requestCancellation(buyer, id);

    clock.set(request.respondBy().minus(1, ChronoUnit.MICROS));
    assertThat(cancellations.get(seller, request.id()).request().state()).isEqualTo(CancellationRequestState.PENDING);
    assertThat(orders.get(buyer, id).state()).isEqualTo(OrderState.AWAITING_SHIPMENT);
    assertThat(cancellations.eligibility(buyer, id).outcome()).isEqualTo(Outcome.REQUEST_PENDING);
    assertThat(expiry.sweep(50)).isZero();

    clock.set(request.respondBy());
    CancellationRequestView atDeadline = cancellations.get(seller, request.id());

    assertThat(atDeadline.request().state()).isEqualTo(CancellationRequestState.AUTO_APPROVED);
    assertThat(atDeadline.request().resolvedAt()).isEqualTo(request.respondBy());
    assertThat(refundRowsOf(id)).isEqualTo(1);
  }

  @Test
  void listingCancelledOrdersAfterTheDeadline_includesTheOrderThePlatformCancelled() {
    UUID id = paidOrder(buyer);
    CancellationRequest request = requestCancellation(buyer, id);
    clock.set(request.respondBy().plusSeconds(1));

    OrderPage cancelled =
        orders.list(buyer, new OrderQuery(Optional.empty(), Optional.empty(), Set.of(OrderState.CANCELLED), Optional.empty(), 20));

    assertThat(cancelled.orders()).as("the buyer's Cancelled tab after the seller's silence").extracting(Order::id).containsExactly(id);
  }

  @Test
  void listingAutoApprovedRequestsAfterTheDeadline_includesTheExpiredRequest() {
    UUID id = paidOrder(buyer);
    CancellationRequest request = requestCancellation(buyer, id);
    clock.set(request.respondBy().plusSeconds(1));

    CancellationRequestPage autoApproved =
        cancellations.list(
            seller,
            new CancellationRequestQuery(
                Optional.empty(), Optional.empty(), Optional.empty(), Set.of(CancellationRequestState.AUTO_APPROVED), Optional.empty(), 20));

    assertThat(autoApproved.requests()).extracting(v -> v.request().id()).containsExactly(request.id());
  }

  // --- the sweep --------------------------------------------------------------------------------

  @Test
  void sweep_expiresEachDueRequestExactlyOnce_andLeavesTheOthersPending() {
    List<UUID> due = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      UUID id = paidOrder(buyer);
      requestCancellation(buyer, id);
      due.add(id);
    }
    clock.advance(Duration.ofHours(2));
    UUID notYetDue = paidOrder(buyer);
    CancellationRequest later = requestCancellation(buyer, notYetDue);
    clock.set(later.respondBy().minus(Duration.ofMinutes(30)));
    // A replica started after the deadline passed: nothing was running when it did.
    DeadlineExpiry restarted = new DeadlineExpiry(Transactor.over(dataSource, clock), clock, SETTINGS);

    int first = restarted.sweep(50);
    int second = restarted.sweep(50);

    assertThat(first).isEqualTo(3);
    assertThat(second).isZero();
    for (UUID id : due) {
      assertThat(refundRowsOf(id)).as("refunds of %s", id).isEqualTo(1);
      assertThat(eventRowsOf(id, "CANCELLATION_AUTO_APPROVED")).isEqualTo(1);
      assertThat(eventRowsOf(id, "ORDER_CANCELLED")).isEqualTo(1);
      assertThat(orders.get(buyer, id).state()).isEqualTo(OrderState.CANCELLED);
    }
    assertThat(cancellations.get(buyer, later.id()).request().state()).isEqualTo(CancellationRequestState.PENDING);
    assertThat(refundRowsOf(notYetDue)).isZero();

    clock.set(later.respondBy());
    assertThat(restarted.sweep(50)).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM refunds")).isEqualTo(4);
  }

  @Test
  void sweep_takesAtMostABatch_oldestDeadlineFirst() {
    List<CancellationRequest> requests = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofMinutes(10));
      requests.add(requestCancellation(buyer, paidOrder(buyer)));
    }
    clock.set(requests.get(2).respondBy());

    assertThat(expiry.sweep(2)).isEqualTo(2);
    assertThat(stateRowOf(requests.get(0).id())).isEqualTo("AUTO_APPROVED");
    assertThat(stateRowOf(requests.get(1).id())).isEqualTo("AUTO_APPROVED");
    assertThat(stateRowOf(requests.get(2).id())).isEqualTo("PENDING");
    assertThat(expiry.sweep(2)).isEqualTo(1);
    assertThat(expiry.sweep(2)).isZero();
  }

  @Test
  void sellerAnsweringAfterTheDeadline_findsTheRequestAlreadyAutoApproved() {
    UUID id = paidOrder(buyer);
    CancellationRequest request = requestCancellation(buyer, id);
    clock.set(request.respondBy().plus(Duration.ofMinutes(1)));

    StateConflictException approve = thrown(StateConflictException.class, () -> approve(request.id()));
    StateConflictException reject =
        thrown(
            StateConflictException.class,
            () -> {
              Rejection rejection = new Rejection(request.id(), RejectionReason.OTHER, "too late", "", "");
              cancellations.reject(seller, key(seller, "RejectCancellationRequest", rejection), rejection, requestResponses);
            });
    StateConflictException withdraw =
        thrown(
            StateConflictException.class,
            () -> cancellations.withdraw(buyer, key(buyer, "WithdrawCancellationRequest", request.id()), request.id(), requestResponses));
    StateConflictException ship =
        thrown(
            StateConflictException.class,
            () -> orders.ship(seller, key(seller, "ShipOrder", id), id, "UPS", "1Z", OptionalInt.empty(), orderResponses));

    for (StateConflictException refused : List.of(approve, reject, withdraw)) {
      assertThat(refused.reason()).isEqualTo("CANCELLATION_REQUEST_NOT_PENDING");
      assertThat(refused.metadata()).containsEntry("requestState", "AUTO_APPROVED");
    }
    assertThat(ship.metadata()).containsEntry("orderState", "CANCELLED");
    assertThat(refundRowsOf(id)).isEqualTo(1);
    assertThat(eventRowsOf(id, "CANCELLATION_AUTO_APPROVED")).isEqualTo(1);
    assertThat(eventRowsOf(id, "CANCELLATION_APPROVED")).isZero();
  }

  /**
   * The deadline is settled under the order's lock, in the answer's own transaction: there is no
   * moment between settling and acting in which the deadline could pass. An answer at the very
   * microsecond of the deadline finds the platform's approval, which commits although the answer is
   * refused.
   */
  @Test
  void answersAtTheDeadlineInstant_findTheRequestAutoApproved_andThePlatformsApprovalCommits() {
    UUID id = paidOrder(buyer);
    CancellationRequest request = requestCancellation(buyer, id);
    clock.set(request.respondBy());
    Rejection rejection = new Rejection(request.id(), RejectionReason.OTHER, "no", "", "");

    StateConflictException approve =
        thrown(
            StateConflictException.class,
            () -> cancellations.approve(seller, key(seller, "ApproveCancellationRequest", request.id()), request.id(), requestResponses));
    assertThat(approve.reason()).isEqualTo("CANCELLATION_REQUEST_NOT_PENDING");
    assertThat(approve.metadata()).containsEntry("requestState", "AUTO_APPROVED");
    assertThat(stateRowOf(request.id())).as("committed by the refused approval's transaction").isEqualTo("AUTO_APPROVED");
    assertThat(refundRowsOf(id)).isEqualTo(1);

    for (Runnable answer :
        List.<Runnable>of(
            () -> cancellations.reject(seller, key(seller, "RejectCancellationRequest", rejection), rejection, requestResponses),
            () -> cancellations.withdraw(buyer, key(buyer, "WithdrawCancellationRequest", request.id()), request.id(), requestResponses))) {
      StateConflictException refused = thrown(StateConflictException.class, answer::run);
      assertThat(refused.metadata()).containsEntry("requestState", "AUTO_APPROVED");
    }
    assertThat(refundRowsOf(id)).isEqualTo(1);
    assertThat(eventRowsOf(id, "CANCELLATION_AUTO_APPROVED")).isEqualTo(1);
  }

  @Test
  void aRefusedCallThatSettledTheDeadline_leavesNoIdempotencyRecord_soItsRetryRunsAfresh() {
    UUID id = paidOrder(buyer);
    CancellationRequest request = requestCancellation(buyer, id);
    clock.set(request.respondBy().plus(Duration.ofSeconds(1)));
    var approval = key(seller, "ApproveCancellationRequest", request.id());

    StateConflictException first =
        thrown(StateConflictException.class, () -> cancellations.approve(seller, approval, request.id(), requestResponses));
    StateConflictException retry =
        thrown(StateConflictException.class, () -> cancellations.approve(seller, approval, request.id(), requestResponses));

    assertThat(first.metadata()).containsEntry("requestState", "AUTO_APPROVED");
    assertThat(retry.metadata()).as("evaluated again, not replayed").containsEntry("requestState", "AUTO_APPROVED");
    assertThat(refundRowsOf(id)).isEqualTo(1);
  }

  // --- concurrency ------------------------------------------------------------------------------

  @Test
  void twoReplicasSweepingFromSeveralThreads_expireEachOfFortyRequestsOnce() throws Exception {
    int requests = 40;
    for (int i = 0; i < requests; i++) {
      requestCancellation(buyer, paidOrder(buyer));
    }
    clock.advance(WINDOW.plus(Duration.ofHours(1)));
    HikariDataSource secondPool = TestDatabase.dataSource(dataSource.getJdbcUrl(), 8);
    List<DeadlineExpiry> replicas =
        List.of(
            new DeadlineExpiry(Transactor.over(dataSource, clock), clock, SETTINGS),
            new DeadlineExpiry(Transactor.over(secondPool, clock), clock, SETTINGS));
    ExecutorService threads = Executors.newFixedThreadPool(6);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> sweepers = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        DeadlineExpiry replica = replicas.get(t % 2);
        sweepers.add(
            threads.submit(
                () -> {
                  start.await();
                  int expired = 0;
                  for (int n = replica.sweep(5); n > 0; n = replica.sweep(5)) {
                    expired += n;
                  }
                  return expired;
                }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> sweeper : sweepers) {
        total += sweeper.get(60, TimeUnit.SECONDS);
      }

      assertThat(total).as("requests expired, summed over every sweeper").isEqualTo(requests);
      assertThat(count("SELECT COUNT(*) FROM refunds")).isEqualTo(requests);
      assertThat(count("SELECT COUNT(*) FROM (SELECT order_id FROM refunds GROUP BY order_id HAVING COUNT(*) <> 1) x")).isZero();
      assertThat(count("SELECT COUNT(*) FROM order_events WHERE event_type = 'CANCELLATION_AUTO_APPROVED'")).isEqualTo(requests);
      assertThat(
              count(
                  "SELECT COUNT(*) FROM (SELECT order_id FROM order_events WHERE event_type = 'CANCELLATION_AUTO_APPROVED'"
                      + " GROUP BY order_id HAVING COUNT(*) <> 1) x"))
          .isZero();
      assertThat(count("SELECT COUNT(*) FROM orders WHERE state = 'CANCELLED'")).isEqualTo(requests);
      assertThat(count("SELECT COUNT(*) FROM cancellation_requests WHERE state = 'PENDING'")).isZero();
      assertThat(replicas.get(0).sweep(50) + replicas.get(1).sweep(50)).isZero();
    } finally {
      threads.shutdownNow();
      secondPool.close();
    }
  }

  @Test
  void readersAndSweepersAtTheDeadline_expireEachRequestOnce() throws Exception {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      UUID id = paidOrder(buyer);
      requestCancellation(buyer, id);
      ids.add(id);
    }
    clock.advance(WINDOW.plus(Duration.ofMinutes(1)));
    ExecutorService threads = Executors.newFixedThreadPool(6);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int offset = t;
        work.add(
            threads.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < ids.size(); i++) {
                    UUID id = ids.get((i + offset * 3) % ids.size());
                    switch (offset) {
                      case 0 -> orders.get(buyer, id);
                      case 1 -> cancellations.eligibility(buyer, id);
                      case 2 -> orders.history(seller, id, 0, 100);
                      default -> orders.list(buyer, new OrderQuery(Optional.empty(), Optional.empty(), Set.of(), Optional.empty(), 20));
                    }
                  }
                  return null;
                }));
      }
      for (int t = 0; t < 2; t++) {
        work.add(
            threads.submit(
                () -> {
                  start.await();
                  while (expiry.sweep(3) > 0) {
                    // keep sweeping until nothing is due
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : work) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }

    for (UUID id : ids) {
      assertThat(refundRowsOf(id)).as("refunds of %s", id).isEqualTo(1);
      assertThat(eventRowsOf(id, "CANCELLATION_AUTO_APPROVED")).isEqualTo(1);
      assertThat(eventRowsOf(id, "REFUND_INITIATED")).isEqualTo(1);
    }
  }

  @Test
  void sellerApprovingAsTheDeadlinePasses_exactlyOneOutcome_everyTime() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    int approvedBySeller = 0;
    try {
      for (int round = 0; round < 20; round++) {
        UUID id = paidOrder(buyer);
        CancellationRequest request = requestCancellation(buyer, id);
        clock.set(request.respondBy().minusMillis(1));
        CountDownLatch start = new CountDownLatch(1);
        Future<Object> approval =
            threads.submit(
                () -> {
                  start.await();
                  try {
                    return approve(request.id());
                  } catch (DomainException refused) {
                    return refused;
                  }
                });
        Future<Integer> deadline =
            threads.submit(
                () -> {
                  start.await();
                  // A random head start for the seller, so that both sides win some rounds (not a condition to wait for).
                  LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(10_000_000));
                  clock.advance(Duration.ofMillis(2));
                  return expiry.sweep(50);
                });
        start.countDown();
        Object answer = approval.get(30, TimeUnit.SECONDS);
        int swept = deadline.get(30, TimeUnit.SECONDS);

        CancellationRequestView after = cancellations.get(seller, request.id()); // settles it if neither side did
        String context = "round " + round + ": approval " + describe(answer) + ", sweep expired " + swept;
        if (answer instanceof CancellationRequestView) {
          approvedBySeller++;
          assertThat(after.request().state()).as(context).isEqualTo(CancellationRequestState.APPROVED);
          assertThat(after.request().resolvedAt()).as(context + ": the seller answered in time").isBefore(request.respondBy());
          assertThat(swept).as(context).isZero();
        } else {
          assertThat(((DomainException) answer).reason())
              .as(context)
              .isIn("CANCELLATION_REQUEST_NOT_PENDING", "CANCELLATION_DEADLINE_PASSED");
          assertThat(after.request().state()).as(context).isEqualTo(CancellationRequestState.AUTO_APPROVED);
        }
        assertThat(after.refund()).as(context).isPresent();
        assertThat(refundRowsOf(id)).as(context).isEqualTo(1);
        assertThat(
                count(
                    "SELECT COUNT(*) FROM order_events WHERE order_id = ? AND event_type IN ('CANCELLATION_APPROVED', 'CANCELLATION_AUTO_APPROVED')",
                    id))
            .as(context)
            .isEqualTo(1);
        assertThat(eventRowsOf(id, "ORDER_CANCELLED")).as(context).isEqualTo(1);
      }
    } finally {
      threads.shutdownNow();
    }
    System.out.printf("the seller's approval won %d of 20 races against the deadline%n", approvedBySeller);
  }

  // --- helpers ----------------------------------------------------------------------------------

  private UUID paidOrder(Principal buyer) {
    NewOrder request = SampleOrders.newOrder(buyer.subject(), seller.subject());
    UUID id = orders.create(buyer, key(buyer, "CreateOrder", request), request, orderResponses).id();
    clock.advance(Duration.ofSeconds(30));
    PaymentReport captured = new PaymentReport(id, PaymentReport.Outcome.CAPTURED, "psp-" + id, SampleOrders.TOTAL, "");
    orders.recordPayment(payments, key(payments, "RecordPayment", captured), captured, orderResponses);
    return id;
  }

  private CancellationRequest requestCancellation(Principal buyer, UUID orderId) {
    return cancellations
        .cancel(buyer, key(buyer, "CancelOrder", orderId), orderId, CancellationReason.WRONG_ITEM_OR_SIZE, "", cancelResponses)
        .request()
        .orElseThrow();
  }

  private CancellationRequestView approve(UUID requestId) {
    return cancellations.approve(seller, key(seller, "ApproveCancellationRequest", requestId), requestId, requestResponses);
  }

  private static String describe(Object answer) {
    return answer instanceof DomainException e ? e.reason() : "APPROVED";
  }

  private static IdempotencyKey key(Principal caller, String operation, Object request) {
    return IdempotencyKeys.fresh(caller, operation, request);
  }

  private long count(String sql, Object... parameters) {
    return Rows.count(dataSource, sql, parameters);
  }

  private long refundRowsOf(UUID orderId) {
    return count("SELECT COUNT(*) FROM refunds WHERE order_id = ?", orderId);
  }

  private long eventRowsOf(UUID orderId, String type) {
    return count("SELECT COUNT(*) FROM order_events WHERE order_id = ? AND event_type = ?", orderId, type);
  }

  private String stateRowOf(UUID requestId) {
    for (String state : List.of("PENDING", "AUTO_APPROVED", "APPROVED", "REJECTED", "WITHDRAWN")) {
      if (count("SELECT COUNT(*) FROM cancellation_requests WHERE id = ? AND state = ?", requestId, state) == 1) {
        return state;
      }
    }
    return "missing";
  }
}
