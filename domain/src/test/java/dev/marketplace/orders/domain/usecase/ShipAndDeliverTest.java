package dev.marketplace.orders.domain.usecase;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.error.ConcurrentChangeException;
import dev.marketplace.orders.domain.history.OrderEvent;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.order.Shipment;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Shipping and confirming delivery, each guarded by the order's version (its etag). */
class ShipAndDeliverTest extends OrdersFixture {

  // --- ship and deliver with etags --------------------------------------------------------------

  @Test
  void shipWithTheCurrentVersion_shipsAndRecordsCarrierAndTracking() {
    UUID id = paidOrder();
    Instant shippedAt = clock.advance(Duration.ofHours(5)).truncatedTo(ChronoUnit.MICROS);

    String response =
        orders.ship(seller, key(seller, "ShipOrder", id), id, "DHL", "JD014600006281", OptionalInt.of(2), FORMAT);

    Order order = orders.get(seller, id);
    assertThat(response).isEqualTo(FORMAT.render(order));
    assertThat(order.state()).isEqualTo(OrderState.SHIPPED);
    assertThat(order.version()).isEqualTo(3);
    assertThat(order.shipment()).isEqualTo(new Shipment("DHL", "JD014600006281", shippedAt, null));
    assertThat(lastEvent(id))
        .extracting(OrderEvent::type, OrderEvent::actorRole, OrderEvent::details)
        .containsExactly(OrderEventType.ORDER_SHIPPED, Role.SELLER, Map.of("carrier", "DHL", "trackingNumber", "JD014600006281"));
  }

  @Test
  void shipWithAStaleVersion_isRefusedAsEtagMismatchAndChangesNothing() {
    UUID id = paidOrder();

    ConcurrentChangeException refused =
        thrown(
            ConcurrentChangeException.class,
            () -> orders.ship(seller, key(seller, "ShipOrder", id), id, "DHL", "JD1", OptionalInt.of(1), FORMAT));

    assertThat(refused.reason()).isEqualTo("ETAG_MISMATCH");
    assertThat(refused.metadata())
        .containsExactlyInAnyOrderEntriesOf(Map.of("orderId", id.toString(), "orderState", "AWAITING_SHIPMENT"));
    Order order = orders.get(seller, id);
    assertThat(order.state()).isEqualTo(OrderState.AWAITING_SHIPMENT);
    assertThat(order.version()).isEqualTo(2);
    assertThat(countEvents(id)).isEqualTo(2);
  }

  @Test
  void confirmDeliveryWithAStaleVersion_isRefusedAsEtagMismatch_andWithTheCurrentOneDelivers() {
    UUID id = paidOrder();
    orders.ship(seller, key(seller, "ShipOrder", id), id, "DHL", "JD1", OptionalInt.empty(), FORMAT);

    ConcurrentChangeException refused =
        thrown(
            ConcurrentChangeException.class,
            () -> orders.confirmDelivery(payments, key(payments, "ConfirmDelivery", id + "/2"), id, OptionalInt.of(2), FORMAT));
    assertThat(refused.reason()).isEqualTo("ETAG_MISMATCH");
    assertThat(refused.metadata()).containsEntry("orderState", "SHIPPED");
    assertThat(orders.get(buyer, id).state()).isEqualTo(OrderState.SHIPPED);

    Instant deliveredAt = clock.advance(Duration.ofDays(4)).truncatedTo(ChronoUnit.MICROS);
    orders.confirmDelivery(payments, key(payments, "ConfirmDelivery", id + "/3"), id, OptionalInt.of(3), FORMAT);

    Order order = orders.get(buyer, id);
    assertThat(order.state()).isEqualTo(OrderState.DELIVERED);
    assertThat(order.version()).isEqualTo(4);
    assertThat(order.shipment().deliveredAt()).isEqualTo(deliveredAt);
    assertThat(lastEvent(id).type()).isEqualTo(OrderEventType.ORDER_DELIVERED);
  }
}
