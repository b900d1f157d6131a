package dev.marketplace.orders.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.cancellation.CancelResult;
import dev.marketplace.orders.domain.cancellation.CancellationRequest;
import dev.marketplace.orders.domain.cancellation.CancellationRequestState;
import dev.marketplace.orders.domain.cancellation.CancellationRequestView;
import dev.marketplace.orders.domain.cancellation.CancellationSettings;
import dev.marketplace.orders.domain.cancellation.Eligibility.Outcome;
import dev.marketplace.orders.domain.feed.FeedEvent;
import dev.marketplace.orders.domain.history.OrderEvent;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.order.CancellationKind;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.domain.order.LineItem;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.OrderPage;
import dev.marketplace.orders.domain.order.OrderQuery;
import dev.marketplace.orders.domain.order.OrderState;
import dev.marketplace.orders.domain.order.PaymentReport;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.refund.BusinessDays;
import dev.marketplace.orders.domain.refund.Refund;
import dev.marketplace.orders.domain.refund.RefundResult;
import dev.marketplace.orders.domain.refund.RefundState;
import dev.marketplace.orders.domain.testing.IdempotencyKeys;
import dev.marketplace.orders.domain.testing.InvariantVerifier;
import dev.marketplace.orders.domain.testing.KeptResponses;
import dev.marketplace.orders.domain.testing.MutableClock;
import dev.marketplace.orders.domain.testing.SampleOrders;
import dev.marketplace.orders.domain.testing.TestDatabase;
import dev.marketplace.orders.domain.usecase.Cancellations;
import dev.marketplace.orders.domain.usecase.DeadlineExpiry;
import dev.marketplace.orders.domain.usecase.Orders;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.jooq.tools.json.JSONArray;
import org.jooq.tools.json.JSONObject;
import org.jooq.tools.json.JSONParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seeded data set is what the service itself would have written: every invariant the project
 * checks holds, the details are in the service's own formats, and the use cases read the rows and
 * act on them (get, list, eligibility, cancel unpaid, cancel and approve paid, the deadline sweep).
 * Each test seeds a database of its own.
 */
class DataSetTest {

  /** A Thursday; microseconds on purpose. */
  private static final Instant NOW = Instant.parse("2026-11-26T10:15:30.123456Z");
  private static final DateTimeFormatter DB_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");

  private HikariDataSource dataSource;
  private DataSet data;

  @BeforeEach
  void database() {
    dataSource = TestDatabase.migratedDataSource();
    data = new DataSet(dataSource, NOW);
  }

  @AfterEach
  void closeDatabase() {
    dataSource.close();
  }

  @Test
  void seedsEveryStateWithTheFactsItImplies_inTheServiceFormats() throws Exception {
    assertThat(data.seedMarketplace(2000, 50, 10)).isEqualTo(2000);

    Map<String, Long> states = countBy("SELECT state, COUNT(*) FROM orders GROUP BY state");
    assertRoughly(states.get("AWAITING_PAYMENT"), 2000, 0.10);
    assertRoughly(states.get("PAYMENT_PROCESSING"), 2000, 0.03);
    assertRoughly(states.get("AWAITING_SHIPMENT"), 2000, 0.20);
    assertRoughly(states.get("SHIPPED"), 2000, 0.25);
    assertRoughly(states.get("DELIVERED"), 2000, 0.35);
    assertRoughly(states.get("CANCELLED"), 2000, 0.07);
    Map<String, Long> kinds = countBy("SELECT cancellation_kind, COUNT(*) FROM orders WHERE state = 'CANCELLED' GROUP BY cancellation_kind");
    assertThat(kinds).containsOnlyKeys("BUYER_CANCELLED_UNPAID", "SELLER_APPROVED");
    assertRoughly(kinds.get("BUYER_CANCELLED_UNPAID"), 2000, 0.03);
    assertThat(countBy("SELECT state, COUNT(*) FROM refunds GROUP BY state")).containsOnlyKeys("INITIATED", "COMPLETED");
    assertThat(countBy("SELECT state, COUNT(*) FROM cancellation_requests GROUP BY state")).containsOnlyKeys("APPROVED");
    assertThat(count("SELECT COUNT(DISTINCT buyer_id) FROM orders")).isEqualTo(50);
    assertThat(count("SELECT COUNT(DISTINCT seller_id) FROM orders")).isEqualTo(10);
    assertThat(count("SELECT COUNT(*) FROM orders WHERE buyer_id NOT REGEXP '^buyer-0000[0-4][0-9]$' OR seller_id NOT REGEXP '^seller-000[0-9]$'"))
        .isZero();
    assertThat(count("SELECT COUNT(*) FROM orders WHERE created_at < ? OR created_at >= ?", NOW.minus(Duration.ofDays(90)), NOW)).isZero();

    data.seedPool("unpaid", 5, 4, "AWAITING_PAYMENT");
    data.seedPool("paid", 5, 4, "AWAITING_SHIPMENT");
    data.seedPendingRequests("due", 30, NOW.minus(Duration.ofHours(1)));
    data.seedPendingRequests("later", 10, NOW.plus(Duration.ofHours(24)));
    assertThat(data.seedMarketplace(500, 50, 10)).as("a second call adds, colliding with nothing").isEqualTo(2000 + 20 + 20 + 30 + 10 + 500);

    assertThat(countBy("SELECT buyer_id, COUNT(*) FROM orders WHERE buyer_id LIKE 'unpaid-%' AND state = 'AWAITING_PAYMENT' AND version = 1 GROUP BY buyer_id"))
        .containsOnlyKeys("unpaid-buyer-0000", "unpaid-buyer-0001", "unpaid-buyer-0002", "unpaid-buyer-0003", "unpaid-buyer-0004")
        .allSatisfy((buyer, n) -> assertThat(n).isEqualTo(4));
    assertThat(count("SELECT COUNT(*) FROM orders WHERE buyer_id LIKE 'paid-buyer-%' AND state = 'AWAITING_SHIPMENT' AND payment_method = 'CARD'"
        + " AND payment_reference IS NOT NULL AND version = 2 AND seller_id = REPLACE(buyer_id, '-buyer-', '-seller-')")).isEqualTo(20);
    assertThat(count("SELECT COUNT(*) FROM cancellation_requests WHERE state = 'PENDING' AND pending_rank = 0 AND pending_order_id = order_id"
        + " AND respond_by = ? AND buyer_id LIKE 'due-buyer-%'", NOW.minus(Duration.ofHours(1)))).isEqualTo(30);
    assertThat(count("SELECT COUNT(*) FROM cancellation_requests r JOIN orders o ON o.id = r.order_id WHERE r.state = 'PENDING'"
        + " AND o.state = 'AWAITING_SHIPMENT' AND r.created_at = ? AND r.respond_by = ? AND o.created_at < r.created_at",
        NOW.minus(Duration.ofHours(48)), NOW.plus(Duration.ofHours(24)))).as("asked 72 hours before the deadline").isEqualTo(10);
    assertThat(count("SELECT COUNT(*) FROM cancellation_requests WHERE reference NOT REGEXP '^CR-[0-9A-HJKMNP-TV-Z]{10}$'")).isZero();

    // Every history is in time order, and in the past.
    assertThat(count("SELECT COUNT(*) FROM order_events a JOIN order_events b ON b.order_id = a.order_id AND b.sequence_no = a.sequence_no + 1"
        + " WHERE b.occurred_at < a.occurred_at")).isZero();
    assertThat(count("SELECT COUNT(*) FROM order_events WHERE occurred_at > ?", NOW)).isZero();

    // Ids are UUIDv7 of the creation time: they sort like created_at.
    List<UUID> byId = ids("SELECT id FROM orders ORDER BY id");
    assertThat(ids("SELECT id FROM orders ORDER BY created_at, id")).isEqualTo(byId);
    assertThat(byId).allSatisfy(id -> assertThat(id.version()).isEqualTo(7)).allSatisfy(id -> assertThat(id.variant()).isEqualTo(2));

    // JSON exactly as JsonColumns writes it (jOOQ's writer over a sorted map).
    JSONParser parser = new JSONParser();
    for (Map<String, Object> row : rows("SELECT details FROM order_events UNION ALL SELECT variant_attributes FROM order_lines")) {
      String json = (String) row.values().iterator().next();
      assertThat(JSONObject.toJSONString(new TreeMap<>((Map<?, ?>) parser.parse(json)))).isEqualTo(json);
    }
    for (Map<String, Object> row : rows("SELECT ship_address_lines FROM orders")) {
      String json = (String) row.get("ship_address_lines");
      assertThat(JSONArray.toJSONString((List<?>) parser.parse(json))).isEqualTo(json);
    }
    // respondBy in the request's history entry is Instant.toString() of the request's deadline.
    for (Map<String, Object> row :
        rows("SELECT e.details, r.respond_by FROM order_events e JOIN cancellation_requests r ON r.order_id = e.order_id"
            + " WHERE e.event_type = 'CANCELLATION_REQUESTED'")) {
      Map<?, ?> details = (Map<?, ?>) parser.parse((String) row.get("details"));
      assertThat(details.get("respondBy")).isEqualTo(instant(row.get("respond_by")).toString());
    }
    // Refund arrival windows as Refund.initiate computes them.
    for (Map<String, Object> row : rows("SELECT created_at, business_days_min, business_days_max, expected_earliest_at, expected_latest_at FROM refunds")) {
      Instant created = instant(row.get("created_at"));
      assertThat(instant(row.get("expected_earliest_at"))).isEqualTo(BusinessDays.add(created, ((Number) row.get("business_days_min")).intValue()));
      assertThat(instant(row.get("expected_latest_at"))).isEqualTo(BusinessDays.add(created, ((Number) row.get("business_days_max")).intValue()));
    }

    InvariantVerifier.Report report = InvariantVerifier.verify(dataSource).assertHolds();
    assertThat(report.orders()).isEqualTo(2580);
  }

  @Test
  void theServiceReadsAndActsOnSeededRows() throws Exception {
    MutableClock clock = new MutableClock(NOW);
    CancellationSettings settings = CancellationSettings.defaults();
    Transactor transactor = Transactor.over(dataSource, clock);
    DeadlineExpiry expiry = new DeadlineExpiry(transactor, clock, settings);
    Orders orders = new Orders(transactor, clock, expiry);
    Cancellations cancellations = new Cancellations(transactor, clock, settings, expiry);
    data.seedMarketplace(2000, 50, 10);
    data.seedPool("unpaid", 5, 4, "AWAITING_PAYMENT");
    data.seedPool("paid", 5, 4, "AWAITING_SHIPMENT");
    data.seedPendingRequests("due", 30, NOW.plus(Duration.ofMinutes(30)));

    // GetOrder and CheckCancellationEligibility of an order in every state, as its buyer.
    Map<OrderState, Outcome> outcomes =
        Map.of(
            OrderState.AWAITING_PAYMENT, Outcome.CANCEL_IMMEDIATELY,
            OrderState.PAYMENT_PROCESSING, Outcome.RETRY_LATER,
            OrderState.AWAITING_SHIPMENT, Outcome.REQUEST_SELLER_APPROVAL,
            OrderState.SHIPPED, Outcome.NOT_CANCELLABLE,
            OrderState.DELIVERED, Outcome.NOT_CANCELLABLE,
            OrderState.CANCELLED, Outcome.ALREADY_CANCELLED);
    for (OrderState state : OrderState.values()) {
      Map<String, Object> row = rows("SELECT id, buyer_id, seller_id FROM orders WHERE state = ? AND buyer_id LIKE 'buyer-%' LIMIT 1", state.name()).get(0);
      UUID id = uuid(row.get("id"));
      Principal buyer = Principal.of(text(row.get("buyer_id")), Role.BUYER);
      Order order = orders.get(buyer, id);
      assertThat(order.state()).isEqualTo(state);
      assertThat(order.total().amountMinor()).isPositive();
      assertThat(order.paymentCapture().isPresent()).isEqualTo(order.version() >= 3 || state == OrderState.AWAITING_SHIPMENT);
      assertThat(orders.get(Principal.of(text(row.get("seller_id")), Role.SELLER), id)).isEqualTo(order);
      List<OrderEvent> history = orders.history(buyer, id, 0, 50).events().stream().map(FeedEvent::event).toList();
      assertThat(history.get(0).type()).isEqualTo(OrderEventType.ORDER_CREATED);
      assertThat(history.get(history.size() - 1).orderState()).isEqualTo(state);
      assertThat(cancellations.eligibility(buyer, id).outcome()).as(state.name()).isEqualTo(outcomes.get(state));
    }
    Map<String, Object> refunded =
        rows("SELECT o.id, o.buyer_id FROM orders o JOIN refunds r ON r.order_id = o.id WHERE r.state = 'COMPLETED' LIMIT 1").get(0);
    Order cancelledPaid = orders.get(Principal.of(text(refunded.get("buyer_id")), Role.BUYER), uuid(refunded.get("id")));
    assertThat(cancelledPaid.cancellationInfo().orElseThrow().kind()).isEqualTo(CancellationKind.SELLER_APPROVED);
    assertThat(cancelledPaid.refundInfo().orElseThrow().state()).isEqualTo(RefundState.COMPLETED);
    assertThat(cancelledPaid.refundInfo().orElseThrow().amount()).isEqualTo(cancelledPaid.total());

    // ListOrders: pages of 20, newest first, until the buyer's last order.
    Principal listing = Principal.of("buyer-000007", Role.BUYER);
    OrderPage page = orders.list(listing, new OrderQuery(Optional.empty(), Optional.empty(), Set.of(), Optional.empty(), 20));
    assertThat(page.orders()).hasSize(20);
    List<Order> all = new ArrayList<>(page.orders());
    while (page.next().isPresent()) {
      page = orders.list(listing, new OrderQuery(Optional.empty(), Optional.empty(), Set.of(), page.next(), 20));
      all.addAll(page.orders());
    }
    assertThat(all).hasSize((int) count("SELECT COUNT(*) FROM orders WHERE buyer_id = 'buyer-000007'"));
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.get(i).createdAt()).isBefore(all.get(i - 1).createdAt());
    }

    // CancelOrder of an unpaid pool order: cancelled at once, its history shaped like a seeded one.
    UUID unpaid = uuid(rows("SELECT id FROM orders WHERE buyer_id = 'unpaid-buyer-0003' LIMIT 1").get(0).get("id"));
    Principal unpaidBuyer = Principal.of("unpaid-buyer-0003", Role.BUYER);
    CancelResult cancelled = cancel(cancellations, unpaidBuyer, unpaid);
    assertThat(cancelled.outcome()).isEqualTo(CancelResult.Outcome.CANCELLED);
    assertThat(orders.get(unpaidBuyer, unpaid).state()).isEqualTo(OrderState.CANCELLED);
    assertThat(shape(unpaid)).isEqualTo(shape(seeded("o.cancellation_kind = 'BUYER_CANCELLED_UNPAID'")));

    // CancelOrder of a paid pool order: a request, pending like a seeded one; the seller approves.
    UUID paid = uuid(rows("SELECT id FROM orders WHERE buyer_id = 'paid-buyer-0002' LIMIT 1").get(0).get("id"));
    Principal paidBuyer = Principal.of("paid-buyer-0002", Role.BUYER);
    CancelResult requested = cancel(cancellations, paidBuyer, paid);
    assertThat(requested.outcome()).isEqualTo(CancelResult.Outcome.REQUESTED);
    CancellationRequest request = requested.request().orElseThrow();
    assertThat(shape(paid)).isEqualTo(shape(seeded("r.state = 'PENDING'")));
    Principal seller = Principal.of("paid-seller-0002", Role.SELLER);
    CancellationRequestView approved =
        cancellations.approve(seller, IdempotencyKeys.fresh(seller, "ApproveCancellationRequest", request.id()), request.id(), new KeptResponses<>());
    assertThat(approved.request().state()).isEqualTo(CancellationRequestState.APPROVED);
    Refund refund = approved.refund().orElseThrow();
    Order afterApproval = orders.get(paidBuyer, paid);
    assertThat(afterApproval.state()).isEqualTo(OrderState.CANCELLED);
    assertThat(refund.amount()).isEqualTo(afterApproval.total());
    assertThat(shape(paid)).isEqualTo(shape(seeded("o.cancellation_kind = 'SELLER_APPROVED' AND f.state = 'INITIATED'")));

    // The deadline: seeded requests are PENDING until respond_by, then the sweep approves them all.
    Map<String, Object> dueRow = rows("SELECT order_id, buyer_id FROM cancellation_requests WHERE buyer_id LIKE 'due-buyer-%' LIMIT 1").get(0);
    Principal dueBuyer = Principal.of(text(dueRow.get("buyer_id")), Role.BUYER);
    assertThat(cancellations.eligibility(dueBuyer, uuid(dueRow.get("order_id"))).outcome()).isEqualTo(Outcome.REQUEST_PENDING);
    clock.advance(Duration.ofHours(1));
    int swept = 0;
    for (int n = expiry.sweep(7); n > 0; n = expiry.sweep(7)) {
      swept += n;
    }
    assertThat(swept).isEqualTo(30);
    assertThat(count("SELECT COUNT(*) FROM cancellation_requests r JOIN orders o ON o.id = r.order_id JOIN refunds f ON f.cancellation_request_id = r.id"
        + " WHERE r.buyer_id LIKE 'due-buyer-%' AND r.state = 'AUTO_APPROVED' AND o.state = 'CANCELLED' AND o.cancellation_kind = 'AUTO_APPROVED'"
        + " AND f.amount_minor = o.total_minor AND o.version = 3")).isEqualTo(30);
    Order autoCancelled = orders.get(dueBuyer, uuid(dueRow.get("order_id")));
    assertThat(autoCancelled.refundInfo()).isPresent();
    assertThat(autoCancelled.lineItems().stream().map(LineItem::subtotal).reduce(Money::plus).orElseThrow()).isEqualTo(autoCancelled.total());

    InvariantVerifier.verify(dataSource).assertHolds();
  }

  @Test
  void everySeededHistoryHasTheShapeOfTheServicesOwn() throws Exception {
    MutableClock clock = new MutableClock(NOW);
    CancellationSettings settings = CancellationSettings.defaults();
    Transactor transactor = Transactor.over(dataSource, clock);
    DeadlineExpiry expiry = new DeadlineExpiry(transactor, clock, settings);
    Orders orders = new Orders(transactor, clock, expiry);
    Cancellations cancellations = new Cancellations(transactor, clock, settings, expiry);
    data.seedMarketplace(2000, 50, 10);
    Principal checkout = new Principal("checkout", Role.SERVICE, Set.of("orders.create"));
    Principal payments = new Principal("payments", Role.SERVICE, Set.of("payments.record"));
    Principal buyer = Principal.of("service-buyer", Role.BUYER);
    Principal seller = Principal.of("service-seller", Role.SELLER);
    KeptResponses<Order> kept = new KeptResponses<>();

    // Each order placed and moved on by the use cases, step by step, against a seeded one in the same state.
    UUID placed = orders.create(checkout, IdempotencyKeys.fresh(checkout, "CreateOrder", 1), SampleOrders.newOrder(buyer.subject(), seller.subject()), kept).id();
    assertThat(shape(placed)).isEqualTo(shape(seeded("o.state = 'AWAITING_PAYMENT'")));
    report(orders, payments, placed, PaymentReport.Outcome.PROCESSING);
    assertThat(shape(placed)).isEqualTo(shape(seeded("o.state = 'PAYMENT_PROCESSING'")));

    UUID shipped = orders.create(checkout, IdempotencyKeys.fresh(checkout, "CreateOrder", 2), SampleOrders.newOrder(buyer.subject(), seller.subject()), kept).id();
    clock.advance(Duration.ofMinutes(5));
    report(orders, payments, shipped, PaymentReport.Outcome.CAPTURED);
    assertThat(shape(shipped)).isEqualTo(shape(seeded("o.state = 'AWAITING_SHIPMENT' AND r.id IS NULL")));
    clock.advance(Duration.ofHours(20));
    orders.ship(seller, IdempotencyKeys.fresh(seller, "ShipOrder", shipped), shipped, "UPS", "1Z999", OptionalInt.empty(), kept);
    assertThat(shape(shipped)).isEqualTo(shape(seeded("o.state = 'SHIPPED'")));
    clock.advance(Duration.ofDays(3));
    orders.confirmDelivery(buyer, IdempotencyKeys.fresh(buyer, "ConfirmDelivery", shipped), shipped, OptionalInt.empty(), kept);
    assertThat(shape(shipped)).isEqualTo(shape(seeded("o.state = 'DELIVERED'")));

    UUID refunded = orders.create(checkout, IdempotencyKeys.fresh(checkout, "CreateOrder", 3), SampleOrders.newOrder(buyer.subject(), seller.subject()), kept).id();
    report(orders, payments, refunded, PaymentReport.Outcome.CAPTURED);
    clock.advance(Duration.ofHours(1));
    CancellationRequest request = cancel(cancellations, buyer, refunded).request().orElseThrow();
    clock.advance(Duration.ofHours(5));
    Refund refund =
        cancellations.approve(seller, IdempotencyKeys.fresh(seller, "ApproveCancellationRequest", request.id()), request.id(), new KeptResponses<>())
            .refund()
            .orElseThrow();
    clock.advance(Duration.ofDays(6));
    Principal refunds = new Principal("payments", Role.SERVICE, Set.of("refunds.record"));
    cancellations.recordRefundResult(
        refunds, IdempotencyKeys.fresh(refunds, "RecordRefundResult", refund.id()), new RefundResult(refund.id(), true, ""), new KeptResponses<>());
    assertThat(shape(refunded)).isEqualTo(shape(seeded("o.cancellation_kind = 'SELLER_APPROVED' AND f.state = 'COMPLETED'")));

    UUID cancelled = orders.create(checkout, IdempotencyKeys.fresh(checkout, "CreateOrder", 4), SampleOrders.newOrder(buyer.subject(), seller.subject()), kept).id();
    clock.advance(Duration.ofMinutes(30));
    cancel(cancellations, buyer, cancelled);
    assertThat(shape(cancelled)).isEqualTo(shape(seeded("o.cancellation_kind = 'BUYER_CANCELLED_UNPAID'")));

    InvariantVerifier.verify(dataSource).assertHolds();
  }

  private static void report(Orders orders, Principal payments, UUID orderId, PaymentReport.Outcome outcome) {
    Money total = orders.get(payments, orderId).total();
    PaymentReport report =
        outcome == PaymentReport.Outcome.CAPTURED
            ? new PaymentReport(orderId, outcome, "pay-" + orderId, total, "")
            : new PaymentReport(orderId, outcome, "", null, "");
    orders.recordPayment(payments, IdempotencyKeys.fresh(payments, "RecordPayment", report), report, new KeptResponses<>());
  }

  // --- helpers --------------------------------------------------------------------------------

  private static CancelResult cancel(Cancellations cancellations, Principal buyer, UUID orderId) {
    return cancellations.cancel(
        buyer, IdempotencyKeys.fresh(buyer, "CancelOrder", orderId), orderId, CancellationReason.WRONG_ITEM_OR_SIZE, "", new KeptResponses<>());
  }

  /**
   * An order seeded by DataSet (not one the tests' use cases acted on) whose order (o), request (r) and
   * refund (f) match {@code condition}.
   */
  private UUID seeded(String condition) throws SQLException {
    return uuid(
        rows("SELECT o.id FROM orders o LEFT JOIN cancellation_requests r ON r.order_id = o.id LEFT JOIN refunds f ON f.order_id = o.id"
                + " WHERE o.buyer_id NOT IN ('unpaid-buyer-0003', 'paid-buyer-0002', 'service-buyer') AND " + condition + " LIMIT 1")
            .get(0)
            .get("id"));
  }

  /**
   * What must be alike in two orders in the same situation, whoever wrote them: the order's state,
   * version and which of its columns are set; each history entry's type, role, state and details keys;
   * the requests' and refunds' states, versions and set columns.
   */
  private List<String> shape(UUID orderId) throws Exception {
    List<String> shape = new ArrayList<>();
    for (Map<String, Object> row : rows("SELECT * FROM orders WHERE id = ?", orderId)) {
      shape.add("order " + row.get("state") + " v" + row.get("version") + " " + setColumns(row) + " kind=" + row.get("cancellation_kind")
          + " by=" + row.get("cancelled_by_role"));
    }
    JSONParser parser = new JSONParser();
    for (Map<String, Object> row : rows("SELECT * FROM order_events WHERE order_id = ? ORDER BY sequence_no", orderId)) {
      shape.add(row.get("sequence_no") + " " + row.get("event_type") + " " + row.get("actor_role") + " " + row.get("order_state") + " "
          + new TreeMap<>((Map<?, ?>) parser.parse((String) row.get("details"))).keySet());
    }
    for (Map<String, Object> row : rows("SELECT * FROM cancellation_requests WHERE order_id = ?", orderId)) {
      shape.add("request " + row.get("state") + " v" + row.get("version") + " rank=" + row.get("pending_rank") + " " + setColumns(row)
          + " note='" + row.get("rejection_note") + "' by=" + row.get("resolved_by_role"));
    }
    for (Map<String, Object> row : rows("SELECT * FROM refunds WHERE order_id = ?", orderId)) {
      shape.add("refund " + row.get("state") + " v" + row.get("version") + " " + setColumns(row) + " days=" + row.get("business_days_min") + "-"
          + row.get("business_days_max") + " failure='" + row.get("failure_reason") + "'");
    }
    return shape;
  }

  private static List<String> setColumns(Map<String, Object> row) {
    return row.entrySet().stream().filter(e -> e.getValue() != null).map(Map.Entry::getKey).sorted().toList();
  }

  private static void assertRoughly(Long actual, int orders, double share) {
    double expected = orders * share;
    assertThat(actual).isNotNull();
    assertThat(actual.doubleValue()).isCloseTo(expected, within(4 * Math.sqrt(expected * (1 - share)) + 1));
  }

  private long count(String sql, Object... parameters) throws SQLException {
    return ((Number) rows(sql, parameters).get(0).values().iterator().next()).longValue();
  }

  private Map<String, Long> countBy(String sql) throws SQLException {
    Map<String, Long> counts = new HashMap<>();
    for (Map<String, Object> row : rows(sql)) {
      List<Object> values = new ArrayList<>(row.values());
      counts.put(text(values.get(0)), ((Number) values.get(1)).longValue());
    }
    return counts;
  }

  private List<UUID> ids(String sql) throws SQLException {
    return rows(sql).stream().map(r -> uuid(r.get("id"))).toList();
  }

  /** Rows as column label to value; times travel as text (see Times), ids as UUIDs. */
  private List<Map<String, Object>> rows(String sql, Object... parameters) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        Object p = parameters[i];
        if (p instanceof Instant t) {
          s.setString(i + 1, DB_TIME.format(LocalDateTime.ofInstant(t, ZoneOffset.UTC)));
        } else if (p instanceof UUID u) {
          s.setBytes(i + 1, ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array());
        } else {
          s.setObject(i + 1, p);
        }
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        ResultSetMetaData meta = rs.getMetaData();
        while (rs.next()) {
          Map<String, Object> row = new java.util.LinkedHashMap<>();
          for (int i = 1; i <= meta.getColumnCount(); i++) {
            String type = meta.getColumnTypeName(i);
            row.put(meta.getColumnLabel(i), type.startsWith("DATETIME") ? rs.getString(i) : rs.getObject(i));
          }
          rows.add(row);
        }
      }
      return rows;
    }
  }

  private static UUID uuid(Object bytes) {
    ByteBuffer buffer = ByteBuffer.wrap((byte[]) bytes);
    return new UUID(buffer.getLong(), buffer.getLong());
  }

  private static Instant instant(Object text) {
    return LocalDateTime.parse(((String) text).replace(' ', 'T')).toInstant(ZoneOffset.UTC);
  }

  /** A text column's value; identity columns are VARBINARY (compared byte for byte) and arrive as UTF-8 bytes. */
  private static String text(Object value) {
    return value instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8) : (String) value;
  }
}
