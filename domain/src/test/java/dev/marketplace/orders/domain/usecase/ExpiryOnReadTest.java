package dev.marketplace.orders.domain.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.cancellation.CancellationRequest;
import dev.marketplace.orders.domain.cancellation.CancellationRequestPage;
import dev.marketplace.orders.domain.cancellation.CancellationRequestQuery;
import dev.marketplace.orders.domain.cancellation.CancellationRequestState;
import dev.marketplace.orders.domain.cancellation.CancellationRequestView;
import dev.marketplace.orders.domain.cancellation.Eligibility.Outcome;
import dev.marketplace.orders.domain.cancellation.Eligibility;
import dev.marketplace.orders.domain.history.OrderEvent;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.order.CancellationKind;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderCancellation;
import dev.marketplace.orders.domain.order.OrderPage;
import dev.marketplace.orders.domain.order.OrderQuery;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.refund.Refund;
import dev.marketplace.orders.domain.refund.RefundState;
import dev.marketplace.orders.domain.testing.SampleOrders;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Past the deadline, whoever reads the request or its order first settles it (lazily), before any sweep. */
class ExpiryOnReadTest extends DeadlineExpiryFixture {

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
    List<OrderEvent> viaHistory = orders.history(seller, ids.get(1), 0, 100).orderEvents();
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
}
