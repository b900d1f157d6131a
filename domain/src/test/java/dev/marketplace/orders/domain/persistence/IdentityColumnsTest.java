package dev.marketplace.orders.domain.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.cancellation.CancellationRequest;
import dev.marketplace.orders.domain.cancellation.CancellationRequestQuery;
import dev.marketplace.orders.domain.history.OrderEvent;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.idempotency.IdempotencyKey;
import dev.marketplace.orders.domain.order.CancellationKind;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderCancellation;
import dev.marketplace.orders.domain.order.OrderQuery;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.order.TimeOrderedIds;
import dev.marketplace.orders.domain.testing.IdempotencyKeys;
import dev.marketplace.orders.domain.testing.SampleOrders;
import dev.marketplace.orders.domain.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every column that holds an identity (a party's id, an actor, the idempotency caller) compares byte
 * for byte in the database, as Java compares it: {@code 'x '} and {@code 'x'} are two different keys
 * wherever a caller-chosen string meets a WHERE clause or a unique key. Under MariaDB's and MySQL's
 * PAD SPACE collations they were one, and a look-alike caller read another party's orders.
 */
class IdentityColumnsTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

  private static HikariDataSource dataSource;
  private static Transactor transactor;

  @BeforeAll
  static void database() {
    dataSource = TestDatabase.migratedDataSource();
    transactor = new Transactor(DSL.using(dataSource, SQLDialect.MARIADB), CLOCK);
  }

  @AfterAll
  static void closeDatabase() {
    dataSource.close();
  }

  /** Trailing space and tab (PAD SPACE folded the first), NUL, NBSP, and a case variant. */
  @ParameterizedTest
  @ValueSource(strings = {" ", "  ", "\t", "\u0000", "\u00a0", "CASE"})
  void partyIdsDifferingOnlyInPaddingOrCase_areDifferentPartiesInEveryColumn(String variation) {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String buyer = "buyer-" + run;
    String seller = "seller-" + run;
    String lookAlikeBuyer = variation.equals("CASE") ? buyer.toUpperCase() : buyer + variation;
    String lookAlikeSeller = variation.equals("CASE") ? seller.toUpperCase() : seller + variation;

    Order real = placeWithRequest(buyer, seller);
    Order lookAlike = placeWithRequest(lookAlikeBuyer, lookAlikeSeller);

    // orders.buyer_id, orders.seller_id
    assertThat(orderIds(OrderQuery.class, buyer, null)).containsExactly(real.id());
    assertThat(orderIds(OrderQuery.class, lookAlikeBuyer, null)).containsExactly(lookAlike.id());
    assertThat(orderIds(OrderQuery.class, null, seller)).containsExactly(real.id());
    assertThat(orderIds(OrderQuery.class, null, lookAlikeSeller)).containsExactly(lookAlike.id());
    // cancellation_requests.buyer_id, cancellation_requests.seller_id
    assertThat(orderIds(CancellationRequestQuery.class, buyer, null)).containsExactly(real.id());
    assertThat(orderIds(CancellationRequestQuery.class, lookAlikeBuyer, null)).containsExactly(lookAlike.id());
    assertThat(orderIds(CancellationRequestQuery.class, null, seller)).containsExactly(real.id());
    assertThat(orderIds(CancellationRequestQuery.class, null, lookAlikeSeller)).containsExactly(lookAlike.id());
    // what is stored is what was given, byte for byte
    Order readBack = transactor.inTransaction(uow -> uow.orders().find(lookAlike.id())).orElseThrow();
    assertThat(readBack.buyerId()).isEqualTo(lookAlikeBuyer);
    assertThat(readBack.sellerId()).isEqualTo(lookAlikeSeller);
  }

  @ParameterizedTest
  @ValueSource(strings = {" ", "\t", "\u0000", "\u00a0", "CASE"})
  void idempotencyCallersDifferingOnlyInPaddingOrCase_areDifferentKeys(String variation) {
    String caller = "BUYER:buyer-" + UUID.randomUUID().toString().substring(0, 8);
    String lookAlike = variation.equals("CASE") ? caller.toUpperCase() : caller + variation;
    UUID callId = UUID.randomUUID();
    IdempotencyKey real = new IdempotencyKey(caller, callId, "CancelOrder", IdempotencyKeys.sha256("a"));
    IdempotencyKey copy = new IdempotencyKey(lookAlike, callId, "CancelOrder", IdempotencyKeys.sha256("a"));

    boolean realClaimed = transactor.inTransaction(uow -> uow.idempotency().claim(real, T0));
    boolean copyClaimed = transactor.inTransaction(uow -> uow.idempotency().claim(copy, T0));
    transactor.inTransaction(
        uow -> {
          uow.idempotency().complete(real, new byte[] {1});
          uow.idempotency().complete(copy, new byte[] {2});
          return null;
        });

    assertThat(realClaimed).isTrue();
    assertThat(copyClaimed).as("the look-alike caller's key is its own, not a replay of the real caller's").isTrue();
    assertThat(transactor.inTransaction(uow -> uow.idempotency().find(real)).orElseThrow().response()).containsExactly(1);
    assertThat(transactor.inTransaction(uow -> uow.idempotency().find(copy)).orElseThrow().response()).containsExactly(2);
  }

  @Test
  void actorsAndResolversAreStoredExactly() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String actor = "agent-" + run + " ";
    Order order = placeWithRequest("buyer-" + run, "seller-" + run);
    CancellationRequest request = requestOf(order);

    transactor.inTransaction(
        uow -> {
          uow.events().append(order.id(), OrderEventType.ORDER_CANCELLED, actor, Role.SUPPORT, T0, OrderState.CANCELLED, Map.of());
          uow.cancellations().update(request.approve(actor, Role.SUPPORT, T0));
          Order locked = uow.orders().lockForUpdate(order.id()).orElseThrow();
          uow.orders()
              .update(
                  locked.cancel(
                      new OrderCancellation(
                          CancellationKind.SUPPORT, CancellationReason.OTHER, actor, Role.SUPPORT, T0, request.id())));
          return null;
        });

    List<OrderEvent> events = transactor.inTransaction(uow -> uow.events().page(order.id(), 0, 10));
    assertThat(events).extracting(OrderEvent::actorSubject).containsExactly(actor);
    assertThat(requestOf(order).resolvedBySubject()).isEqualTo(actor);
    assertThat(transactor.inTransaction(uow -> uow.orders().find(order.id())).orElseThrow().cancellation().actorSubject())
        .isEqualTo(actor);
  }

  /** Existing data keeps its identities: V3 changes how they compare, not what they are. */
  @Test
  void migratingADatabaseWrittenBeforeV3_keepsEveryIdentityExactly() throws Exception {
    try (HikariDataSource old = TestDatabase.dataSource(TestDatabase.createDatabase(), 2)) {
      org.flywaydb.core.Flyway.configure().dataSource(old).locations("classpath:db/migration").target("2").load().migrate();
      try (Connection c = old.getConnection(); Statement s = c.createStatement()) {
        s.execute(
            "INSERT INTO orders (id, buyer_id, seller_id, state, currency_code, total_minor, payment_method, ship_recipient_name,"
                + " ship_address_lines, ship_locality, ship_administrative_area, ship_postal_code, ship_region_code, ship_phone_number,"
                + " created_at, updated_at, version, cancelled_by_subject)"
                + " VALUES (UNHEX('0190c6a27f3e7b1a9c2d4e5f6a7b8c9d'), 'käufer-ß-1', '店铺-42', 'CANCELLED', 'USD', 100, 'CARD', 'A',"
                + " '[]', 'B', '', '1', 'DE', '', NOW(6), NOW(6), 1, 'käufer-ß-1')");
        s.execute(
            "INSERT INTO idempotency_records (caller, request_id, operation, request_fingerprint, created_at)"
                + " VALUES ('BUYER:käufer-ß-1', UNHEX('0190c6a27f3e7b1a9c2d4e5f6a7b8c9d'), 'CancelOrder', UNHEX(SHA2('a', 256)), NOW(6))");
      }

      assertThat(DatabaseMigrations.migrate(old)).isGreaterThanOrEqualTo(1);

      try (Connection c = old.getConnection();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT o.buyer_id, o.seller_id, o.cancelled_by_subject, i.caller FROM orders o, idempotency_records i")) {
        assertThat(rs.next()).isTrue();
        assertThat(new String(rs.getBytes(1), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("käufer-ß-1");
        assertThat(new String(rs.getBytes(2), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("店铺-42");
        assertThat(new String(rs.getBytes(3), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("käufer-ß-1");
        assertThat(new String(rs.getBytes(4), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("BUYER:käufer-ß-1");
      }
    }
  }

  /**
   * The rule for columns yet to come: any column of the schema named like an identity (a party or
   * caller id, an actor, a resolver) is binary, never text under a collation.
   */
  @Test
  void everyIdentityColumnOfTheSchemaIsBinary() throws Exception {
    List<String> textIdentityColumns = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT table_name, column_name, data_type, collation_name FROM information_schema.columns"
                    + " WHERE table_schema = DATABASE() AND table_name <> 'flyway_schema_history'"
                    + " AND (column_name LIKE '%\\_id' OR column_name LIKE '%\\_subject' OR column_name = 'caller')")) {
      int columns = 0;
      while (rs.next()) {
        columns++;
        if (rs.getString("collation_name") != null) {
          textIdentityColumns.add(rs.getString(1) + "." + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
        }
      }
      assertThat(columns).as("identity columns found").isGreaterThanOrEqualTo(8);
    }
    assertThat(textIdentityColumns).as("identity columns compared under a collation").isEmpty();
  }

  private Order placeWithRequest(String buyer, String seller) {
    Order order =
        SampleOrders.inState(OrderState.AWAITING_SHIPMENT, new TimeOrderedIds(CLOCK).next(), buyer, seller, T0);
    transactor.inTransaction(
        uow -> {
          uow.orders().insert(order);
          uow.cancellations()
              .insert(
                  CancellationRequest.open(
                      UUID.randomUUID(), "CR-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(), order.id(), buyer,
                      seller, CancellationReason.ORDERED_BY_ACCIDENT, "", T0, T0.plus(Duration.ofHours(72))));
          return null;
        });
    return order;
  }

  private CancellationRequest requestOf(Order order) {
    return transactor
        .inTransaction(
            uow ->
                uow.cancellations()
                    .page(new CancellationRequestQuery(Optional.empty(), Optional.empty(), Optional.of(order.id()), Set.of(), Optional.empty(), 10), 10))
        .get(0);
  }

  private List<UUID> orderIds(Class<?> table, String buyer, String seller) {
    Optional<String> b = Optional.ofNullable(buyer);
    Optional<String> s = Optional.ofNullable(seller);
    return transactor.inTransaction(
        uow ->
            table == OrderQuery.class
                ? uow.orders().page(new OrderQuery(b, s, Set.of(), Optional.empty(), 10), 10).stream().map(Order::id).toList()
                : uow.cancellations()
                    .page(new CancellationRequestQuery(b, s, Optional.empty(), Set.of(), Optional.empty(), 10), 10)
                    .stream()
                    .map(CancellationRequest::orderId)
                    .toList());
  }
}
