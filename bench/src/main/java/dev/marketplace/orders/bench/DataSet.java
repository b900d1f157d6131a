package dev.marketplace.orders.bench;

import dev.marketplace.orders.domain.cancellation.CancellationSettings;
import dev.marketplace.orders.domain.order.CancellationReason;
import dev.marketplace.orders.domain.payment.PaymentMethod;
import dev.marketplace.orders.domain.refund.RefundWindow;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Seeds the benchmark database directly with SQL, fast enough for a million orders: rows exactly as
 * the service itself writes them (so that it can read and act on them), in bulk.
 *
 * <p>Identities: marketplace buyers are {@code buyer-%06d} and sellers {@code seller-%04d}; workload
 * pools use their own buyers, {@code <prefix>-buyer-%04d}, each with the seller
 * {@code <prefix>-seller-%04d} of the same number.
 *
 * <p><b>MariaDB only</b> (10.x/11.x, as the benchmark): rows are generated set-based, {@code INSERT ...
 * SELECT ... FROM seq_1_to_N} over MariaDB's Sequence engine, in chunks of {@value #CHUNK} orders,
 * each chunk (its orders, lines, history, requests and refunds) one transaction, with a progress line
 * per chunk on {@code System.out}. Every order and its history is a function of its number {@code n}
 * (1, 2, ... within one call) and of {@code now}; ids are UUIDv7 like {@code TimeOrderedIds} makes them - 48
 * bits of the millisecond of creation, version 7, then the sub-millisecond microseconds (so ids sort
 * exactly like {@code created_at}), the RFC variant, 30 random bits drawn once per call and kind of
 * row, and {@code n} - so calls on one database never collide. Request references are "CR-" and 10
 * Crockford base32 characters as {@code RequestReferences} writes them: 20 bits per call (a prefix no
 * earlier seeding used) and 30 bits of {@code n}.
 *
 * <p>What each state implies, as the use cases write it (actors: {@code checkout} and
 * {@code payments} services, the order's buyer and seller; order {@code version} 1 at creation, +1
 * per change of the order row; each history entry's {@code occurred_at} and {@code order_state} are
 * the time and the order's state after its step - a refund's result changes only the refund row; details
 * JSON as {@code JsonColumns} writes it):
 *
 * <pre>
 * AWAITING_PAYMENT    v1  ORDER_CREATED
 * PAYMENT_PROCESSING  v2  + PAYMENT_PROCESSING
 * AWAITING_SHIPMENT   v2  + PAYMENT_CAPTURED (payment_reference, payment_captured_at)
 *   (pending request) v2  + CANCELLATION_REQUESTED; request PENDING v1, pending_rank 0, pending_order_id
 * SHIPPED             v3  + PAYMENT_CAPTURED, ORDER_SHIPPED by the seller (carrier, tracking_number, shipped_at)
 * DELIVERED           v4  + ORDER_DELIVERED by the buyer (delivered_at)
 * CANCELLED, unpaid   v2  + ORDER_CANCELLED by the buyer, kind BUYER_CANCELLED_UNPAID, no request, no refund
 * CANCELLED, paid     v3  + PAYMENT_CAPTURED, CANCELLATION_REQUESTED, CANCELLATION_APPROVED, ORDER_CANCELLED,
 *                          REFUND_INITIATED by the seller [, REFUND_COMPLETED by payments]: request APPROVED v2,
 *                          kind SELLER_APPROVED naming it, refund of the total INITIATED v1 or COMPLETED v2
 * </pre>
 *
 * The response window (72 h) and refund windows (3-20 business days) are those of
 * {@link CancellationSettings#defaults()}.
 */
final class DataSet {

  /** Orders per statement and transaction. */
  static final int CHUNK = 100_000;

  private static final long SECOND = 1_000_000L; // all times below are microseconds since the epoch
  private static final long MINUTE = 60 * SECOND;
  private static final long HOUR = 60 * MINUTE;
  private static final long DAY = 24 * HOUR;
  private static final long MAX_PER_CALL = 1L << 30; // n fills 30 bits of a request reference
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.-]{1,40}");
  private static final String BASE32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // as RequestReferences
  private static final String CHECKOUT = "checkout";
  private static final String PAYMENTS = "payments";
  /** Buyers' reasons; OTHER is left out because it needs an explanation. */
  private static final List<String> REASONS =
      Arrays.stream(CancellationReason.values()).filter(r -> !r.explanationRequired()).map(Enum::name).toList();

  /** Facts of the order row that its history repeats, as SQL over the plan. */
  private static final String PAYMENT_REFERENCE = "CONCAT('pay-', " + uuidText("p.oid") + ")";

  private static final String CARRIER = elt("(p.g DIV 3) MOD 4", List.of("UPS", "FedEx", "DHL", "USPS"));
  private static final String TRACKING_NUMBER = "CONCAT('1Z', LPAD(HEX(p.h), 8, '0'), LPAD(p.n MOD 1000000, 6, '0'))";

  /**
   * The eight things an order can be here, with the order row's state and version. Codes are what
   * the generated SQL computes per order ({@code p.kind}).
   */
  private enum Kind {
    UNPAID("AWAITING_PAYMENT", 1),
    PROCESSING("PAYMENT_PROCESSING", 2),
    PAID("AWAITING_SHIPMENT", 2),
    PENDING_REQUEST("AWAITING_SHIPMENT", 2),
    SHIPPED("SHIPPED", 3),
    DELIVERED("DELIVERED", 4),
    CANCELLED_UNPAID("CANCELLED", 2),
    CANCELLED_REFUNDED("CANCELLED", 3);

    final String state;
    final int version;

    Kind(String state, int version) {
      this.state = state;
      this.version = version;
    }

    int code() {
      return ordinal() + 1;
    }

    static final Set<Kind> PAID_KINDS = EnumSet.of(PAID, PENDING_REQUEST, SHIPPED, DELIVERED, CANCELLED_REFUNDED);
    static final Set<Kind> SHIPPED_KINDS = EnumSet.of(SHIPPED, DELIVERED);
    static final Set<Kind> REQUESTED_KINDS = EnumSet.of(PENDING_REQUEST, CANCELLED_REFUNDED);
  }

  /**
   * One call's orders. SQL expressions may use the plan's columns: {@code n} (1..count), {@code c}
   * (created, microseconds), {@code age} (now - c), {@code bucket} (0..99), {@code h}, {@code g}
   * (32-bit hashes of n).
   */
  private record Spec(
      String what,
      long count,
      long firstCreated,
      long step,
      String buyer,
      String seller,
      String kind,
      Set<Kind> kinds,
      String paymentMethod,
      String requestedAt,
      String respondBy) {}

  private final DataSource dataSource;
  private final long nowMicros;
  private final CancellationSettings settings = CancellationSettings.defaults();
  private final SecureRandom random = new SecureRandom();

  DataSet(DataSource dataSource, Instant now) {
    this.dataSource = dataSource;
    this.nowMicros = micros(now);
  }

  /**
   * Adds {@code orders} orders spread over {@code buyers} buyers and {@code sellers} sellers, in every
   * state (AWAITING_PAYMENT, PAYMENT_PROCESSING, AWAITING_SHIPMENT, SHIPPED, DELIVERED, CANCELLED -
   * cancelled ones both unpaid and refunded), created over the last 90 days, with their lines and the
   * history entries their state implies. Returns the number of orders in the database afterwards.
   *
   * <p>Order {@code n} (1..orders, created in that order, evenly over the 90 days before {@code now})
   * belongs to buyer {@code n % buyers} and to seller {@code crc32("v" + n) % sellers}; its state is
   * drawn from {@code crc32("k" + n) % 100}: 10% AWAITING_PAYMENT, 3% PAYMENT_PROCESSING, 20%
   * AWAITING_SHIPMENT, 25% SHIPPED, 35% DELIVERED, 3% CANCELLED unpaid, 4% CANCELLED through an
   * approved request with a refund (COMPLETED when cancelled over 21 days ago, else INITIATED). No
   * request is left PENDING. Payment methods: 70% CARD, 15% PAYPAL, 10% WALLET, 5% ALIPAY.
   */
  long seedMarketplace(long orders, int buyers, int sellers) {
    requireCount(orders);
    require(buyers >= 1 && buyers <= 1_000_000, "buyers must be 1..1000000 (buyer-%06d)");
    require(sellers >= 1 && sellers <= 10_000, "sellers must be 1..10000 (seller-%04d)");
    long span = 90 * DAY;
    Spec spec =
        new Spec(
            "orders",
            orders,
            nowMicros - span,
            Math.max(1, span / Math.max(1, orders)),
            "CONCAT('buyer-', LPAD(b.n MOD " + buyers + ", 6, '0'))",
            "CONCAT('seller-', LPAD(CRC32(CONCAT('v', b.n)) MOD " + sellers + ", 4, '0'))",
            "CASE WHEN b.bucket < 10 THEN " + Kind.UNPAID.code()
                + " WHEN b.bucket < 13 THEN " + Kind.PROCESSING.code()
                + " WHEN b.bucket < 33 THEN " + Kind.PAID.code()
                + " WHEN b.bucket < 58 THEN " + Kind.SHIPPED.code()
                + " WHEN b.bucket < 93 THEN " + Kind.DELIVERED.code()
                + " WHEN b.bucket < 96 THEN " + Kind.CANCELLED_UNPAID.code()
                + " ELSE " + Kind.CANCELLED_REFUNDED.code() + " END",
            EnumSet.complementOf(EnumSet.of(Kind.PENDING_REQUEST)),
            "CASE WHEN (b.g DIV 7) MOD 20 < 14 THEN 'CARD' WHEN (b.g DIV 7) MOD 20 < 17 THEN 'PAYPAL'"
                + " WHEN (b.g DIV 7) MOD 20 < 19 THEN 'WALLET' ELSE 'ALIPAY' END",
            // Asked within two hours of ordering, answered within 20 hours: always in time.
            "b.c + LEAST(" + 2 * HOUR + ", b.age DIV 10)",
            "b.c + LEAST(" + 2 * HOUR + ", b.age DIV 10) + " + micros(settings.sellerResponseWindow()));
    seed(spec);
    return count("SELECT COUNT(*) FROM orders");
  }

  /**
   * Adds, for each of {@code buyers} pool buyers {@code <prefix>-buyer-%04d}, {@code perBuyer} orders
   * in {@code state} (AWAITING_PAYMENT: placed, unpaid; AWAITING_SHIPMENT: paid by card), created
   * before {@code now}.
   *
   * <p>Buyers are numbered from 0; order {@code n} belongs to buyer {@code (n - 1) % buyers}; the
   * orders are created evenly over the day before {@code now}. No cancellation request was made for
   * any of them.
   */
  void seedPool(String prefix, int buyers, int perBuyer, String state) {
    requirePrefix(prefix);
    require(buyers >= 1 && buyers <= 10_000, "buyers must be 1..10000 (%04d)");
    require(perBuyer >= 0, "perBuyer must not be negative");
    Kind kind =
        switch (state) {
          case "AWAITING_PAYMENT" -> Kind.UNPAID;
          case "AWAITING_SHIPMENT" -> Kind.PAID;
          default -> throw new IllegalArgumentException("a pool is AWAITING_PAYMENT or AWAITING_SHIPMENT, not " + state);
        };
    long count = (long) buyers * perBuyer;
    requireCount(count);
    String party = "LPAD((b.n - 1) MOD " + buyers + ", 4, '0')";
    seed(
        new Spec(
            "pool orders (" + prefix + ", " + state + ")",
            count,
            nowMicros - DAY,
            Math.max(1, DAY / Math.max(1, count)),
            "CONCAT('" + prefix + "-buyer-', " + party + ")",
            "CONCAT('" + prefix + "-seller-', " + party + ")",
            Integer.toString(kind.code()),
            EnumSet.of(kind),
            "'CARD'",
            "NULL",
            "NULL"));
  }

  /**
   * Adds {@code count} paid orders of buyers {@code <prefix>-buyer-%04d} each with a PENDING
   * cancellation request due at {@code respondBy}.
   *
   * <p>The buyers are {@code min(count, 1000)}, numbered from 0; order {@code n} belongs to buyer
   * {@code (n - 1) % buyers} and to the seller of the same number. Every request was made at
   * {@code respondBy} minus the response window (72 h) - or at {@code now} if that would be later, the
   * window then being longer; the orders were placed and paid by card in the two hours before. A
   * {@code respondBy} at or before the service's clock makes them all due for the deadline sweep.
   */
  void seedPendingRequests(String prefix, int count, Instant respondBy) {
    requirePrefix(prefix);
    requireCount(count);
    long due = micros(respondBy);
    long requestedAt = Math.min(nowMicros, due - micros(settings.sellerResponseWindow()));
    int buyers = Math.max(1, Math.min(count, 1000));
    String party = "LPAD((b.n - 1) MOD " + buyers + ", 4, '0')";
    seed(
        new Spec(
            "pending cancellation requests (" + prefix + ")",
            count,
            requestedAt - 2 * HOUR,
            Math.max(1, HOUR / Math.max(1, count)),
            "CONCAT('" + prefix + "-buyer-', " + party + ")",
            "CONCAT('" + prefix + "-seller-', " + party + ")",
            Integer.toString(Kind.PENDING_REQUEST.code()),
            EnumSet.of(Kind.PENDING_REQUEST),
            "'CARD'",
            Long.toString(requestedAt),
            Long.toString(due)));
  }

  // --- The chunk loop ---------------------------------------------------------------------------

  private void seed(Spec spec) {
    if (spec.count() == 0) {
      return;
    }
    long started = System.nanoTime();
    try (Connection c = dataSource.getConnection()) {
      // The pool's socket timeout is for the service's short statements, not for 100,000 orders.
      c.setNetworkTimeout(Runnable::run, (int) TimeUnit.MINUTES.toMillis(10));
      Ids ids = new Ids(salt(), salt(), salt(), intersects(spec.kinds(), Kind.REQUESTED_KINDS) ? referencePrefix(c) : "CR-0000");
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        for (long from = 1; from <= spec.count(); from += CHUNK) {
          long to = Math.min(spec.count(), from + CHUNK - 1);
          for (String sql : statements(spec, ids, from, to)) {
            s.executeUpdate(sql);
          }
          c.commit();
          System.out.printf(
              "seeded %d / %d %s (%d s)%n", to, spec.count(), spec.what(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        }
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not seed " + spec.what() + ": " + e.getMessage(), e);
    }
  }

  /** The per-call random parts of ids: 30 bits per kind of row, and a reference prefix. */
  private record Ids(long orderSalt, long requestSalt, long refundSalt, String referencePrefix) {}

  private long salt() {
    return random.nextInt(1 << 30);
  }

  /**
   * "CR-" and the 4 characters of a random 20-bit value no request uses yet (earlier seedings use a
   * prefix each; the service's random references hardly ever land on the one drawn). If every draw is
   * taken, the least used prefix: its few random references are no likely match for our 30 bits.
   */
  private String referencePrefix(Connection c) throws SQLException {
    String best = null;
    long bestCount = Long.MAX_VALUE;
    try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM cancellation_requests WHERE reference LIKE ?")) {
      for (int attempt = 0; attempt < 64 && bestCount > 0; attempt++) {
        int bits = random.nextInt(1 << 20);
        StringBuilder prefix = new StringBuilder("CR-");
        for (int i = 0; i < 4; i++) {
          prefix.append(BASE32.charAt((bits >>> (5 * i)) & 31));
        }
        s.setString(1, prefix + "%");
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          if (rs.getLong(1) < bestCount) {
            bestCount = rs.getLong(1);
            best = prefix.toString();
          }
        }
      }
    }
    return best;
  }

  // --- The SQL ----------------------------------------------------------------------------------

  /** The inserts of orders {@code from..to} of a call, in foreign-key order. */
  private List<String> statements(Spec spec, Ids ids, long from, long to) {
    String plan = plan(spec, ids, from, to);
    List<String> sql = new ArrayList<>();
    sql.add(orders(plan));
    sql.add(lines(plan));
    sql.addAll(events(spec, plan));
    if (intersects(spec.kinds(), Kind.REQUESTED_KINDS)) {
      sql.add(requests(plan));
    }
    if (spec.kinds().contains(Kind.CANCELLED_REFUNDED)) {
      sql.add(refunds(plan));
    }
    return sql;
  }

  /**
   * One row per order {@code from..to} with everything its rows are made of: number, times
   * (microseconds since the epoch), kind, parties, lines, total, ids (as 32 hex digits), reference.
   */
  private String plan(Spec spec, Ids ids, long from, long to) {
    String created = spec.firstCreated() + " + CAST(seq - 1 AS SIGNED) * " + spec.step();
    String base =
        "SELECT CAST(seq AS SIGNED) AS n, " + created + " AS c, " + nowMicros + " - (" + created + ") AS age,"
            + " CRC32(CONCAT('k', seq)) MOD 100 AS bucket, CRC32(CONCAT('h', seq)) AS h, CRC32(CONCAT('g', seq)) AS g"
            + " FROM seq_" + from + "_to_" + to;
    StringBuilder total = new StringBuilder("0");
    for (int k = 1; k <= 3; k++) {
      total.append(" + IF(1 + b.h MOD 3 >= ").append(k).append(", ")
          .append(quantity("b.n", Integer.toString(k))).append(" * ").append(unitPrice("b.n", Integer.toString(k))).append(", 0)");
    }
    String facts =
        "SELECT b.*, " + spec.kind() + " AS kind, " + spec.buyer() + " AS buyer_id, " + spec.seller() + " AS seller_id, "
            + spec.paymentMethod() + " AS payment_method, 1 + b.h MOD 3 AS line_count, " + total + " AS total, "
            + elt("(b.g DIV 11) MOD " + REASONS.size(), REASONS) + " AS reason, "
            + "b.c + LEAST(" + 5 * MINUTE + ", b.age DIV 20) AS t_pay, "
            + "b.c + LEAST(" + 30 * MINUTE + ", b.age DIV 5) AS t_cancel, "
            + "b.c + LEAST(" + DAY + ", b.age * 3 DIV 10) AS t_ship, "
            + "b.c + LEAST(" + 4 * DAY + ", b.age * 6 DIV 10) AS t_deliver, "
            + spec.requestedAt() + " AS t_request, "
            + spec.respondBy() + " AS t_respond, "
            + "b.c + LEAST(" + 20 * HOUR + ", b.age * 3 DIV 10) AS t_approve, "
            + "b.c + LEAST(" + 7 * DAY + ", b.age * 8 DIV 10) AS t_refunded, "
            + "b.age > " + 21 * DAY + " AS refund_completed"
            + " FROM (" + base + ") b";
    StringBuilder reference = new StringBuilder("CONCAT('" + ids.referencePrefix() + "'");
    for (int i = 0; i < 6; i++) {
      reference.append(", SUBSTRING('").append(BASE32).append("', ((f.n >> ").append(5 * i).append(") & 31) + 1, 1)");
    }
    reference.append(")");
    return "SELECT f.*, "
        + uuidHex("f.c", ids.orderSalt()) + " AS oid, "
        + uuidHex("f.t_request", ids.requestSalt()) + " AS rid, "
        + uuidHex("f.t_approve", ids.refundSalt()) + " AS fid, "
        + reference + " AS reference"
        + " FROM (" + facts + ") f";
  }

  private static String orders(String plan) {
    String paid = in(Kind.PAID_KINDS);
    String shipped = in(Kind.SHIPPED_KINDS);
    int unpaid = Kind.CANCELLED_UNPAID.code();
    int refunded = Kind.CANCELLED_REFUNDED.code();
    return "INSERT INTO orders (id, buyer_id, seller_id, state, currency_code, total_minor, payment_method,"
        + " ship_recipient_name, ship_address_lines, ship_locality, ship_administrative_area, ship_postal_code,"
        + " ship_region_code, ship_phone_number, payment_reference, payment_captured_at, carrier, tracking_number,"
        + " shipped_at, delivered_at, created_at, updated_at, version, cancelled_at, cancellation_kind,"
        + " cancellation_reason, cancelled_by_subject, cancelled_by_role, cancellation_request_id,"
        + " history_length, cancellation_requests_made, captured_minor, refunded_minor)"
        + " SELECT UNHEX(p.oid), p.buyer_id, p.seller_id, " + byKind(k -> "'" + k.state + "'") + ", 'USD', p.total, p.payment_method, "
        + elt("p.h MOD 8", List.of("Ann Example", "Bo Chen", "Carla Diaz", "Dev Patel", "Eve Novak", "Femi Adeyemi", "Gita Rao", "Hugo Blanc"))
        + ", CONCAT('[\"', 1 + p.h MOD 997, ' Market Street\",\"Apt ', 1 + p.g MOD 40, '\"]'), "
        + elt("(p.g DIV 40) MOD 6", List.of("Springfield", "Portland", "Austin", "Denver", "Madison", "Raleigh")) + ", "
        + elt("(p.g DIV 40) MOD 6", List.of("IL", "OR", "TX", "CO", "WI", "NC")) + ", "
        + "LPAD(10000 + p.h MOD 89999, 5, '0'), 'US', CONCAT('+1555', LPAD(p.g MOD 10000000, 7, '0')), "
        + "IF(" + paid + ", " + PAYMENT_REFERENCE + ", NULL), "
        + "IF(" + paid + ", " + datetime("p.t_pay") + ", NULL), "
        + "IF(" + shipped + ", " + CARRIER + ", NULL), "
        + "IF(" + shipped + ", " + TRACKING_NUMBER + ", NULL), "
        + "IF(" + shipped + ", " + datetime("p.t_ship") + ", NULL), "
        + "IF(p.kind = " + Kind.DELIVERED.code() + ", " + datetime("p.t_deliver") + ", NULL), "
        + datetime("p.c") + ", "
        + datetime(byKind(DataSet::updatedAt)) + ", "
        + byKind(k -> Integer.toString(k.version)) + ", "
        + "CASE p.kind WHEN " + unpaid + " THEN " + datetime("p.t_cancel") + " WHEN " + refunded + " THEN " + datetime("p.t_approve") + " END, "
        + "CASE p.kind WHEN " + unpaid + " THEN 'BUYER_CANCELLED_UNPAID' WHEN " + refunded + " THEN 'SELLER_APPROVED' END, "
        + "IF(p.kind IN (" + unpaid + ", " + refunded + "), p.reason, NULL), "
        + "CASE p.kind WHEN " + unpaid + " THEN p.buyer_id WHEN " + refunded + " THEN p.seller_id END, "
        + "CASE p.kind WHEN " + unpaid + " THEN 'BUYER' WHEN " + refunded + " THEN 'SELLER' END, "
        + "IF(p.kind = " + refunded + ", UNHEX(p.rid), NULL), "
        + byKind(DataSet::historyLength) + ", "
        + "IF(" + in(Kind.REQUESTED_KINDS) + ", 1, 0), "
        + "IF(" + paid + ", p.total, NULL), "
        + "IF(p.kind = " + refunded + ", p.total, 0)"
        + " FROM (" + plan + ") p";
  }

  /** How many history entries an order of this kind has (see {@link #history}): the row's counter. */
  private static String historyLength(Kind kind) {
    return switch (kind) {
      case UNPAID -> "1";
      case PROCESSING, PAID, CANCELLED_UNPAID -> "2";
      case PENDING_REQUEST, SHIPPED -> "3";
      case DELIVERED -> "4";
      case CANCELLED_REFUNDED -> "IF(p.refund_completed, 7, 6)";
    };
  }

  private static String updatedAt(Kind kind) {
    return switch (kind) {
      case UNPAID -> "p.c";
      case PROCESSING, PAID, PENDING_REQUEST -> "p.t_pay";
      case SHIPPED -> "p.t_ship";
      case DELIVERED -> "p.t_deliver";
      case CANCELLED_UNPAID -> "p.t_cancel";
      case CANCELLED_REFUNDED -> "p.t_approve";
    };
  }

  /** One to three lines per order; the order's total is their sum (see {@link #plan}). */
  private static String lines(String plan) {
    return "INSERT INTO order_lines (order_id, line_no, sku, title, variant_attributes, quantity, unit_price_minor)"
        + " SELECT UNHEX(p.oid), l.seq, CONCAT('SKU-', LPAD(" + product() + ", 5, '0')), CONCAT('Product ', " + product() + "), "
        + elt("CRC32(CONCAT('a', p.n, '-', l.seq)) MOD 4", List.of("{}", "{\"colour\":\"red\"}", "{\"colour\":\"black\",\"size\":\"M\"}", "{\"size\":\"XL\"}"))
        + ", " + quantity("p.n", "l.seq") + ", " + unitPrice("p.n", "l.seq")
        + " FROM (" + plan + ") p STRAIGHT_JOIN seq_1_to_3 l ON l.seq <= p.line_count";
  }

  private static String product() {
    return "CRC32(CONCAT('s', p.n, '-', l.seq)) MOD 20000";
  }

  private static String quantity(String n, String line) {
    return "(1 + CRC32(CONCAT('q', " + n + ", '-', " + line + ")) MOD 3)";
  }

  private static String unitPrice(String n, String line) {
    return "(199 + CRC32(CONCAT('p', " + n + ", '-', " + line + ")) MOD 400 * 25)";
  }

  /**
   * One history entry: its place in the order's sequence, for which kinds of order (and, unless
   * empty, on which further condition), and its columns as SQL over the plan.
   */
  private record Event(int sequence, Set<Kind> kinds, String condition, String type, String actor, String role, String at, String state, String details) {}

  private List<Event> history() {
    String requestDetails =
        "'{\"cancellationRequestId\":\"', " + uuidText("p.rid") + ", '\",\"reason\":\"', p.reason, '\",\"reference\":\"', p.reference, '\"'";
    Set<Kind> all = EnumSet.allOf(Kind.class);
    return List.of(
        new Event(1, all, "", "ORDER_CREATED", "'" + CHECKOUT + "'", "SERVICE", "p.c", "AWAITING_PAYMENT",
            "CONCAT('{\"currencyCode\":\"USD\",\"lineCount\":\"', p.line_count, '\",\"total\":\"', p.total, '\"}')"),
        new Event(2, EnumSet.of(Kind.PROCESSING), "", "PAYMENT_PROCESSING", "'" + PAYMENTS + "'", "SERVICE", "p.t_pay", "PAYMENT_PROCESSING", "'{}'"),
        new Event(2, Kind.PAID_KINDS, "", "PAYMENT_CAPTURED", "'" + PAYMENTS + "'", "SERVICE", "p.t_pay", "AWAITING_SHIPMENT",
            "CONCAT('{\"amount\":\"', p.total, '\",\"currencyCode\":\"USD\",\"paymentReference\":\"', " + PAYMENT_REFERENCE + ", '\"}')"),
        new Event(2, EnumSet.of(Kind.CANCELLED_UNPAID), "", "ORDER_CANCELLED", "p.buyer_id", "BUYER", "p.t_cancel", "CANCELLED",
            "CONCAT('{\"kind\":\"BUYER_CANCELLED_UNPAID\",\"reason\":\"', p.reason, '\"}')"),
        new Event(3, Kind.SHIPPED_KINDS, "", "ORDER_SHIPPED", "p.seller_id", "SELLER", "p.t_ship", "SHIPPED",
            "CONCAT('{\"carrier\":\"', " + CARRIER + ", '\",\"trackingNumber\":\"', " + TRACKING_NUMBER + ", '\"}')"),
        new Event(3, Kind.REQUESTED_KINDS, "", "CANCELLATION_REQUESTED", "p.buyer_id", "BUYER", "p.t_request", "AWAITING_SHIPMENT",
            "CONCAT(" + requestDetails + ", ',\"respondBy\":\"', " + instantText("p.t_respond") + ", '\"}')"),
        new Event(4, EnumSet.of(Kind.DELIVERED), "", "ORDER_DELIVERED", "p.buyer_id", "BUYER", "p.t_deliver", "DELIVERED", "'{}'"),
        new Event(4, EnumSet.of(Kind.CANCELLED_REFUNDED), "", "CANCELLATION_APPROVED", "p.seller_id", "SELLER", "p.t_approve", "CANCELLED",
            "CONCAT(" + requestDetails + ", '}')"),
        new Event(5, EnumSet.of(Kind.CANCELLED_REFUNDED), "", "ORDER_CANCELLED", "p.seller_id", "SELLER", "p.t_approve", "CANCELLED",
            "CONCAT('{\"kind\":\"SELLER_APPROVED\",\"reason\":\"', p.reason, '\"}')"),
        new Event(6, EnumSet.of(Kind.CANCELLED_REFUNDED), "", "REFUND_INITIATED", "p.seller_id", "SELLER", "p.t_approve", "CANCELLED",
            "CONCAT('{\"amount\":\"', p.total, '\",\"cancellationRequestId\":\"', " + uuidText("p.rid")
                + ", '\",\"currencyCode\":\"USD\",\"expectedBusinessDays\":\"', "
                + refundWindow("p.payment_method", true) + ", '-', "
                + refundWindow("p.payment_method", false) + ", '\",\"kind\":\"CANCELLATION\",\"refundId\":\"', " + uuidText("p.fid")
                + ", '\"}')"),
        new Event(7, EnumSet.of(Kind.CANCELLED_REFUNDED), "p.refund_completed", "REFUND_COMPLETED", "'" + PAYMENTS + "'", "SERVICE", "p.t_refunded",
            "CANCELLED", "CONCAT('{\"refundId\":\"', " + uuidText("p.fid") + ", '\"}')"));
  }

  /** One insert per place in the sequence, each entry's columns chosen by the order's kind. */
  private List<String> events(Spec spec, String plan) {
    List<String> sql = new ArrayList<>();
    List<Event> history = history().stream().filter(e -> intersects(e.kinds(), spec.kinds())).toList();
    int last = history.stream().mapToInt(Event::sequence).max().orElse(0);
    for (int sequence = 1; sequence <= last; sequence++) {
      int place = sequence;
      List<Event> here = history.stream().filter(e -> e.sequence() == place).toList();
      if (here.isEmpty()) {
        continue;
      }
      String where =
          here.stream()
              .map(e -> e.condition().isEmpty() ? in(e.kinds()) : "(" + in(e.kinds()) + " AND " + e.condition() + ")")
              .collect(Collectors.joining(" OR "));
      sql.add(
          "INSERT INTO order_events (order_id, sequence_no, event_type, actor_subject, actor_role, occurred_at, order_state, details)"
              + " SELECT UNHEX(p.oid), " + sequence + ", "
              + choose(here, e -> "'" + e.type() + "'") + ", "
              + choose(here, Event::actor) + ", "
              + choose(here, e -> "'" + e.role() + "'") + ", "
              + datetime(choose(here, Event::at)) + ", "
              + choose(here, e -> "'" + e.state() + "'") + ", "
              + choose(here, Event::details)
              + " FROM (" + plan + ") p WHERE " + where);
    }
    return sql;
  }

  private static String choose(List<Event> events, Function<Event, String> column) {
    if (events.size() == 1 || events.stream().map(column).distinct().count() == 1) {
      return column.apply(events.get(0));
    }
    StringBuilder sql = new StringBuilder("CASE");
    for (Event e : events) {
      sql.append(" WHEN ").append(in(e.kinds())).append(" THEN ").append(column.apply(e));
    }
    return sql.append(" END").toString();
  }

  private static String requests(String plan) {
    String pending = "p.kind = " + Kind.PENDING_REQUEST.code();
    return "INSERT INTO cancellation_requests (id, reference, order_id, buyer_id, seller_id, reason, explanation, state,"
        + " pending_rank, pending_order_id, respond_by, rejection_reason, rejection_note, resolved_by_subject,"
        + " resolved_by_role, created_at, resolved_at, version)"
        + " SELECT UNHEX(p.rid), p.reference, UNHEX(p.oid), p.buyer_id, p.seller_id, p.reason, '', "
        + "IF(" + pending + ", 'PENDING', 'APPROVED'), IF(" + pending + ", 0, 1), IF(" + pending + ", UNHEX(p.oid), NULL), "
        + datetime("p.t_respond") + ", NULL, '', IF(" + pending + ", NULL, p.seller_id), IF(" + pending + ", NULL, 'SELLER'), "
        + datetime("p.t_request") + ", IF(" + pending + ", NULL, " + datetime("p.t_approve") + "), IF(" + pending + ", 1, 2)"
        + " FROM (" + plan + ") p WHERE " + in(Kind.REQUESTED_KINDS);
  }

  private String refunds(String plan) {
    String min = refundWindow("p.payment_method", true);
    String max = refundWindow("p.payment_method", false);
    return "INSERT INTO refunds (id, order_id, kind, cancellation_request_id, currency_code, amount_minor, payment_method, state,"
        + " business_days_min, business_days_max, expected_earliest_at, expected_latest_at, failure_reason, created_at,"
        + " completed_at, version)"
        + " SELECT UNHEX(p.fid), UNHEX(p.oid), 'CANCELLATION', UNHEX(p.rid), 'USD', p.total, p.payment_method,"
        + " IF(p.refund_completed, 'COMPLETED', 'INITIATED'), " + min + ", " + max + ", "
        + datetime(businessDaysLater("p.t_approve", min)) + ", " + datetime(businessDaysLater("p.t_approve", max)) + ", '', "
        + datetime("p.t_approve") + ", IF(p.refund_completed, " + datetime("p.t_refunded") + ", NULL), IF(p.refund_completed, 2, 1)"
        + " FROM (" + plan + ") p WHERE p.kind = " + Kind.CANCELLED_REFUNDED.code();
  }

  // --- SQL helpers ------------------------------------------------------------------------------

  /** The refund window's days for the payment method in {@code method}, as the settings say. */
  private String refundWindow(String method, boolean min) {
    StringBuilder sql = new StringBuilder("CASE ").append(method);
    for (PaymentMethod m : PaymentMethod.values()) {
      RefundWindow window = settings.refundWindows().windowFor(m);
      sql.append(" WHEN '").append(m.name()).append("' THEN ").append(min ? window.minDays() : window.maxDays());
    }
    return sql.append(" END").toString();
  }

  /**
   * {@code BusinessDays.add(start, days)} for {@code days >= 1}: a weekend start counts from the Friday
   * before (same result), then every full five business days span seven calendar days.
   */
  private static String businessDaysLater(String start, String days) {
    String weekday = "WEEKDAY(" + datetime(start) + ")";
    return "(" + start + " + (" + days + " + 2 * ((LEAST(" + weekday + ", 4) + " + days + ") DIV 5) - GREATEST(" + weekday
        + " - 4, 0)) * " + DAY + ")";
  }

  /** 32 hex digits of a UUIDv7 at {@code micros}: ms, version 7, sub-ms micros, variant, salt, n. */
  private static String uuidHex(String micros, long salt) {
    String variantAndSalt = String.format("%08X", 0x80000000L | salt);
    return "CONCAT(LPAD(HEX((" + micros + ") DIV 1000), 12, '0'), '7', LPAD(HEX((" + micros + ") MOD 1000), 3, '0'), '"
        + variantAndSalt + "', LPAD(HEX(f.n), 8, '0'))";
  }

  /** {@code UUID.toString()} of 32 hex digits. */
  private static String uuidText(String hex) {
    return "LOWER(CONCAT(SUBSTRING(" + hex + ", 1, 8), '-', SUBSTRING(" + hex + ", 9, 4), '-', SUBSTRING(" + hex + ", 13, 4), '-', SUBSTRING("
        + hex + ", 17, 4), '-', SUBSTRING(" + hex + ", 21, 12)))";
  }

  /** A DATETIME(6) of microseconds since the epoch (UTC, like {@code Times}; no time zone involved). */
  private static String datetime(String micros) {
    return "(CAST('1970-01-01 00:00:00' AS DATETIME(6)) + INTERVAL (" + micros + ") MICROSECOND)";
  }

  /** {@code Instant.toString()}: seconds always, then 0, 3 or 6 fraction digits, as needed. */
  private static String instantText(String micros) {
    return "CONCAT(DATE_FORMAT(" + datetime(micros) + ", '%Y-%m-%dT%H:%i:%s'), CASE WHEN (" + micros + ") MOD 1000000 = 0 THEN ''"
        + " WHEN (" + micros + ") MOD 1000 = 0 THEN CONCAT('.', LPAD((" + micros + ") MOD 1000000 DIV 1000, 3, '0'))"
        + " ELSE CONCAT('.', LPAD((" + micros + ") MOD 1000000, 6, '0')) END, 'Z')";
  }

  private static String elt(String zeroBasedIndex, List<String> values) {
    return "ELT(1 + " + zeroBasedIndex + ", " + values.stream().map(v -> "'" + v.replace("'", "''") + "'").collect(Collectors.joining(", ")) + ")";
  }

  private static String byKind(Function<Kind, String> value) {
    StringBuilder sql = new StringBuilder("CASE p.kind");
    for (Kind kind : Kind.values()) {
      sql.append(" WHEN ").append(kind.code()).append(" THEN ").append(value.apply(kind));
    }
    return sql.append(" END").toString();
  }

  private static String in(Set<Kind> kinds) {
    return "p.kind IN (" + kinds.stream().map(k -> Integer.toString(k.code())).collect(Collectors.joining(", ")) + ")";
  }

  private static boolean intersects(Set<Kind> a, Set<Kind> b) {
    return a.stream().anyMatch(b::contains);
  }

  private long count(String sql) {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("could not count: " + sql, e);
    }
  }

  private static long micros(Instant instant) {
    Instant t = instant.truncatedTo(ChronoUnit.MICROS);
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), SECOND), t.getNano() / 1000);
  }

  private static long micros(Duration duration) {
    return duration.toNanos() / 1000;
  }

  private static void requireCount(long count) {
    require(count >= 0 && count < MAX_PER_CALL, "between 0 and 2^30 orders per call");
  }

  private static void requirePrefix(String prefix) {
    require(prefix != null && PREFIX.matcher(prefix).matches(), "a prefix is 1 to 40 letters, digits, '_', '.' or '-'");
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
