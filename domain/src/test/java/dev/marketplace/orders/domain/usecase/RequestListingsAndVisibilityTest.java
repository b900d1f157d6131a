package dev.marketplace.orders.domain.usecase;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.cancellation.CancellationRequest;
import dev.marketplace.orders.domain.cancellation.CancellationRequestCursor;
import dev.marketplace.orders.domain.cancellation.CancellationRequestPage;
import dev.marketplace.orders.domain.cancellation.CancellationRequestQuery;
import dev.marketplace.orders.domain.cancellation.CancellationRequestState;
import dev.marketplace.orders.domain.cancellation.CancellationRequestView;
import dev.marketplace.orders.domain.cancellation.Rejection;
import dev.marketplace.orders.domain.cancellation.RejectionReason;
import dev.marketplace.orders.domain.error.AccessDeniedException;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.domain.order.OrderState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Who lists which cancellation requests, in which order, and what another buyer or seller can see of them. */
class RequestListingsAndVisibilityTest extends CancellationsFixture {

  // --- listings ---------------------------------------------------------------------------------

  @Test
  void sellerInbox_showsPendingRequestsFirstByDeadline_thenTheAnswered_acrossPages() {
    List<CancellationRequest> requests = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      advance(Duration.ofHours(1));
      requests.add(requestCancellation(paidOrder(buyer, seller)));
    }
    Principal rival = Principal.of(seller.subject() + "-rival", Role.SELLER);
    requestCancellation(paidOrder(buyer, rival));
    approve(seller, requests.get(0).id());
    reject(new Rejection(requests.get(2).id(), RejectionReason.OTHER, "no", "", ""));

    List<List<UUID>> pages = new ArrayList<>();
    Optional<CancellationRequestCursor> after = Optional.empty();
    do {
      CancellationRequestPage page =
          cancellations.list(seller, new CancellationRequestQuery(Optional.empty(), Optional.empty(), Optional.empty(), Set.of(), after, 2));
      pages.add(page.requests().stream().map(v -> v.request().id()).toList());
      after = page.next();
    } while (after.isPresent() && pages.size() < 10);

    assertThat(pages)
        .containsExactly(
            List.of(requests.get(1).id(), requests.get(3).id()),
            List.of(requests.get(4).id(), requests.get(0).id()),
            List.of(requests.get(2).id()));
  }

  @Test
  void sellerInbox_filteredToPending_andShowingTheRefundOfApprovedRequests() {
    List<CancellationRequest> requests = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      advance(Duration.ofMinutes(30));
      requests.add(requestCancellation(paidOrder(buyer, seller)));
    }
    CancellationRequestView approved = approve(seller, requests.get(1).id());

    CancellationRequestPage pending =
        cancellations.list(
            seller,
            new CancellationRequestQuery(
                Optional.empty(), Optional.empty(), Optional.empty(), Set.of(CancellationRequestState.PENDING), Optional.empty(), 20));
    CancellationRequestPage all =
        cancellations.list(seller, new CancellationRequestQuery(Optional.empty(), Optional.empty(), Optional.empty(), Set.of(), Optional.empty(), 20));

    assertThat(pending.requests()).extracting(v -> v.request().id()).containsExactly(requests.get(0).id(), requests.get(2).id());
    assertThat(pending.next()).isEmpty();
    assertThat(all.requests()).filteredOn(v -> v.request().id().equals(requests.get(1).id()))
        .singleElement()
        .satisfies(v -> assertThat(v.refund()).isEqualTo(approved.refund()).isPresent());
  }

  @Test
  void buyerListsOnlyTheirOwnRequests_evenNamingAnotherBuyer() {
    Principal otherBuyer = Principal.of(buyer.subject() + "-other", Role.BUYER);
    CancellationRequest mine = requestCancellation(paidOrder(buyer, seller));
    UUID theirOrder = paidOrder(otherBuyer, seller);
    CancellationRequest theirs =
        cancellations
            .cancel(otherBuyer, key(otherBuyer, "CancelOrder", theirOrder), theirOrder, CancellationReason.OTHER, "x", cancelResponses)
            .request()
            .orElseThrow();

    CancellationRequestPage own =
        cancellations.list(buyer, new CancellationRequestQuery(Optional.empty(), Optional.empty(), Optional.empty(), Set.of(), Optional.empty(), 20));
    CancellationRequestPage naming =
        cancellations.list(
            buyer,
            new CancellationRequestQuery(Optional.of(otherBuyer.subject()), Optional.empty(), Optional.empty(), Set.of(), Optional.empty(), 20));

    assertThat(own.requests()).extracting(v -> v.request().id()).containsExactly(mine.id());
    assertThat(naming.requests()).extracting(v -> v.request().id()).doesNotContain(theirs.id());
  }

  @Test
  void servicesDoNotListRequests() {
    AccessDeniedException denied =
        thrown(
            AccessDeniedException.class,
            () -> cancellations.list(
                payments,
                new CancellationRequestQuery(Optional.empty(), Optional.of(seller.subject()), Optional.empty(), Set.of(), Optional.empty(), 20)));

    assertThat(denied.reason()).isEqualTo("ROLE_NOT_ALLOWED");
  }

  // --- visibility -------------------------------------------------------------------------------

  @Test
  void anotherBuyerOrSeller_findsNeitherTheRequestNorTheOrder_andChangesNothing() {
    UUID id = paidOrder(buyer, seller);
    CancellationRequest request = requestCancellation(id);
    Principal otherBuyer = Principal.of(buyer.subject() + "-other", Role.BUYER);
    Principal otherSeller = Principal.of(seller.subject() + "-other", Role.SELLER);

    assertRequestNotFound(request.id(), () -> cancellations.get(otherBuyer, request.id()));
    assertRequestNotFound(request.id(), () -> cancellations.get(otherSeller, request.id()));
    assertRequestNotFound(request.id(), () -> approve(otherSeller, request.id()));
    assertRequestNotFound(request.id(), () -> reject(otherSeller, new Rejection(request.id(), RejectionReason.OTHER, "no", "", "")));
    assertRequestNotFound(
        request.id(),
        () -> cancellations.withdraw(otherBuyer, key(otherBuyer, "WithdrawCancellationRequest", request.id()), request.id(), requestResponses));
    assertOrderNotFound(id, () -> cancellations.eligibility(otherBuyer, id));
    assertOrderNotFound(id, () -> cancellations.eligibility(otherSeller, id));
    assertOrderNotFound(
        id, () -> cancellations.cancel(otherBuyer, key(otherBuyer, "CancelOrder", id), id, CancellationReason.OTHER, "", cancelResponses));
    assertRequestNotFound(request.id(), () -> cancellations.get(buyer, UUID.randomUUID()));

    assertThat(cancellations.get(buyer, request.id()).request()).isEqualTo(request);
    assertThat(orders.get(buyer, id).state()).isEqualTo(OrderState.AWAITING_SHIPMENT);
  }
}
