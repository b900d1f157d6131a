package dev.marketplace.orders.server.cancellation;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.domain.access.Role.SUPPORT;
import static dev.marketplace.orders.server.cancellation.Marketplace.rejectRequest;
import static dev.marketplace.orders.server.cancellation.Marketplace.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.v1.CancellationRequest.RejectionReason;
import dev.marketplace.orders.v1.CancellationRequest;
import dev.marketplace.orders.v1.CancellationServiceGrpc.CancellationServiceBlockingStub;
import dev.marketplace.orders.v1.ListCancellationRequestsRequest;
import dev.marketplace.orders.v1.ListCancellationRequestsResponse;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ListCancellationRequests: the seller's inbox, the buyer's own requests, support's view of everyone's. */
class ListCancellationRequestsTest extends CancellationServiceFixture {

  @Test
  void sellerInbox_listsPendingFirstByDeadline_thenResolved_acrossPages() {
    String seller = unique("seller");
    List<CancellationRequest> made = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      made.add(market.requested(unique("buyer"), seller));
      server.clock.advance(Duration.ofMinutes(1));
    }
    CancellationRequest a = made.get(0);
    CancellationRequest b = made.get(1);
    CancellationRequest c = made.get(2);
    CancellationRequest d = made.get(3);
    market.reject(seller, rejectRequest(a.getCancellationRequestId(), RejectionReason.ALREADY_PREPARED_OR_CUSTOMISED));
    market.withdraw(c.getBuyerId(), c.getCancellationRequestId());
    market.requested(unique("buyer"), unique("another-shop"));

    CancellationServiceBlockingStub inbox = market.cancellations(seller, SELLER);
    List<ListCancellationRequestsResponse> pages = new ArrayList<>();
    String token = "";
    do {
      ListCancellationRequestsResponse page =
          inbox.listCancellationRequests(ListCancellationRequestsRequest.newBuilder().setPageSize(3).setPageToken(token).build());
      pages.add(page);
      token = page.getNextPageToken();
    } while (!token.isEmpty() && pages.size() < 10);

    assertThat(pages).hasSize(2);
    assertThat(pages.get(0).getCancellationRequestsCount()).isEqualTo(3);
    List<CancellationRequest> listed = pages.stream().flatMap(p -> p.getCancellationRequestsList().stream()).toList();
    assertThat(listed)
        .extracting(CancellationRequest::getCancellationRequestId)
        .containsExactly(
            b.getCancellationRequestId(), d.getCancellationRequestId(), a.getCancellationRequestId(), c.getCancellationRequestId());
    assertThat(listed)
        .extracting(CancellationRequest::getState)
        .containsExactly(
            CancellationRequest.State.PENDING,
            CancellationRequest.State.PENDING,
            CancellationRequest.State.REJECTED,
            CancellationRequest.State.WITHDRAWN);

    ListCancellationRequestsResponse pendingOnly =
        inbox.listCancellationRequests(ListCancellationRequestsRequest.newBuilder().addStates(CancellationRequest.State.PENDING).build());
    assertThat(pendingOnly.getCancellationRequestsList())
        .extracting(CancellationRequest::getCancellationRequestId)
        .containsExactly(b.getCancellationRequestId(), d.getCancellationRequestId());
    String firstToken = pages.get(0).getNextPageToken();
    Errors otherFilter =
        failure(() -> inbox.listCancellationRequests(
            ListCancellationRequestsRequest.newBuilder().setPageToken(firstToken).addStates(CancellationRequest.State.REJECTED).build()));
    assertThat(otherFilter.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(otherFilter.violatedFields()).containsExactly("page_token");
  }

  @Test
  void buyerListsOnlyTheirOwnRequests() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    CancellationRequest mine1 = market.requested(buyer, seller);
    CancellationRequest mine2 = market.requested(buyer, unique("seller"));
    CancellationRequest theirs = market.requested(unique("buyer"), seller);

    List<CancellationRequest> listed =
        market.cancellations(buyer, BUYER).listCancellationRequests(ListCancellationRequestsRequest.getDefaultInstance()).getCancellationRequestsList();

    assertThat(listed)
        .extracting(CancellationRequest::getCancellationRequestId)
        .containsExactlyInAnyOrder(mine1.getCancellationRequestId(), mine2.getCancellationRequestId())
        .doesNotContain(theirs.getCancellationRequestId());
  }

  @Test
  void supportListsEveryonesRequests_filteredByState() {
    CancellationRequest pending = market.requested(unique("buyer"), unique("seller"));
    String rejectingSeller = unique("seller");
    CancellationRequest rejected = market.requested(unique("buyer"), rejectingSeller);
    market.reject(rejectingSeller, rejectRequest(rejected.getCancellationRequestId(), RejectionReason.ALREADY_PREPARED_OR_CUSTOMISED));

    List<CancellationRequest> onlyRejected = listAllAsSupport(CancellationRequest.State.REJECTED);
    List<CancellationRequest> pendingOrRejected = listAllAsSupport(CancellationRequest.State.PENDING, CancellationRequest.State.REJECTED);

    assertThat(onlyRejected).allSatisfy(r -> assertThat(r.getState()).isEqualTo(CancellationRequest.State.REJECTED));
    assertThat(onlyRejected)
        .extracting(CancellationRequest::getCancellationRequestId)
        .contains(rejected.getCancellationRequestId())
        .doesNotContain(pending.getCancellationRequestId());
    assertThat(pendingOrRejected)
        .extracting(CancellationRequest::getCancellationRequestId)
        .contains(rejected.getCancellationRequestId(), pending.getCancellationRequestId());
    assertThat(
            market.cancellations("agent-4", SUPPORT)
                .listCancellationRequests(ListCancellationRequestsRequest.newBuilder().setOrderId(pending.getOrderId()).build())
                .getCancellationRequestsList())
        .containsExactly(pending);
  }

  private static List<CancellationRequest> listAllAsSupport(CancellationRequest.State... states) {
    CancellationServiceBlockingStub support = market.cancellations("agent-4", SUPPORT);
    List<CancellationRequest> all = new ArrayList<>();
    String token = "";
    do {
      ListCancellationRequestsResponse page =
          support.listCancellationRequests(
              ListCancellationRequestsRequest.newBuilder().addAllStates(List.of(states)).setPageSize(100).setPageToken(token).build());
      all.addAll(page.getCancellationRequestsList());
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return all;
  }
}
