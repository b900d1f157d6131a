package dev.marketplace.orders.domain.usecase;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.error.AccessDeniedException;
import dev.marketplace.orders.domain.error.FieldViolation;
import dev.marketplace.orders.domain.error.InvalidRequestException;
import dev.marketplace.orders.domain.history.OrderEvent;
import dev.marketplace.orders.domain.history.OrderEventPage;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderPage;
import dev.marketplace.orders.domain.order.OrderQuery;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.order.PaymentReport.Outcome;
import dev.marketplace.orders.domain.order.PaymentReport;
import dev.marketplace.orders.domain.testing.SampleOrders;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Who sees an order, how orders are listed and paged, and how an order's history pages. */
class ReadingOrdersTest extends OrdersFixture {

  // --- visibility -------------------------------------------------------------------------------

  @Test
  void anotherBuyer_cannotSeeTheOrderOrItsHistory_itIsNotFound() {
    UUID id = idOf(create(buyer, seller));
    Principal stranger = Principal.of(buyer.subject() + "-stranger", Role.BUYER);

    assertNotFound(id, () -> orders.get(stranger, id));
    assertNotFound(id, () -> orders.history(stranger, id, 0, 10));
  }

  @Test
  void anotherSeller_cannotSeeOrShipTheOrder_itIsNotFoundAndStaysUnshipped() {
    UUID id = paidOrder();
    Principal otherShop = Principal.of(seller.subject() + "-other-shop", Role.SELLER);

    assertNotFound(id, () -> orders.get(otherShop, id));
    assertNotFound(id, () -> orders.history(otherShop, id, 0, 10));
    assertNotFound(
        id, () -> orders.ship(otherShop, key(otherShop, "ShipOrder", id), id, "DHL", "JD1", OptionalInt.empty(), FORMAT));

    assertThat(orders.get(seller, id).state()).isEqualTo(OrderState.AWAITING_SHIPMENT);
  }

  @Test
  void theOrdersPartiesAndSupport_seeIt_andAnUnknownIdIsNotFound() {
    UUID id = idOf(create(buyer, seller));
    Principal support = Principal.of("agent-7", Role.SUPPORT);

    assertThat(orders.get(buyer, id).id()).isEqualTo(id);
    assertThat(orders.get(seller, id).id()).isEqualTo(id);
    assertThat(orders.get(support, id).id()).isEqualTo(id);
    assertThat(orders.history(support, id, 0, 10).events()).hasSize(1);
    UUID unknown = UUID.randomUUID();
    assertNotFound(unknown, () -> orders.get(support, unknown));
  }

  // --- listing ----------------------------------------------------------------------------------

  @Test
  void buyerListingWithoutFilters_getsOnlyTheirOwnOrders_newestFirst() {
    List<UUID> mine = createSeveral(buyer, seller, 3);
    Principal otherBuyer = Principal.of(buyer.subject() + "-x", Role.BUYER);
    createSeveral(otherBuyer, seller, 2);

    OrderPage page = orders.list(buyer, query(Optional.empty(), Optional.empty(), 20));

    assertThat(page.orders()).extracting(Order::id).containsExactly(mine.get(2), mine.get(1), mine.get(0));
    assertThat(page.next()).isEmpty();
  }

  @Test
  void sellerListingWithoutFilters_getsTheirShopsOrdersOfEveryBuyer() {
    List<UUID> first = createSeveral(buyer, seller, 2);
    Principal otherBuyer = Principal.of(buyer.subject() + "-y", Role.BUYER);
    List<UUID> second = createSeveral(otherBuyer, seller, 2);
    createSeveral(buyer, Principal.of(seller.subject() + "-elsewhere", Role.SELLER), 1);

    OrderPage page = orders.list(seller, query(Optional.empty(), Optional.empty(), 20));

    assertThat(page.orders())
        .extracting(Order::id)
        .containsExactly(second.get(1), second.get(0), first.get(1), first.get(0));
  }

  @Test
  void listingPagesNewestFirst_withANextCursorUntilTheLastPage() {
    List<UUID> mine = createSeveral(buyer, seller, 5);

    OrderPage first = orders.list(buyer, query(Optional.empty(), Optional.empty(), 2));
    OrderPage second = orders.list(buyer, query(first.next(), 2));
    OrderPage third = orders.list(buyer, query(second.next(), 2));

    assertThat(first.orders()).extracting(Order::id).containsExactly(mine.get(4), mine.get(3));
    assertThat(second.orders()).extracting(Order::id).containsExactly(mine.get(2), mine.get(1));
    assertThat(third.orders()).extracting(Order::id).containsExactly(mine.get(0));
    assertThat(first.next()).isPresent();
    assertThat(second.next()).isPresent();
    assertThat(third.next()).isEmpty();
  }

  @Test
  void listingExactlyOnePageOfOrders_hasNoNextCursor() {
    createSeveral(buyer, seller, 3);

    OrderPage page = orders.list(buyer, query(Optional.empty(), Optional.empty(), 3));

    assertThat(page.orders()).hasSize(3);
    assertThat(page.next()).isEmpty();
  }

  @Test
  void buyerNamingAnotherBuyer_isDenied() {
    AccessDeniedException denied =
        thrown(
            AccessDeniedException.class,
            () -> orders.list(buyer, query(Optional.of("somebody-else"), Optional.empty(), 20)));

    assertThat(denied.reason()).isEqualTo("NOT_YOUR_ORDERS");
    assertThat(denied.metadata()).containsEntry("field", "buyer_id");
  }

  @Test
  void sellerNamingAnotherSeller_isDenied() {
    AccessDeniedException denied =
        thrown(
            AccessDeniedException.class,
            () -> orders.list(seller, query(Optional.empty(), Optional.of("rival-shop"), 20)));

    assertThat(denied.metadata()).containsEntry("field", "seller_id");
  }

  @Test
  void buyerNamingThemselvesAndASeller_getsTheirOrdersFromThatSeller() {
    List<UUID> fromSeller = createSeveral(buyer, seller, 2);
    createSeveral(buyer, Principal.of(seller.subject() + "-2", Role.SELLER), 2);

    OrderPage page =
        orders.list(buyer, query(Optional.of(buyer.subject()), Optional.of(seller.subject()), 20));

    assertThat(page.orders()).extracting(Order::id).containsExactly(fromSeller.get(1), fromSeller.get(0));
  }

  @Test
  void supportListingWithoutBuyerOrSeller_isAnInvalidRequest() {
    Principal support = Principal.of("agent-7", Role.SUPPORT);

    InvalidRequestException refused =
        thrown(
            InvalidRequestException.class, () -> orders.list(support, query(Optional.empty(), Optional.empty(), 20)));

    assertThat(refused.violations()).extracting(FieldViolation::field).containsExactly("buyer_id");
  }

  @Test
  void supportNamingABuyer_getsThatBuyersOrders() {
    List<UUID> mine = createSeveral(buyer, seller, 2);

    OrderPage page =
        orders.list(Principal.of("agent-7", Role.SUPPORT), query(Optional.of(buyer.subject()), Optional.empty(), 20));

    assertThat(page.orders()).extracting(Order::id).containsExactly(mine.get(1), mine.get(0));
  }

  @Test
  void stateFilter_listsOnlyOrdersInThoseStates() {
    List<UUID> mine = createSeveral(buyer, seller, 3);
    capture(mine.get(1), SampleOrders.TOTAL);

    OrderPage paid =
        orders.list(
            buyer,
            new OrderQuery(Optional.empty(), Optional.empty(), Set.of(OrderState.AWAITING_SHIPMENT), Optional.empty(), 20));

    assertThat(paid.orders()).extracting(Order::id).containsExactly(mine.get(1));
  }

  // --- history ----------------------------------------------------------------------------------

  @Test
  void historyPagesOldestFirst_withANextCursorUntilTheLastPage() {
    UUID id = idOf(create(buyer, seller));
    clock.advance(Duration.ofMinutes(1));
    report(new PaymentReport(id, Outcome.PROCESSING, "", null, ""));
    clock.advance(Duration.ofMinutes(1));
    report(new PaymentReport(id, Outcome.CAPTURED, "psp-1", SampleOrders.TOTAL, ""));
    clock.advance(Duration.ofHours(1));
    orders.ship(seller, key(seller, "ShipOrder", id), id, "UPS", "1Z", OptionalInt.empty(), FORMAT);
    clock.advance(Duration.ofDays(3));
    orders.confirmDelivery(payments, key(payments, "ConfirmDelivery", id), id, OptionalInt.empty(), FORMAT);

    OrderEventPage first = orders.history(buyer, id, 0, 2);
    OrderEventPage second = orders.history(buyer, id, first.nextAfterSequence().orElseThrow(), 2);
    OrderEventPage third = orders.history(buyer, id, second.nextAfterSequence().orElseThrow(), 2);

    assertThat(first.orderEvents())
        .extracting(OrderEvent::sequence, OrderEvent::type, OrderEvent::orderState)
        .containsExactly(
            tuple(1L, OrderEventType.ORDER_CREATED, OrderState.AWAITING_PAYMENT),
            tuple(2L, OrderEventType.PAYMENT_PROCESSING, OrderState.PAYMENT_PROCESSING));
    assertThat(first.nextAfterSequence()).isEqualTo(OptionalLong.of(2));
    assertThat(second.orderEvents())
        .extracting(OrderEvent::sequence, OrderEvent::type, OrderEvent::orderState)
        .containsExactly(
            tuple(3L, OrderEventType.PAYMENT_CAPTURED, OrderState.AWAITING_SHIPMENT),
            tuple(4L, OrderEventType.ORDER_SHIPPED, OrderState.SHIPPED));
    assertThat(second.nextAfterSequence()).isEqualTo(OptionalLong.of(4));
    assertThat(third.orderEvents())
        .extracting(OrderEvent::sequence, OrderEvent::type, OrderEvent::orderState)
        .containsExactly(tuple(5L, OrderEventType.ORDER_DELIVERED, OrderState.DELIVERED));
    assertThat(third.nextAfterSequence()).isEmpty();
    List<Instant> times = new ArrayList<>();
    for (OrderEventPage p : List.of(first, second, third)) {
      p.orderEvents().forEach(e -> times.add(e.occurredAt()));
    }
    List<Long> positions = new ArrayList<>();
    for (OrderEventPage p : List.of(first, second, third)) {
      p.events().forEach(e -> positions.add(e.position()));
    }
    assertThat(positions).as("feed positions follow the order's sequence").isSorted().doesNotHaveDuplicates().allMatch(p -> p > 0);
    assertThat(times).isSorted().doesNotHaveDuplicates();
    assertThat(times.get(4)).isEqualTo(clock.instant().truncatedTo(ChronoUnit.MICROS));
  }
}
