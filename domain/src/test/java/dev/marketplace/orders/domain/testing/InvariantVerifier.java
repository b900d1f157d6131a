package dev.marketplace.orders.domain.testing;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Reads a whole orders database with plain SQL and lists every broken invariant. Reusable by any test
 * that has inflicted something on the service (crashes, outages, races, storms): run it at the end
 * and {@link Report#assertHolds()}. It reads rows, not the domain's classes, so a bug in the domain's
 * mapping cannot hide a bug in its data.
 *
 * <p>The invariants:
 *
 * <ul>
 *   <li>at most one PENDING cancellation request per order, and only while the order awaits shipment;
 *       the pending markers ({@code pending_rank}, {@code pending_order_id}) agree with the state;
 *   <li>an order is CANCELLED exactly when its cancellation columns are set, and how it was cancelled
 *       agrees with its requests: a granted request (APPROVED, AUTO_APPROVED, RESOLVED_BY_SUPPORT) is
 *       the one named on its cancelled order, and each order has at most one;
 *   <li>money: a paid order records what was captured; its refunds (of any kind, each naming its
 *       cause) never exceed it and add up to the refunded sum on its row; at most one refund per
 *       cancellation request; a cancellation refund only for a cancelled order that was paid, and
 *       every cancelled paid order has exactly one, of its total (the sum of its lines), so that its
 *       refunds together return exactly what was captured; no line gives back (cancels or returns)
 *       more units than it has, and the total counts the units not cancelled;
 *   <li>partial cancellations: a granted partial request (APPROVED, AUTO_APPROVED) leaves its order
 *       going on, has one ORDER_PARTIALLY_CANCELLED entry and, if paid, one PARTIAL refund of exactly
 *       its units' share (unit price x units); the units the lines count cancelled are those the
 *       partial entries cancelled;
 *   <li>modifications: at most one PROPOSED per order, only before shipment, never beside a PENDING
 *       cancellation request; its open markers ({@code open_rank}, {@code open_order_id}) agree with
 *       its state, and the order row names it ({@code open_modification_id}) exactly while it is open;
 *       an accepted modification that lowered the total of an order paid by then has exactly one
 *       refund, of the difference, and no other modification has one;
 *   <li>disputes: at most one open (not RESOLVED or WITHDRAWN) per order; the open markers ({@code
 *       open_rank}, {@code open_order_id}) agree with the state, and exactly a RESOLVED one has an
 *       outcome; one resolved with money has exactly one DISPUTE refund, of the amount it records,
 *       and no other has one; one history entry per step (opened, accepted, offer accepted, escalated
 *       by a party or the platform, resolved by support, withdrawn);
 *   <li>support cases: the open slot is set exactly while the case is not RESOLVED, and exactly a
 *       RESOLVED one has an action; an escalated-dispute case names its dispute, every escalated
 *       dispute has one case, open while the dispute is ESCALATED and closed (DISPUTE_CLOSED) once the
 *       dispute is; a case resolved with a REFUND has exactly one SUPPORT refund naming it, and no
 *       other case has one; a FORCE_CANCELLATION case's order is cancelled by support; one history
 *       entry per case opened and per case resolved, and at least one assignment entry per assigned case;
 *   <li>returns: at most one open (REQUESTED, APPROVED, SHIPPED) per order; the open markers ({@code
 *       open_rank}, {@code open_order_id}) and the deadline that counts ({@code due_at}) agree with the
 *       state; a RECEIVED return records its units' share (unit price times units, line by line) and
 *       has exactly one RETURN refund of what it records, never more than the share - less only when
 *       that emptied the order's refundable balance - and no other return has one; each line's
 *       returned units are those of the order's received returns; one history entry per step
 *       (requested or opened by a dispute, approved by the seller or the platform, rejected, shipped,
 *       received by the seller or the platform, withdrawn), and one return per dispute resolved with
 *       "return and refund";
 *   <li>conversations: every message comes from the order's buyer, its seller, support, or the
 *       platform (role SYSTEM, subject "platform", in English);
 *   <li>the counters on the order row (history length, cancellation requests made) agree with the rows;
 *   <li>the history is complete: sequence numbers 1..n without gaps, ORDER_CREATED first, the last
 *       entry's state is the order's state, feed positions increasing with the sequence (the feed shows
 *       an order's entries in their order), and one entry per fact (payment captured, shipped,
 *       cancelled, each request and each request's resolution, each refund and its result).
 * </ul>
 */
public final class InvariantVerifier {

  private static final int MAX_LISTED = 25;

  private InvariantVerifier() {}

  /** What was checked and what was found broken. */
  public record Report(int orders, int requests, int refunds, int events, List<String> violations) {

    /** Throws an AssertionError listing the violations (the first {@value #MAX_LISTED}) if any. */
    public Report assertHolds() {
      if (!violations.isEmpty()) {
        throw new AssertionError(
            violations.size() + " invariant violations in " + this.summary() + ":\n  "
                + String.join("\n  ", violations.subList(0, Math.min(MAX_LISTED, violations.size()))));
      }
      return this;
    }

    public String summary() {
      return orders + " orders, " + requests + " cancellation requests, " + refunds + " refunds, " + events
          + " history entries; violations: " + violations.size();
    }
  }

  public static Report verify(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      c.setReadOnly(true);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setAutoCommit(false); // one consistent snapshot of every table
      try {
        return new Check(c).run();
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the database to verify it", e);
    }
  }

  private record OrderRow(
      UUID id,
      String state,
      String currency,
      long total,
      boolean paid,
      boolean shippedColumns,
      String kind,
      UUID requestId,
      boolean cancelledColumns,
      Long captured,
      long refunded) {}

  /** A request; {@code lines} (line index to units) for a partial one, empty for a whole one. */
  private record RequestRow(UUID id, UUID orderId, String state, int pendingRank, UUID pendingOrderId, Map<Integer, Integer> lines) {
    boolean partial() {
      return !lines.isEmpty();
    }

    boolean granted() {
      return state.equals("APPROVED") || state.equals("AUTO_APPROVED") || state.equals("RESOLVED_BY_SUPPORT");
    }
  }

  /** An ORDER_PARTIALLY_CANCELLED entry: the units it cancelled, and the request it granted (none for an unpaid order's). */
  private record PartialEventRow(UUID orderId, int units, String requestId, String kind) {}

  private record ModificationRow(
      UUID id, UUID orderId, String state, int openRank, UUID openOrderId, long totalBefore, long totalAfter, java.sql.Timestamp resolvedAt) {}

  private record RefundRow(
      UUID id,
      UUID orderId,
      UUID requestId,
      String currency,
      long amount,
      String state,
      String kind,
      UUID modificationId,
      UUID disputeId,
      UUID supportCaseId,
      UUID returnId) {}

  private record DisputeRow(UUID id, UUID orderId, String state, String outcome, int openRank, UUID openOrderId, Long refunded, boolean escalated) {}

  private record ReturnRow(
      UUID id,
      UUID orderId,
      String state,
      int openRank,
      UUID openOrderId,
      boolean dueAtSet,
      boolean dueAtRight,
      Long refunded,
      Long share,
      long linesShare,
      boolean fromDispute,
      String decidedByRole,
      String receivedByRole,
      boolean shipped) {}

  private record CaseRow(
      UUID id, UUID orderId, String kind, String state, String openSlot, String action, UUID refundId, UUID disputeId, boolean assigned) {}

  private static final class Check {
    private final Connection c;
    private final List<String> violations = new ArrayList<>();
    private final Map<UUID, OrderRow> orders = new HashMap<>();
    private final Map<UUID, Long> lineTotals = new HashMap<>();
    private final Map<UUID, Map<Integer, Long>> unitPrices = new HashMap<>();
    private final Map<UUID, Long> cancelledUnits = new HashMap<>();
    private final Map<UUID, List<PartialEventRow>> partialEvents = new HashMap<>();
    private final Map<UUID, List<RequestRow>> requestsByOrder = new HashMap<>();
    private final Map<UUID, List<RefundRow>> refundsByOrder = new HashMap<>();
    private final Map<UUID, Map<String, Integer>> eventCounts = new HashMap<>();
    private final Map<UUID, List<ModificationRow>> modificationsByOrder = new HashMap<>();
    private final Map<UUID, List<DisputeRow>> disputesByOrder = new HashMap<>();
    private final Map<UUID, List<CaseRow>> casesByOrder = new HashMap<>();
    private final Map<UUID, List<ReturnRow>> returnsByOrder = new HashMap<>();
    /** Per order, per line number: the units its lines record as returned, and the units its RECEIVED returns took back. */
    private final Map<UUID, Map<Integer, Integer>> returnedOnLines = new HashMap<>();
    private final Map<UUID, Map<Integer, Integer>> returnedByReturns = new HashMap<>();
    private final Map<UUID, UUID> openModificationOnRow = new HashMap<>();
    private final Map<UUID, java.sql.Timestamp> capturedAt = new HashMap<>();
    private int requests;
    private int refunds;
    private int events;

    Check(Connection c) {
      this.c = c;
    }

    Report run() throws SQLException {
      readOrders();
      readLines();
      readLinePrices();
      readPartialEvents();
      readRequests();
      readRefunds();
      readModifications();
      readDisputes();
      readSupportCases();
      readReturns();
      readHistory();
      readCounters();
      readConversations();
      for (OrderRow order : orders.values()) {
        checkOrder(order);
      }
      return new Report(orders.size(), requests, refunds, events, List.copyOf(violations));
    }

    private void readOrders() throws SQLException {
      query(
          "SELECT id, state, currency_code, total_minor, payment_captured_at, carrier, tracking_number, shipped_at,"
              + " cancellation_kind, cancellation_request_id, cancelled_at, cancellation_reason, cancelled_by_subject,"
              + " captured_minor, refunded_minor FROM orders",
          rs -> {
            UUID id = uuid(rs, 1);
            boolean shipped = rs.getString(6) != null && rs.getString(7) != null && rs.getObject(8) != null;
            boolean cancelledColumns = rs.getObject(11) != null && rs.getString(9) != null && rs.getString(12) != null && rs.getString(13) != null;
            boolean anyCancelledColumn = rs.getObject(11) != null || rs.getString(9) != null || rs.getBytes(10) != null;
            OrderRow row =
                new OrderRow(id, rs.getString(2), rs.getString(3), rs.getLong(4), rs.getObject(5) != null, shipped, rs.getString(9), uuid(rs, 10), cancelledColumns,
                    (Long) rs.getObject(14, Long.class), rs.getLong(15));
            orders.put(id, row);
            if (!row.state().equals("CANCELLED") && anyCancelledColumn) {
              violations.add("order " + id + " is " + row.state() + " but has cancellation columns set");
            }
          });
    }

    private void readLines() throws SQLException {
      query(
          "SELECT order_id, SUM((quantity - cancelled_quantity) * unit_price_minor),"
              + " SUM(CASE WHEN cancelled_quantity < 0 OR returned_quantity < 0 OR cancelled_quantity + returned_quantity > quantity"
              + " THEN 1 ELSE 0 END) FROM order_lines GROUP BY order_id",
          rs -> {
            lineTotals.put(uuid(rs, 1), rs.getLong(2));
            if (rs.getLong(3) > 0) {
              violations.add("order " + uuid(rs, 1) + " has " + rs.getLong(3) + " lines giving back more units than they have");
            }
          });
    }

    private void readLinePrices() throws SQLException {
      query(
          "SELECT order_id, line_no, unit_price_minor, cancelled_quantity FROM order_lines",
          rs -> {
            unitPrices.computeIfAbsent(uuid(rs, 1), k -> new HashMap<>()).put(rs.getInt(2) - 1, rs.getLong(3));
            cancelledUnits.merge(uuid(rs, 1), rs.getLong(4), Long::sum);
          });
    }

    private void readPartialEvents() throws SQLException {
      query(
          "SELECT order_id, JSON_VALUE(details, '$.units'), JSON_VALUE(details, '$.cancellationRequestId'), JSON_VALUE(details, '$.kind')"
              + " FROM order_events WHERE event_type = 'ORDER_PARTIALLY_CANCELLED'",
          rs -> {
            String units = rs.getString(2);
            PartialEventRow row = new PartialEventRow(uuid(rs, 1), units == null ? -1 : Integer.parseInt(units), rs.getString(3), rs.getString(4));
            partialEvents.computeIfAbsent(row.orderId(), k -> new ArrayList<>()).add(row);
          });
    }

    /** {"0": "1", "2": "2"}: line index to units, as V11 stores a partial request's lines. */
    private static Map<Integer, Integer> lines(String json) {
      Map<Integer, Integer> lines = new HashMap<>();
      if (json == null) {
        return lines;
      }
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"(\\d+)\"\\s*:\\s*\"?(\\d+)\"?").matcher(json);
      while (m.find()) {
        lines.put(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
      }
      return lines;
    }

    private void readRequests() throws SQLException {
      query(
          "SELECT id, order_id, state, pending_rank, pending_order_id, cancelled_lines FROM cancellation_requests",
          rs -> {
            RequestRow row = new RequestRow(uuid(rs, 1), uuid(rs, 2), rs.getString(3), rs.getInt(4), uuid(rs, 5), lines(rs.getString(6)));
            requestsByOrder.computeIfAbsent(row.orderId(), k -> new ArrayList<>()).add(row);
            requests++;
            boolean pending = row.state().equals("PENDING");
            if (pending != (row.pendingRank() == 0) || pending != row.orderId().equals(row.pendingOrderId())
                || (!pending && row.pendingOrderId() != null)) {
              violations.add("request " + row.id() + " is " + row.state() + " but its pending markers say otherwise");
            }
          });
    }

    private void readRefunds() throws SQLException {
      query(
          "SELECT id, order_id, cancellation_request_id, currency_code, amount_minor, state, kind, modification_id, dispute_id, support_case_id,"
              + " return_id FROM refunds",
          rs -> {
            RefundRow row =
                new RefundRow(
                    uuid(rs, 1), uuid(rs, 2), uuid(rs, 3), rs.getString(4), rs.getLong(5), rs.getString(6), rs.getString(7), uuid(rs, 8), uuid(rs, 9),
                    uuid(rs, 10), uuid(rs, 11));
            if (row.kind().equals("MODIFICATION") != (row.modificationId() != null)
                || row.kind().equals("DISPUTE") != (row.disputeId() != null)
                || row.kind().equals("SUPPORT") != (row.supportCaseId() != null)
                || row.kind().equals("RETURN") != (row.returnId() != null)
                || row.kind().equals("PARTIAL") && row.requestId() == null
                || (row.requestId() != null && !row.kind().equals("CANCELLATION") && !row.kind().equals("PARTIAL"))) {
              violations.add("refund " + row.id() + " of kind " + row.kind() + " names the wrong cause");
            }
            refundsByOrder.computeIfAbsent(row.orderId(), k -> new ArrayList<>()).add(row);
            refunds++;
          });
      Map<UUID, Integer> perRequest = new HashMap<>();
      refundsByOrder.values().stream().flatMap(List::stream).filter(r -> r.requestId() != null)
          .forEach(r -> perRequest.merge(r.requestId(), 1, Integer::sum));
      refundsByOrder.values().stream().flatMap(List::stream).filter(r -> r.modificationId() != null)
          .forEach(r -> perRequest.merge(r.modificationId(), 1, Integer::sum));
      refundsByOrder.values().stream().flatMap(List::stream).filter(r -> r.disputeId() != null)
          .forEach(r -> perRequest.merge(r.disputeId(), 1, Integer::sum));
      refundsByOrder.values().stream().flatMap(List::stream).filter(r -> r.supportCaseId() != null)
          .forEach(r -> perRequest.merge(r.supportCaseId(), 1, Integer::sum));
      refundsByOrder.values().stream().flatMap(List::stream).filter(r -> r.returnId() != null)
          .forEach(r -> perRequest.merge(r.returnId(), 1, Integer::sum));
      perRequest.forEach((request, n) -> {
        if (n > 1) {
          violations.add("cancellation request, modification, dispute or support case " + request + " has " + n + " refunds");
        }
      });
    }

    private void readModifications() throws SQLException {
      query(
          "SELECT id, payment_captured_at, open_modification_id FROM orders",
          rs -> {
            if (rs.getTimestamp(2) != null) {
              capturedAt.put(uuid(rs, 1), rs.getTimestamp(2));
            }
            if (rs.getBytes(3) != null) {
              openModificationOnRow.put(uuid(rs, 1), uuid(rs, 3));
            }
          });
      query(
          "SELECT id, order_id, state, open_rank, open_order_id, total_before_minor, total_after_minor, resolved_at FROM modification_requests",
          rs -> {
            ModificationRow row =
                new ModificationRow(uuid(rs, 1), uuid(rs, 2), rs.getString(3), rs.getInt(4), uuid(rs, 5), rs.getLong(6), rs.getLong(7), rs.getTimestamp(8));
            modificationsByOrder.computeIfAbsent(row.orderId(), k -> new ArrayList<>()).add(row);
            boolean open = row.state().equals("PROPOSED");
            if (open != (row.openRank() == 0) || open != row.orderId().equals(row.openOrderId()) || (!open && row.openOrderId() != null)) {
              violations.add("modification " + row.id() + " is " + row.state() + " but its open markers say otherwise");
            }
          });
    }

    /** One open request of any kind, before shipment; the row's marker; one refund of the difference per cheaper paid acceptance. */
    private void checkModifications(OrderRow order, List<RequestRow> reqs, List<RefundRow> refs, Map<String, Integer> history) {
      UUID id = order.id();
      List<ModificationRow> mods = modificationsByOrder.getOrDefault(id, List.of());
      List<ModificationRow> open = mods.stream().filter(m -> m.state().equals("PROPOSED")).toList();
      if (open.size() > 1) {
        violations.add("order " + id + " has " + open.size() + " PROPOSED modifications");
      }
      if (!open.isEmpty() && !List.of("AWAITING_PAYMENT", "PAYMENT_PROCESSING", "AWAITING_SHIPMENT").contains(order.state())) {
        violations.add("order " + id + " is " + order.state() + " with a PROPOSED modification");
      }
      if (!open.isEmpty() && reqs.stream().anyMatch(r -> r.state().equals("PENDING"))) {
        violations.add("order " + id + " has a PROPOSED modification and a PENDING cancellation request at once");
      }
      UUID marked = openModificationOnRow.get(id);
      UUID actual = open.size() == 1 ? open.get(0).id() : null;
      if (!Objects.equals(marked, actual)) {
        violations.add("order " + id + " row names open modification " + marked + " but " + actual + " is open");
      }
      Map<UUID, RefundRow> modificationRefunds = new HashMap<>();
      for (RefundRow refund : refs) {
        if (refund.kind().equals("MODIFICATION")) {
          modificationRefunds.put(refund.modificationId(), refund);
          if (mods.stream().noneMatch(m -> m.id().equals(refund.modificationId()))) {
            violations.add("refund " + refund.id() + " names modification " + refund.modificationId() + " which is not one of order " + id);
          }
        }
      }
      for (ModificationRow m : mods) {
        // Paid when accepted: captured at or before the acceptance (at the same instant either order is
        // possible, so a refund may or may not be owed; strictly before, it is owed).
        java.sql.Timestamp captured = capturedAt.get(id);
        boolean cheaperAcceptance = m.state().equals("ACCEPTED") && m.totalAfter() < m.totalBefore();
        boolean mayOwe = cheaperAcceptance && captured != null && !captured.after(m.resolvedAt());
        boolean owes = cheaperAcceptance && captured != null && captured.before(m.resolvedAt());
        RefundRow refund = modificationRefunds.get(m.id());
        if (refund == null ? owes : !mayOwe) {
          violations.add("modification " + m.id() + " (" + m.state() + ", " + m.totalBefore() + " -> " + m.totalAfter() + ") has "
              + (refund == null ? "no" : "a") + " refund");
        } else if (refund != null && refund.amount() != m.totalBefore() - m.totalAfter()) {
          violations.add("modification " + m.id() + " refunded " + refund.amount() + " for a difference of " + (m.totalBefore() - m.totalAfter()));
        }
      }
      expect(history, id, "MODIFICATION_PROPOSED", mods.size());
      expect(history, id, "MODIFICATION_ACCEPTED", countModifications(mods, "ACCEPTED"));
      expect(history, id, "ORDER_MODIFIED", countModifications(mods, "ACCEPTED"));
      expect(history, id, "MODIFICATION_DECLINED", countModifications(mods, "DECLINED"));
      expect(history, id, "MODIFICATION_WITHDRAWN", countModifications(mods, "WITHDRAWN"));
      expect(history, id, "MODIFICATION_EXPIRED", countModifications(mods, "EXPIRED"));
      expect(history, id, "MODIFICATION_CANCELLED_WITH_ORDER", countModifications(mods, "CANCELLED_WITH_ORDER"));
    }

    private static int countModifications(List<ModificationRow> modifications, String state) {
      return (int) modifications.stream().filter(m -> m.state().equals(state)).count();
    }

    private void readDisputes() throws SQLException {
      query(
          "SELECT id, order_id, state, outcome, open_rank, open_order_id, refunded_minor, escalated_at IS NOT NULL FROM disputes",
          rs -> {
            DisputeRow row =
                new DisputeRow(
                    uuid(rs, 1), uuid(rs, 2), rs.getString(3), rs.getString(4), rs.getInt(5), uuid(rs, 6), (Long) rs.getObject(7, Long.class),
                    rs.getBoolean(8));
            disputesByOrder.computeIfAbsent(row.orderId(), k -> new ArrayList<>()).add(row);
            boolean open = !row.state().equals("RESOLVED") && !row.state().equals("WITHDRAWN");
            int rank = List.of("OPEN", "OFFERED", "REJECTED_BY_SELLER").contains(row.state()) ? 0 : row.state().equals("ESCALATED") ? 1 : 2;
            if (row.openRank() != rank || (open ? !row.orderId().equals(row.openOrderId()) : row.openOrderId() != null)) {
              violations.add("dispute " + row.id() + " is " + row.state() + " but its open markers say otherwise");
            }
            if (row.state().equals("RESOLVED") != (row.outcome() != null)) {
              violations.add("dispute " + row.id() + " is " + row.state() + " with outcome " + row.outcome());
            }
            if (row.refunded() != null && !row.state().equals("RESOLVED")) {
              violations.add("dispute " + row.id() + " is " + row.state() + " but records a refund");
            }
            if (row.refunded() != null
                && (row.outcome().equals("SUPPORT_NO_REFUND") || row.outcome().equals("SELLER_ACCEPTED_RETURN")
                    || row.outcome().equals("SUPPORT_RETURN_AND_REFUND") || row.refunded() <= 0)) {
              violations.add("dispute " + row.id() + " resolved " + row.outcome() + " records a refund of " + row.refunded());
            }
          });
    }

    /**
     * Disputes: at most one open (not RESOLVED or WITHDRAWN) per order; a dispute resolved with money
     * has exactly one DISPUTE refund, of the amount it records, and no other dispute has one; one
     * history entry per step.
     */
    private void checkDisputes(OrderRow order, List<RefundRow> refs, Map<String, Integer> history) {
      UUID id = order.id();
      List<DisputeRow> disputes = disputesByOrder.getOrDefault(id, List.of());
      long open = disputes.stream().filter(d -> !d.state().equals("RESOLVED") && !d.state().equals("WITHDRAWN")).count();
      if (open > 1) {
        violations.add("order " + id + " has " + open + " open disputes");
      }
      Map<UUID, RefundRow> disputeRefunds = new HashMap<>();
      for (RefundRow refund : refs) {
        if (refund.disputeId() != null) {
          disputeRefunds.put(refund.disputeId(), refund);
          if (disputes.stream().noneMatch(d -> d.id().equals(refund.disputeId()))) {
            violations.add("refund " + refund.id() + " names dispute " + refund.disputeId() + " which is not one of order " + id);
          }
        }
      }
      for (DisputeRow d : disputes) {
        RefundRow refund = disputeRefunds.get(d.id());
        if ((refund == null) != (d.refunded() == null)) {
          violations.add("dispute " + d.id() + " (" + d.state() + ", " + d.outcome() + ") records " + d.refunded() + " refunded but has "
              + (refund == null ? "no" : "a") + " refund");
        } else if (refund != null && refund.amount() != d.refunded()) {
          violations.add("dispute " + d.id() + " records " + d.refunded() + " refunded but its refund is " + refund.amount());
        }
      }
      expect(history, id, "DISPUTE_OPENED", disputes.size());
      expect(
          history, id, "DISPUTE_ACCEPTED_BY_SELLER",
          (int) disputes.stream().filter(d -> "SELLER_ACCEPTED".equals(d.outcome()) || "SELLER_ACCEPTED_RETURN".equals(d.outcome())).count());
      expect(history, id, "DISPUTE_OFFER_ACCEPTED", (int) disputes.stream().filter(d -> "OFFER_ACCEPTED".equals(d.outcome())).count());
      expect(
          history, id, "DISPUTE_RESOLVED_BY_SUPPORT",
          (int) disputes.stream().filter(d -> d.outcome() != null && d.outcome().startsWith("SUPPORT_")).count());
      expect(history, id, "DISPUTE_WITHDRAWN", (int) disputes.stream().filter(d -> d.state().equals("WITHDRAWN")).count());
      int escalations = history.getOrDefault("DISPUTE_ESCALATED", 0) + history.getOrDefault("DISPUTE_AUTO_ESCALATED", 0);
      int escalated = (int) disputes.stream().filter(DisputeRow::escalated).count();
      if (escalations != escalated) {
        violations.add("order " + id + " has " + escalations + " escalation entries for " + escalated + " escalated disputes");
      }
    }

    private void readSupportCases() throws SQLException {
      query(
          "SELECT id, order_id, kind, state, open_slot, action, refund_id, dispute_id, assignee IS NOT NULL FROM support_cases",
          rs -> {
            CaseRow row =
                new CaseRow(
                    uuid(rs, 1), uuid(rs, 2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), uuid(rs, 7), uuid(rs, 8),
                    rs.getBoolean(9));
            casesByOrder.computeIfAbsent(row.orderId(), k -> new ArrayList<>()).add(row);
            boolean resolved = row.state().equals("RESOLVED");
            if (resolved == (row.openSlot() != null) || resolved != (row.action() != null)) {
              violations.add("support case " + row.id() + " is " + row.state() + " with open slot " + row.openSlot() + " and action " + row.action());
            }
            if (row.kind().equals("ESCALATED_DISPUTE") != (row.disputeId() != null)) {
              violations.add("support case " + row.id() + " of kind " + row.kind() + " names dispute " + row.disputeId());
            }
          });
    }

    /**
     * Support cases: an escalated dispute has its one case, open exactly while the dispute is
     * ESCALATED; a REFUND case has its one SUPPORT refund; a forced cancellation cancelled the order
     * by support; one history entry per case opened and resolved.
     */
    private void checkSupportCases(OrderRow order, List<RefundRow> refs, Map<String, Integer> history) {
      UUID id = order.id();
      List<CaseRow> cases = casesByOrder.getOrDefault(id, List.of());
      for (DisputeRow dispute : disputesByOrder.getOrDefault(id, List.of())) {
        List<CaseRow> its = cases.stream().filter(c -> dispute.id().equals(c.disputeId())).toList();
        if (its.size() != (dispute.escalated() ? 1 : 0)) {
          violations.add("dispute " + dispute.id() + " (" + dispute.state() + ") has " + its.size() + " support cases");
        } else if (!its.isEmpty()) {
          CaseRow disputeCase = its.get(0);
          boolean shouldBeOpen = dispute.state().equals("ESCALATED");
          if (shouldBeOpen == disputeCase.state().equals("RESOLVED")
              || (!shouldBeOpen && !"DISPUTE_CLOSED".equals(disputeCase.action()))) {
            violations.add("support case " + disputeCase.id() + " is " + disputeCase.state() + " for dispute " + dispute.id() + " " + dispute.state());
          }
        }
      }
      for (CaseRow supportCase : cases) {
        List<RefundRow> its = refs.stream().filter(r -> supportCase.id().equals(r.supportCaseId())).toList();
        boolean refunds = "REFUND".equals(supportCase.action());
        if (its.size() != (refunds ? 1 : 0) || (refunds && !its.get(0).id().equals(supportCase.refundId()))) {
          violations.add("support case " + supportCase.id() + " (" + supportCase.action() + ") has " + its.size() + " SUPPORT refunds");
        }
        if ("FORCE_CANCELLATION".equals(supportCase.action()) && !(order.state().equals("CANCELLED") && "SUPPORT".equals(order.kind()))) {
          violations.add("support case " + supportCase.id() + " forced a cancellation but order " + id + " is " + order.state() + " (" + order.kind() + ")");
        }
      }
      for (RefundRow refund : refs) {
        if (refund.supportCaseId() != null && cases.stream().noneMatch(c -> c.id().equals(refund.supportCaseId()))) {
          violations.add("refund " + refund.id() + " names support case " + refund.supportCaseId() + " which is not one of order " + id);
        }
      }
      expect(history, id, "SUPPORT_CASE_OPENED", cases.size());
      expect(history, id, "SUPPORT_CASE_RESOLVED", (int) cases.stream().filter(c -> c.state().equals("RESOLVED")).count());
      int assigned = (int) cases.stream().filter(CaseRow::assigned).count();
      if (history.getOrDefault("SUPPORT_CASE_ASSIGNED", 0) < assigned) {
        violations.add("order " + id + " has " + assigned + " assigned support cases but fewer assignment entries");
      }
    }

    private void readHistory() throws SQLException {
      Map<UUID, long[]> sequence = new HashMap<>(); // [count, max, first event is ORDER_CREATED (1/0)]
      Map<UUID, String> lastState = new HashMap<>();
      Map<UUID, Long> lastPosition = new HashMap<>();
      query(
          "SELECT order_id, sequence_no, event_type, order_state, position FROM order_events ORDER BY order_id, sequence_no",
          rs -> {
            UUID order = uuid(rs, 1);
            long seq = rs.getLong(2);
            long position = rs.getLong(5);
            Long before = lastPosition.put(order, position);
            if (position < 1 || before != null && position <= before) {
              violations.add("order " + order + " history entry " + seq + " has feed position " + position + ", not above the entry before it (" + before + ")");
            }
            long[] s = sequence.computeIfAbsent(order, k -> new long[3]);
            s[0]++;
            if (seq != s[0]) {
              violations.add("order " + order + " history has a gap or repeat at sequence " + seq + " (expected " + s[0] + ")");
              s[0] = seq;
            }
            if (seq == 1 && rs.getString(3).equals("ORDER_CREATED")) {
              s[2] = 1;
            }
            s[1] = seq;
            lastState.put(order, rs.getString(4));
            eventCounts.computeIfAbsent(order, k -> new HashMap<>()).merge(rs.getString(3), 1, Integer::sum);
            events++;
          });
      for (OrderRow order : orders.values()) {
        long[] s = sequence.get(order.id());
        if (s == null) {
          violations.add("order " + order.id() + " has no history");
          continue;
        }
        if (s[2] != 1) {
          violations.add("order " + order.id() + " history does not start with ORDER_CREATED");
        }
        if (!order.state().equals(lastState.get(order.id()))) {
          violations.add("order " + order.id() + " is " + order.state() + " but its last history entry says " + lastState.get(order.id()));
        }
      }
      for (UUID order : sequence.keySet()) {
        if (!orders.containsKey(order)) {
          violations.add("history of unknown order " + order);
        }
      }
    }

    /** The counters carried on the order row agree with the rows they count. */
    private void readCounters() throws SQLException {
      query(
          "SELECT o.id, o.history_length, o.cancellation_requests_made,"
              + " (SELECT COUNT(*) FROM order_events e WHERE e.order_id = o.id),"
              + " (SELECT COUNT(*) FROM cancellation_requests r WHERE r.order_id = o.id) FROM orders o",
          rs -> {
            if (rs.getLong(2) != rs.getLong(4)) {
              violations.add("order " + uuid(rs, 1) + " counts " + rs.getLong(2) + " history entries but has " + rs.getLong(4));
            }
            if (rs.getLong(3) != rs.getLong(5)) {
              violations.add("order " + uuid(rs, 1) + " counts " + rs.getLong(3) + " cancellation requests but has " + rs.getLong(5));
            }
          });
    }

    /**
     * Conversations: each has its order's parties, counts exactly its messages, numbered 1..n without
     * gaps or repeats, its last activity is its last message's time, and no read marker is past its end.
     */
    private void readConversations() throws SQLException {
      query(
          "SELECT c.order_id, c.message_count, COUNT(m.id), COALESCE(MAX(m.sequence_no), 0), COUNT(DISTINCT m.sequence_no),"
              + " c.buyer_id = o.buyer_id AND c.seller_id = o.seller_id,"
              + " c.last_message_at = (SELECT m2.created_at FROM conversation_messages m2 WHERE m2.order_id = c.order_id"
              + " AND m2.sequence_no = c.message_count)"
              + " FROM conversations c JOIN orders o ON o.id = c.order_id"
              + " LEFT JOIN conversation_messages m ON m.order_id = c.order_id GROUP BY c.order_id, c.message_count, c.buyer_id,"
              + " c.seller_id, c.last_message_at, o.buyer_id, o.seller_id",
          rs -> {
            long count = rs.getLong(2);
            if (rs.getLong(3) != count || rs.getLong(4) != count || rs.getLong(5) != count) {
              violations.add("conversation of order " + uuid(rs, 1) + " counts " + count + " messages but has " + rs.getLong(3)
                  + " numbered up to " + rs.getLong(4));
            }
            if (!rs.getBoolean(6)) {
              violations.add("conversation of order " + uuid(rs, 1) + " names other parties than its order");
            }
            if (!rs.getBoolean(7)) {
              violations.add("conversation of order " + uuid(rs, 1) + " has a last activity other than its last message's time");
            }
          });
      query(
          "SELECT m.order_id, m.sender_role, m.sender_subject FROM conversation_messages m JOIN orders o ON o.id = m.order_id"
              + " WHERE NOT ((m.sender_role = 'BUYER' AND m.sender_subject = o.buyer_id)"
              + " OR (m.sender_role = 'SELLER' AND m.sender_subject = o.seller_id)"
              + " OR m.sender_role = 'SUPPORT'"
              + " OR (m.sender_role = 'SYSTEM' AND m.sender_subject = 'platform' AND m.language_code = 'en'))",
          rs -> violations.add("message of order " + uuid(rs, 1) + " from " + rs.getString(2) + " " + rs.getString(3) + ", not one of its parties"));
      query(
          "SELECT m.order_id FROM conversation_messages m LEFT JOIN conversations c ON c.order_id = m.order_id WHERE c.order_id IS NULL",
          rs -> violations.add("message of order " + uuid(rs, 1) + " without a conversation"));
      query(
          "SELECT r.order_id, r.last_read_sequence_no, c.message_count FROM conversation_reads r"
              + " LEFT JOIN conversations c ON c.order_id = r.order_id WHERE c.order_id IS NULL OR r.last_read_sequence_no > c.message_count",
          rs -> violations.add("read marker of order " + uuid(rs, 1) + " at " + rs.getLong(2) + " is past its conversation's end " + rs.getLong(3)));
    }

    private void checkOrder(OrderRow order) {
      UUID id = order.id();
      List<RequestRow> reqs = requestsByOrder.getOrDefault(id, List.of());
      List<RefundRow> refs = refundsByOrder.getOrDefault(id, List.of());
      Map<String, Integer> history = eventCounts.getOrDefault(id, Map.of());
      boolean cancelled = order.state().equals("CANCELLED");

      Long lines = lineTotals.get(id);
      if (lines == null || lines != order.total()) {
        violations.add("order " + id + " total " + order.total() + " differs from its lines " + lines);
      }
      long pending = reqs.stream().filter(r -> r.state().equals("PENDING")).count();
      if (pending > 1) {
        violations.add("order " + id + " has " + pending + " PENDING requests");
      }
      if (pending > 0 && !order.state().equals("AWAITING_SHIPMENT")) {
        violations.add("order " + id + " is " + order.state() + " with a PENDING request");
      }

      // A granted whole request cancels the order; a granted partial one (APPROVED or AUTO_APPROVED: support's
      // resolution cancels the whole order) cancels its units, and the order goes on.
      List<RequestRow> granted =
          reqs.stream().filter(r -> r.granted() && (!r.partial() || r.state().equals("RESOLVED_BY_SUPPORT"))).toList();
      if (granted.size() > 1) {
        violations.add("order " + id + " has " + granted.size() + " granted requests");
      }
      if (cancelled != order.cancelledColumns()) {
        violations.add("order " + id + " is " + order.state() + " but its cancellation columns are " + (order.cancelledColumns() ? "set" : "incomplete"));
      }
      if (cancelled) {
        checkHowCancelled(order, granted);
      } else if (!granted.isEmpty()) {
        violations.add("order " + id + " is " + order.state() + " though request " + granted.get(0).id() + " was " + granted.get(0).state());
      }

      // Money: what was captured is recorded with the payment; the refunds never exceed it, the row's
      // refunded sum is theirs, and a cancelled paid order has one cancellation refund of its (current)
      // total, so that all its refunds together return exactly what was captured.
      if (order.paid() != (order.captured() != null)) {
        violations.add("order " + id + (order.paid() ? " was paid but records no captured amount" : " records a capture but was not paid"));
      }
      long refundedSum = refs.stream().mapToLong(RefundRow::amount).sum();
      if (order.refunded() != refundedSum) {
        violations.add("order " + id + " records " + order.refunded() + " refunded but its refunds add up to " + refundedSum);
      }
      if (refundedSum > (order.captured() == null ? 0 : order.captured())) {
        violations.add("order " + id + " refunds " + refundedSum + ", more than the " + order.captured() + " captured");
      }
      List<RefundRow> cancellationRefunds = refs.stream().filter(r -> r.kind().equals("CANCELLATION")).toList();
      boolean owesRefund = cancelled && order.paid();
      if (cancellationRefunds.size() != (owesRefund ? 1 : 0)) {
        violations.add(
            "order " + id + " (" + order.state() + (order.paid() ? ", paid" : ", unpaid") + ") has " + cancellationRefunds.size() + " cancellation refunds");
      }
      if (owesRefund && refundedSum != order.captured()) {
        violations.add("cancelled order " + id + " refunded " + refundedSum + " of the " + order.captured() + " captured");
      }
      for (RefundRow refund : refs) {
        if (!refund.currency().equals(order.currency())) {
          violations.add("refund " + refund.id() + " is in " + refund.currency() + " for an order paid in " + order.currency());
        }
      }
      // A dispute's (or support's) refund before the cancellation leaves the order's total as it was: the cancellation
      // refunds the rest, so that all refunds together still return exactly what was captured.
      long disputeRefunded =
          refs.stream().filter(r -> r.kind().equals("DISPUTE") || r.kind().equals("SUPPORT")).mapToLong(RefundRow::amount).sum();
      for (RefundRow refund : cancellationRefunds) {
        if (refund.amount() != order.total() - disputeRefunded) {
          violations.add("refund " + refund.id() + " is " + refund.amount() + " " + refund.currency() + " for an order of " + order.total() + " " + order.currency());
        }
        if (!Objects.equals(refund.requestId(), order.requestId())) {
          violations.add("refund " + refund.id() + " names request " + refund.requestId() + " but order " + id + " was cancelled by " + order.requestId());
        }
      }

      checkPartialCancellations(order, reqs, refs, history, disputeRefunded);
      checkModifications(order, reqs, refs, history);
      checkDisputes(order, refs, history);
      checkSupportCases(order, refs, history);
      checkReturns(order, refs, history);

      // History: one entry per fact.
      expect(history, id, "ORDER_CREATED", 1);
      expect(history, id, "PAYMENT_CAPTURED", order.paid() ? 1 : 0);
      expect(history, id, "ORDER_CANCELLED", cancelled ? 1 : 0);
      expect(history, id, "REFUND_INITIATED", refs.size());
      expect(history, id, "REFUND_COMPLETED", (int) refs.stream().filter(r -> r.state().equals("COMPLETED")).count());
      expect(history, id, "REFUND_FAILED", (int) refs.stream().filter(r -> r.state().equals("FAILED")).count());
      expect(history, id, "CANCELLATION_REQUESTED", reqs.size());
      expect(history, id, "CANCELLATION_APPROVED", count(reqs, "APPROVED"));
      expect(history, id, "CANCELLATION_AUTO_APPROVED", count(reqs, "AUTO_APPROVED"));
      expect(history, id, "CANCELLATION_REJECTED", count(reqs, "REJECTED"));
      expect(history, id, "CANCELLATION_WITHDRAWN", count(reqs, "WITHDRAWN"));
      expect(history, id, "CANCELLATION_RESOLVED_BY_SUPPORT", count(reqs, "RESOLVED_BY_SUPPORT"));
      boolean shipped = order.state().equals("SHIPPED") || order.state().equals("DELIVERED");
      if (shipped && !order.shippedColumns()) {
        violations.add("order " + id + " is " + order.state() + " without carrier, tracking number and time");
      }
      expect(history, id, "ORDER_SHIPPED", order.shippedColumns() ? 1 : 0);
    }

    /**
     * Partial cancellations: every granted partial request (APPROVED or AUTO_APPROVED) has one
     * ORDER_PARTIALLY_CANCELLED entry and, on a paid order, one PARTIAL refund naming it of exactly the
     * share of its units (unit price x units; less only when a dispute's or support's refund left less to
     * refund); no PARTIAL refund without one; an entry without a request is an unpaid order's; and the
     * units the lines count cancelled are exactly those the entries cancelled.
     */
    private void checkPartialCancellations(
        OrderRow order, List<RequestRow> reqs, List<RefundRow> refs, Map<String, Integer> history, long disputeRefunded) {
      UUID id = order.id();
      List<RequestRow> grantedPartial =
          reqs.stream().filter(r -> r.partial() && (r.state().equals("APPROVED") || r.state().equals("AUTO_APPROVED"))).toList();
      List<PartialEventRow> entries = partialEvents.getOrDefault(id, List.of());
      Map<UUID, RefundRow> partialRefunds = new HashMap<>();
      for (RefundRow refund : refs) {
        if (refund.kind().equals("PARTIAL")) {
          partialRefunds.put(refund.requestId(), refund);
          if (grantedPartial.stream().noneMatch(r -> r.id().equals(refund.requestId()))) {
            violations.add("PARTIAL refund " + refund.id() + " names request " + refund.requestId() + ", not a granted partial request of order " + id);
          }
        }
      }
      Map<Integer, Long> prices = unitPrices.getOrDefault(id, Map.of());
      for (RequestRow request : grantedPartial) {
        long share = request.lines().entrySet().stream().mapToLong(e -> prices.getOrDefault(e.getKey(), 0L) * e.getValue()).sum();
        RefundRow refund = partialRefunds.get(request.id());
        if (order.paid() && refund == null && disputeRefunded == 0) {
          violations.add("partial request " + request.id() + " of paid order " + id + " was granted without a PARTIAL refund");
        }
        if (refund != null && (refund.amount() > share || (disputeRefunded == 0 && refund.amount() != share))) {
          violations.add("PARTIAL refund " + refund.id() + " is " + refund.amount() + " for units worth " + share);
        }
        long entriesForIt = entries.stream().filter(e -> request.id().toString().equals(e.requestId())).count();
        if (entriesForIt != 1) {
          violations.add("partial request " + request.id() + " was granted with " + entriesForIt + " ORDER_PARTIALLY_CANCELLED entries");
        }
      }
      long instant = entries.stream().filter(e -> e.requestId() == null).count();
      if (entries.stream().anyMatch(e -> e.requestId() == null && !"BUYER_CANCELLED_UNPAID".equals(e.kind()))) {
        violations.add("order " + id + " has an ORDER_PARTIALLY_CANCELLED entry without a request that is not an unpaid order's");
      }
      expect(history, id, "ORDER_PARTIALLY_CANCELLED", grantedPartial.size() + (int) instant);
      long units = entries.stream().mapToLong(PartialEventRow::units).sum();
      long counted = cancelledUnits.getOrDefault(id, 0L);
      if (units != counted) {
        violations.add("order " + id + " lines count " + counted + " cancelled units but its partial cancellations cancelled " + units);
      }
    }

    private void checkHowCancelled(OrderRow order, List<RequestRow> granted) {
      UUID id = order.id();
      String expectedRequestState =
          switch (order.kind()) {
            case "SELLER_APPROVED" -> "APPROVED";
            case "AUTO_APPROVED" -> "AUTO_APPROVED";
            case "SUPPORT" -> "RESOLVED_BY_SUPPORT";
            case "BUYER_CANCELLED_UNPAID" -> null;
            default -> {
              violations.add("order " + id + " has an unknown cancellation kind " + order.kind());
              yield null;
            }
          };
      if (order.kind().equals("BUYER_CANCELLED_UNPAID") && order.paid()) {
        violations.add("order " + id + " was cancelled as unpaid but its payment was captured");
      }
      if (order.requestId() == null) {
        if (!granted.isEmpty() || (expectedRequestState != null && !order.kind().equals("SUPPORT"))) {
          violations.add("order " + id + " cancelled as " + order.kind() + " names no request");
        }
        return;
      }
      RequestRow named = granted.stream().filter(r -> r.id().equals(order.requestId())).findFirst().orElse(null);
      if (named == null || !named.state().equals(expectedRequestState)) {
        violations.add(
            "order " + id + " cancelled as " + order.kind() + " by request " + order.requestId() + " which is "
                + (named == null ? "not a granted request of the order" : named.state()));
      }
    }

    private void readReturns() throws SQLException {
      query(
          "SELECT r.id, r.order_id, r.state, r.open_rank, r.open_order_id, r.due_at IS NOT NULL,"
              + " (r.state = 'REQUESTED' AND r.due_at <=> r.respond_by) OR (r.state = 'SHIPPED' AND r.due_at <=> r.receive_by)"
              + " OR (r.state NOT IN ('REQUESTED', 'SHIPPED') AND r.due_at IS NULL),"
              + " r.refunded_minor, r.share_minor,"
              + " (SELECT COALESCE(SUM(rl.quantity * ol.unit_price_minor), 0) FROM return_lines rl"
              + "   JOIN order_lines ol ON ol.order_id = r.order_id AND ol.line_no = rl.line_no WHERE rl.return_id = r.id),"
              + " r.dispute_id IS NOT NULL, r.decided_by_role, r.received_by_role, r.shipped_at IS NOT NULL FROM returns r",
          rs -> {
            ReturnRow row =
                new ReturnRow(
                    uuid(rs, 1), uuid(rs, 2), rs.getString(3), rs.getInt(4), uuid(rs, 5), rs.getBoolean(6), rs.getBoolean(7),
                    (Long) rs.getObject(8, Long.class), (Long) rs.getObject(9, Long.class), rs.getLong(10), rs.getBoolean(11), rs.getString(12),
                    rs.getString(13), rs.getBoolean(14));
            returnsByOrder.computeIfAbsent(row.orderId(), k -> new ArrayList<>()).add(row);
            boolean open = List.of("REQUESTED", "APPROVED", "SHIPPED").contains(row.state());
            if (open != (row.openRank() == 0) || open != row.orderId().equals(row.openOrderId()) || (!open && row.openOrderId() != null)) {
              violations.add("return " + row.id() + " is " + row.state() + " but its open markers say otherwise");
            }
            if (!row.dueAtRight()) {
              violations.add("return " + row.id() + " is " + row.state() + " but its deadline (due_at) is " + (row.dueAtSet() ? "another" : "not set"));
            }
            boolean received = row.state().equals("RECEIVED");
            if (received != (row.share() != null) || (!received && row.refunded() != null)) {
              violations.add("return " + row.id() + " is " + row.state() + " with share " + row.share() + " and refund " + row.refunded());
            }
            if (received && row.share() != row.linesShare()) {
              violations.add("return " + row.id() + " records a share of " + row.share() + " but its units cost " + row.linesShare());
            }
            if (received && row.refunded() != null && row.refunded() > row.share()) {
              violations.add("return " + row.id() + " refunded " + row.refunded() + ", more than its units' share " + row.share());
            }
          });
      query(
          "SELECT order_id, line_no, returned_quantity FROM order_lines WHERE returned_quantity > 0",
          rs -> returnedOnLines.computeIfAbsent(uuid(rs, 1), k -> new HashMap<>()).put(rs.getInt(2), rs.getInt(3)));
      query(
          "SELECT r.order_id, rl.line_no, SUM(rl.quantity) FROM returns r JOIN return_lines rl ON rl.return_id = r.id"
              + " WHERE r.state = 'RECEIVED' GROUP BY r.order_id, rl.line_no",
          rs -> returnedByReturns.computeIfAbsent(uuid(rs, 1), k -> new HashMap<>()).put(rs.getInt(2), rs.getInt(3)));
    }

    /**
     * Returns: one open per order; a RECEIVED one has exactly one RETURN refund of what it records (less
     * than its share only if the order is then refunded in full), no other has one; the lines'
     * returned units are the received returns'; one history entry per step.
     */
    private void checkReturns(OrderRow order, List<RefundRow> refs, Map<String, Integer> history) {
      UUID id = order.id();
      List<ReturnRow> returns = returnsByOrder.getOrDefault(id, List.of());
      long open = returns.stream().filter(r -> List.of("REQUESTED", "APPROVED", "SHIPPED").contains(r.state())).count();
      if (open > 1) {
        violations.add("order " + id + " has " + open + " open returns");
      }
      if (!returns.isEmpty() && !order.state().equals("DELIVERED")) {
        violations.add("order " + id + " is " + order.state() + " but has returns");
      }
      Map<UUID, RefundRow> returnRefunds = new HashMap<>();
      for (RefundRow refund : refs) {
        if (refund.returnId() != null) {
          returnRefunds.put(refund.returnId(), refund);
          if (returns.stream().noneMatch(r -> r.id().equals(refund.returnId()))) {
            violations.add("refund " + refund.id() + " names return " + refund.returnId() + " which is not one of order " + id);
          }
        }
      }
      for (ReturnRow r : returns) {
        RefundRow refund = returnRefunds.get(r.id());
        if ((refund != null) != (r.refunded() != null)) {
          violations.add("return " + r.id() + " (" + r.state() + ") records " + r.refunded() + " refunded but has " + (refund == null ? "no" : "a") + " refund");
        } else if (refund != null && refund.amount() != r.refunded()) {
          violations.add("return " + r.id() + " records " + r.refunded() + " refunded but its refund is " + refund.amount());
        }
        boolean shortOfShare = r.state().equals("RECEIVED") && (r.refunded() == null ? 0 : r.refunded()) < r.share();
        if (shortOfShare && (order.captured() == null || order.refunded() != order.captured())) {
          violations.add("return " + r.id() + " refunded less than its share " + r.share() + " though order " + id + " is not refunded in full");
        }
      }
      Map<Integer, Integer> onLines = returnedOnLines.getOrDefault(id, Map.of());
      Map<Integer, Integer> byReturns = returnedByReturns.getOrDefault(id, Map.of());
      if (!onLines.equals(byReturns)) {
        violations.add("order " + id + " lines record returned units " + onLines + " but its received returns took back " + byReturns);
      }
      int requested = (int) returns.stream().filter(r -> !r.fromDispute()).count();
      expect(history, id, "RETURN_REQUESTED", requested);
      expect(history, id, "RETURN_OPENED_BY_DISPUTE", returns.size() - requested);
      int returnOutcomes =
          (int) disputesByOrder.getOrDefault(id, List.of()).stream()
              .filter(d -> "SELLER_ACCEPTED_RETURN".equals(d.outcome()) || "SUPPORT_RETURN_AND_REFUND".equals(d.outcome()))
              .count();
      if (returnOutcomes != returns.size() - requested) {
        violations.add("order " + id + " has " + returnOutcomes + " disputes resolved with a return but " + (returns.size() - requested) + " returns they opened");
      }
      expect(
          history, id, "RETURN_APPROVED",
          (int) returns.stream().filter(r -> !r.fromDispute() && "SELLER".equals(r.decidedByRole()) && !r.state().equals("REJECTED")).count());
      expect(history, id, "RETURN_AUTO_APPROVED", (int) returns.stream().filter(r -> !r.fromDispute() && "SYSTEM".equals(r.decidedByRole())).count());
      expect(history, id, "RETURN_REJECTED", (int) returns.stream().filter(r -> r.state().equals("REJECTED")).count());
      expect(history, id, "RETURN_SHIPPED", (int) returns.stream().filter(ReturnRow::shipped).count());
      expect(history, id, "RETURN_RECEIVED", (int) returns.stream().filter(r -> r.state().equals("RECEIVED") && !"SYSTEM".equals(r.receivedByRole())).count());
      expect(history, id, "RETURN_AUTO_RECEIVED", (int) returns.stream().filter(r -> r.state().equals("RECEIVED") && "SYSTEM".equals(r.receivedByRole())).count());
      expect(history, id, "RETURN_WITHDRAWN", (int) returns.stream().filter(r -> r.state().equals("WITHDRAWN")).count());
    }

    private void expect(Map<String, Integer> history, UUID order, String type, int expected) {
      int actual = history.getOrDefault(type, 0);
      if (actual != expected) {
        violations.add("order " + order + " has " + actual + " " + type + " history entries, expected " + expected);
      }
    }

    private static int count(List<RequestRow> requests, String state) {
      return (int) requests.stream().filter(r -> r.state().equals(state)).count();
    }

    private interface RowReader {
      void read(ResultSet rs) throws SQLException;
    }

    private void query(String sql, RowReader reader) throws SQLException {
      try (PreparedStatement statement = c.prepareStatement(sql);
          ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          reader.read(rs);
        }
      }
    }

    private static UUID uuid(ResultSet rs, int column) throws SQLException {
      byte[] bytes = rs.getBytes(column);
      if (bytes == null) {
        return null;
      }
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      return new UUID(buffer.getLong(), buffer.getLong());
    }
  }
}
