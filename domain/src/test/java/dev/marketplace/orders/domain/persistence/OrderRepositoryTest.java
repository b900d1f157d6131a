package dev.marketplace.orders.domain.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.order.LineItem;
import dev.marketplace.orders.domain.order.Money;
import dev.marketplace.orders.domain.order.NewOrder;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderIds;
import dev.marketplace.orders.domain.order.PaymentMethod;
import dev.marketplace.orders.domain.order.ShippingAddress;
import dev.marketplace.orders.domain.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

class OrderRepositoryTest {

  @Test
  void insertedOrderReadsBackEqual() {
    var dataSource = TestDatabase.migratedDataSource();
    Clock clock = Clock.fixed(Instant.parse("2026-11-26T10:15:30.123456Z"), ZoneOffset.UTC);
    Transactor transactor = new Transactor(DSL.using(dataSource, SQLDialect.MARIADB), clock);
    Order order =
        Order.place(
            new OrderIds(clock).next(),
            new NewOrder(
                "buyer-1",
                "seller-1",
                List.of(new LineItem("SKU-1", "Phone case", Map.of("colour", "red"), 2, new Money("USD", 499))),
                new ShippingAddress("Ann", List.of("1 Main St"), "Springfield", "", "12345", "US", ""),
                PaymentMethod.CARD),
            clock.instant());
    transactor.inTransaction(uow -> { uow.orders().insert(order); return null; });
    java.util.Optional<Order> read = transactor.inTransaction(uow -> uow.orders().find(order.id()));
    assertThat(read).contains(order);
  }
}
