package dev.marketplace.orders.domain.usecase;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.error.NotFoundException;
import dev.marketplace.orders.domain.history.OrderEvent;
import dev.marketplace.orders.domain.idempotency.IdempotencyKey;
import dev.marketplace.orders.domain.idempotency.ResponseFormat;
import dev.marketplace.orders.domain.order.NewOrder;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderCursor;
import dev.marketplace.orders.domain.order.OrderQuery;
import dev.marketplace.orders.domain.order.PaymentReport.Outcome;
import dev.marketplace.orders.domain.order.PaymentReport;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.testing.MutableClock;
import dev.marketplace.orders.domain.testing.SampleOrders;
import dev.marketplace.orders.domain.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The order use cases against MariaDB, one database per test class: a clock, the use cases, a buyer
 * and seller of its own for every test (so the tests of a class share its database), and the steps
 * that put an order where a test needs it.
 */
abstract class OrdersFixture {

  /** Nanoseconds on purpose: the database keeps microseconds, and what a call returns must equal what it stored. */
  static final Instant T0 = Instant.parse("2026-11-26T10:15:30.123456789Z");

  /** What the edge would return: enough of the order to tell one response from another. */
  static final ResponseFormat<Order, String> FORMAT =
      new ResponseFormat<>() {
        @Override
        public String render(Order order) {
          return order.id() + "/" + order.version() + "/" + order.state() + "/" + order.updatedAt();
        }

        @Override
        public byte[] serialize(String response) {
          return response.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String deserialize(byte[] stored) {
          return new String(stored, StandardCharsets.UTF_8);
        }
      };

  static HikariDataSource dataSource;

  MutableClock clock;
  Orders orders;
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
    orders = new Orders(new Transactor(DSL.using(dataSource, SQLDialect.MARIADB), clock), clock);
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    buyer = Principal.of("buyer-" + suffix, Role.BUYER);
    seller = Principal.of("seller-" + suffix, Role.SELLER);
    payments = new Principal("payments", Role.SERVICE, Set.of("orders.payments"));
  }

  // --- helpers ----------------------------------------------------------------------------------

  String create(Principal buyer, Principal seller) {
    NewOrder request = SampleOrders.newOrder(buyer.subject(), seller.subject());
    return orders.create(buyer, key(buyer, "CreateOrder", request), request, FORMAT);
  }

  /** Creates {@code n} orders a second apart; returns their ids oldest first. */
  List<UUID> createSeveral(Principal buyer, Principal seller, int n) {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      clock.advance(Duration.ofSeconds(1));
      ids.add(idOf(create(buyer, seller)));
    }
    return ids;
  }

  /** A new order of this test's buyer and seller whose payment was captured: AWAITING_SHIPMENT at version 2. */
  UUID paidOrder() {
    UUID id = idOf(create(buyer, seller));
    clock.advance(Duration.ofMinutes(1));
    capture(id, SampleOrders.TOTAL);
    return id;
  }

  void capture(UUID id, Money amount) {
    report(new PaymentReport(id, Outcome.CAPTURED, "psp-" + id, amount, ""));
  }

  String report(PaymentReport report) {
    return orders.recordPayment(payments, key(payments, "RecordPayment", report), report, FORMAT);
  }

  OrderEvent lastEvent(UUID id) {
    List<OrderEvent> events = orders.history(Principal.system(), id, 0, 100).orderEvents();
    return events.get(events.size() - 1);
  }

  static OrderQuery query(Optional<String> buyerId, Optional<String> sellerId, int pageSize) {
    return new OrderQuery(buyerId, sellerId, Set.of(), Optional.empty(), pageSize);
  }

  static OrderQuery query(Optional<OrderCursor> after, int pageSize) {
    return new OrderQuery(Optional.empty(), Optional.empty(), Set.of(), after, pageSize);
  }

  static void assertNotFound(UUID id, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    NotFoundException notFound = thrown(NotFoundException.class, call);
    assertThat(notFound.reason()).isEqualTo("ORDER_NOT_FOUND");
    assertThat(notFound.metadata()).containsEntry("orderId", id.toString());
  }

  static UUID idOf(String response) {
    return UUID.fromString(response.substring(0, response.indexOf('/')));
  }

  /** A fresh request id for this call; the fingerprint is a SHA-256 of the request, as the edge computes it. */
  static IdempotencyKey key(Principal caller, String operation, Object request) {
    return new IdempotencyKey(caller.idempotencyNamespace(), UUID.randomUUID(), operation, fingerprint(request));
  }

  static byte[] fingerprint(Object request) {
    return sha256(request.toString());
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static long countOrdersOf(String buyerId) {
    return count("SELECT COUNT(*) FROM orders WHERE buyer_id = ?", buyerId);
  }

  static long countEvents(UUID orderId) {
    return count("SELECT COUNT(*) FROM order_events WHERE order_id = UNHEX(REPLACE(?, '-', ''))", orderId.toString());
  }

  static long countIdempotencyRecords(IdempotencyKey key) {
    return count(
        "SELECT COUNT(*) FROM idempotency_records WHERE caller = ? AND request_id = UNHEX(REPLACE(?, '-', ''))",
        key.caller(),
        key.callId().toString());
  }

  static long count(String sql, String... parameters) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        s.setString(i + 1, parameters[i]);
      }
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
