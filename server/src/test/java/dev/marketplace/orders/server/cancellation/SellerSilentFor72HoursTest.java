package dev.marketplace.orders.server.cancellation;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.server.cancellation.CancellationServiceFixture.failure;
import static dev.marketplace.orders.server.cancellation.Marketplace.instant;
import static dev.marketplace.orders.server.cancellation.Marketplace.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.usecase.DeadlineExpiry;
import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.Actor;
import dev.marketplace.orders.v1.Cancellation;
import dev.marketplace.orders.v1.CancellationEligibility;
import dev.marketplace.orders.v1.CancellationRequest;
import dev.marketplace.orders.v1.ListCancellationRequestsRequest;
import dev.marketplace.orders.v1.ListOrdersRequest;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.OrderEvent;
import dev.marketplace.orders.v1.Refund;
import io.grpc.Status;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seller stays silent: these tests move the clock by days, so each starts a server of its own. */
class SellerSilentFor72HoursTest {

  /**
   * Every read path expires a due request by itself: each order below is first looked at through a
   * different one, with no sweep having run. The deadline falls on a Friday, so the refund window
   * visibly skips the weekend.
   */
  @Test
  void sellerSilentFor72Hours_everyReadAlreadyShowsTheRequestAutoApproved_andTheOrderCancelledAndRefunded() throws Exception {
    try (GrpcTestServer own = new GrpcTestServer()) {
      Marketplace shop = Marketplace.of(own);
      Rows db = Rows.of(own.dataSource());
      ZonedDateTime tuesday =
          own.clock.instant().atZone(ZoneOffset.UTC).plusDays(1).with(TemporalAdjusters.next(DayOfWeek.TUESDAY)).with(LocalTime.of(10, 0));
      own.clock.set(tuesday.toInstant());
      String seller = unique("seller");
      List<CancellationRequest> requests = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        requests.add(shop.requested(unique("buyer-" + i), seller));
      }
      Instant respondBy = instant(requests.get(0).getRespondByTime());
      assertThat(respondBy).isEqualTo(tuesday.plusDays(3).toInstant());

      own.clock.set(respondBy.minusSeconds(1));
      assertThat(shop.request(seller, SELLER, requests.get(0).getCancellationRequestId()).getState())
          .as("one second before the deadline the seller still has time")
          .isEqualTo(CancellationRequest.State.PENDING);

      own.clock.set(respondBy.plusSeconds(1));
      Instant expiredAt = own.clock.instant();

      // 0: GetCancellationRequest
      CancellationRequest viaGet = shop.request(requests.get(0).getBuyerId(), BUYER, requests.get(0).getCancellationRequestId());
      assertThat(viaGet.getState()).isEqualTo(CancellationRequest.State.AUTO_APPROVED);
      assertThat(viaGet.getResolvedBy()).isEqualTo(Actor.newBuilder().setSubject("platform").setRole(Actor.Role.SYSTEM).build());
      assertThat(instant(viaGet.getResolveTime())).isEqualTo(expiredAt);
      assertThat(viaGet.getRefund().getState()).isEqualTo(Refund.State.INITIATED);
      assertThat(viaGet.getRefund().getAmount()).isEqualTo(Requests.usd(Requests.TOTAL));
      ZonedDateTime friday = expiredAt.atZone(ZoneOffset.UTC);
      assertThat(friday.getDayOfWeek()).isEqualTo(DayOfWeek.FRIDAY);
      assertThat(instant(viaGet.getRefund().getExpectedArrivalEarliestTime())).isEqualTo(friday.plusDays(5).toInstant());
      assertThat(instant(viaGet.getRefund().getExpectedArrivalLatestTime())).isEqualTo(friday.plusWeeks(4).toInstant());

      // 1: GetOrder
      Order viaGetOrder = shop.order(requests.get(1).getBuyerId(), BUYER, requests.get(1).getOrderId());
      assertThat(viaGetOrder.getState()).isEqualTo(Order.State.CANCELLED);
      assertThat(viaGetOrder.getCancellation().getKind()).isEqualTo(Cancellation.Kind.AUTO_APPROVED);
      assertThat(viaGetOrder.getCancellation().getCancelledBy().getRole()).isEqualTo(Actor.Role.SYSTEM);
      assertThat(viaGetOrder.getCancellation().getCancellationRequestId()).isEqualTo(requests.get(1).getCancellationRequestId());
      assertThat(viaGetOrder.getRefund().getState()).isEqualTo(Refund.State.INITIATED);

      // 2: CheckCancellationEligibility
      CancellationEligibility viaEligibility = shop.eligibility(requests.get(2).getBuyerId(), BUYER, requests.get(2).getOrderId());
      assertThat(viaEligibility.getOutcome()).isEqualTo(CancellationEligibility.Outcome.ALREADY_CANCELLED);
      assertThat(viaEligibility.getOrderState()).isEqualTo(Order.State.CANCELLED);

      // 3: the seller's inbox (ListCancellationRequests, one order)
      List<CancellationRequest> viaInbox =
          shop.cancellations(seller, SELLER)
              .listCancellationRequests(ListCancellationRequestsRequest.newBuilder().setOrderId(requests.get(3).getOrderId()).build())
              .getCancellationRequestsList();
      assertThat(viaInbox).singleElement().satisfies(r -> {
        assertThat(r.getState()).isEqualTo(CancellationRequest.State.AUTO_APPROVED);
        assertThat(r.getRefund().getState()).isEqualTo(Refund.State.INITIATED);
      });

      // 4: the buyer's "My Orders" (ListOrders)
      List<Order> viaMyOrders =
          shop.orders(requests.get(4).getBuyerId(), BUYER).listOrders(ListOrdersRequest.getDefaultInstance()).getOrdersList();
      assertThat(viaMyOrders).singleElement().satisfies(o -> {
        assertThat(o.getState()).isEqualTo(Order.State.CANCELLED);
        assertThat(o.getRefund().getState()).isEqualTo(Refund.State.INITIATED);
      });

      // 5: the seller answers too late
      Errors late = failure(() -> shop.approve(seller, requests.get(5).getCancellationRequestId()));
      assertThat(late.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(late.reason()).isEqualTo("CANCELLATION_REQUEST_NOT_PENDING");
      assertThat(late.errorInfo().getMetadataMap()).containsEntry("requestState", "AUTO_APPROVED");

      // 6: nobody looked; the sweep finds exactly this one, and the next sweep nothing
      DeadlineExpiry sweep = own.injector.getInstance(DeadlineExpiry.class);
      assertThat(sweep.sweep(50)).isEqualTo(1);
      assertThat(sweep.sweep(50)).isZero();
      assertThat(shop.request(seller, SELLER, requests.get(6).getCancellationRequestId()).getState())
          .isEqualTo(CancellationRequest.State.AUTO_APPROVED);

      for (CancellationRequest r : requests) {
        assertThat(db.refunds(r.getOrderId())).as("refunds of " + r.getReference()).isEqualTo(1);
        assertThat(db.events(r.getOrderId(), "CANCELLATION_AUTO_APPROVED")).isEqualTo(1);
        assertThat(db.events(r.getOrderId(), "ORDER_CANCELLED")).isEqualTo(1);
        assertThat(db.request(r.getCancellationRequestId()).orElseThrow().state()).isEqualTo("AUTO_APPROVED");
      }
      List<OrderEvent> history = shop.history(seller, SELLER, requests.get(0).getOrderId());
      assertThat(history.subList(history.size() - 3, history.size()))
          .allSatisfy(e -> assertThat(e.getActor()).isEqualTo(Actor.newBuilder().setSubject("platform").setRole(Actor.Role.SYSTEM).build()))
          .extracting(OrderEvent::getType)
          .containsExactly(OrderEvent.Type.CANCELLATION_AUTO_APPROVED, OrderEvent.Type.ORDER_CANCELLED, OrderEvent.Type.REFUND_INITIATED);
      Errors ship = failure(() -> shop.orders(seller, SELLER).shipOrder(Requests.ship(requests.get(6).getOrderId())));
      assertThat(ship.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    }
  }
}
