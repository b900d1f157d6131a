package dev.marketplace.orders.domain.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.domain.cancellation.CancellationRequest;
import dev.marketplace.orders.domain.cancellation.CancellationRequestState;
import dev.marketplace.orders.domain.cancellation.CancellationRequestView;
import dev.marketplace.orders.domain.error.DomainException;
import dev.marketplace.orders.domain.order.OrderQuery;
import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Expiry on any number of replicas and threads, and the seller's answer racing the deadline: one outcome each time. */
class ExpiryRacesTest extends DeadlineExpiryFixture {

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
              .isEqualTo("CANCELLATION_REQUEST_NOT_PENDING");
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
}
