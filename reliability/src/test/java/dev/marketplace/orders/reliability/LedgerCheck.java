package dev.marketplace.orders.reliability;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Compares what callers were told (the {@link Traffic.Ledger}) with what the database holds: every
 * acknowledged order exists exactly once and no other does, and each acknowledged step left its
 * mark - unpaid cancels are cancelled as such, approvals cancelled and refunded exactly once, and
 * each acknowledged message is in its order's conversation exactly once (a replayed send adds none);
 * a disputed rejection has exactly one dispute, refunded once, and the platform's two messages
 * (opened, accepted) in the order's conversation; a changed order whose buyer went to support has
 * exactly one support case, resolved with one SUPPORT refund, and the platform's two messages; a
 * partly cancelled order counts exactly the one cancelled unit (unpaid: the total less its price, no
 * refund; paid and approved: one PARTIAL refund of its price), and no other order counts any; a
 * returned order is delivered, with one unit returned, one RETURN refund and the platform's four
 * messages (requested, approved, shipped, received).
 */
final class LedgerCheck {

  private LedgerCheck() {}

  private record Row(
      String state,
      String kind,
      boolean paid,
      int refunds,
      int messages,
      int platformMessages,
      int disputeRefunds,
      int disputes,
      int supportRefunds,
      int supportCases,
      int partialRefunds,
      long partialRefunded,
      int cancelledUnits,
      long total,
      int returnRefunds,
      int receivedReturns,
      int returnedUnits) {}

  static List<String> violations(DataSource dataSource, String run, Traffic.Ledger ledger) throws SQLException {
    Map<String, Row> rows = new HashMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement select =
            c.prepareStatement(
                "SELECT o.id, o.state, o.cancellation_kind, o.payment_captured_at IS NOT NULL,"
                    + " (SELECT COUNT(*) FROM refunds r WHERE r.order_id = o.id),"
                    + " (SELECT COUNT(*) FROM conversation_messages m WHERE m.order_id = o.id AND m.sender_role <> 'SYSTEM'),"
                    + " (SELECT COUNT(*) FROM conversation_messages m WHERE m.order_id = o.id AND m.sender_role = 'SYSTEM'),"
                    + " (SELECT COUNT(*) FROM refunds r WHERE r.order_id = o.id AND r.kind = 'DISPUTE'),"
                    + " (SELECT COUNT(*) FROM disputes d WHERE d.order_id = o.id),"
                    + " (SELECT COUNT(*) FROM refunds r WHERE r.order_id = o.id AND r.kind = 'SUPPORT'),"
                    + " (SELECT COUNT(*) FROM support_cases s WHERE s.order_id = o.id),"
                    + " (SELECT COUNT(*) FROM refunds r WHERE r.order_id = o.id AND r.kind = 'PARTIAL'),"
                    + " (SELECT COALESCE(SUM(r.amount_minor), 0) FROM refunds r WHERE r.order_id = o.id AND r.kind = 'PARTIAL'),"
                    + " (SELECT COALESCE(SUM(l.cancelled_quantity), 0) FROM order_lines l WHERE l.order_id = o.id),"
                    + " o.total_minor,"
                    + " (SELECT COUNT(*) FROM refunds r WHERE r.order_id = o.id AND r.kind = 'RETURN'),"
                    + " (SELECT COUNT(*) FROM returns t WHERE t.order_id = o.id AND t.state = 'RECEIVED'),"
                    + " (SELECT COALESCE(SUM(l.returned_quantity), 0) FROM order_lines l WHERE l.order_id = o.id)"
                    + " FROM orders o WHERE o.buyer_id LIKE ?")) {
      select.setString(1, run + "-buyer-%");
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          ByteBuffer id = ByteBuffer.wrap(rs.getBytes(1));
          rows.put(new UUID(id.getLong(), id.getLong()).toString(), new Row(
                  rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getInt(5), rs.getInt(6), rs.getInt(7), rs.getInt(8), rs.getInt(9),
                  rs.getInt(10), rs.getInt(11), rs.getInt(12), rs.getLong(13), rs.getInt(14), rs.getLong(15), rs.getInt(16), rs.getInt(17),
                  rs.getInt(18)));
        }
      }
    }
    List<String> violations = new ArrayList<>(ledger.violations);
    Set<String> unacknowledged = new HashSet<>(rows.keySet());
    unacknowledged.removeAll(ledger.created);
    if (!unacknowledged.isEmpty()) {
      violations.add(unacknowledged.size() + " orders in the database that no caller was told about, e.g. " + unacknowledged.iterator().next());
    }
    for (String order : ledger.created) {
      if (!rows.containsKey(order)) {
        violations.add("acknowledged order " + order + " is not in the database");
      }
    }
    for (String order : ledger.cancelledUnpaid) {
      Row row = rows.get(order);
      if (row != null && !("CANCELLED".equals(row.state()) && "BUYER_CANCELLED_UNPAID".equals(row.kind()) && !row.paid() && row.refunds() == 0)) {
        violations.add("order " + order + " was acknowledged cancelled unpaid but is " + row);
      }
    }
    for (String order : ledger.paid) {
      Row row = rows.get(order);
      if (row != null && !row.paid()) {
        violations.add("order " + order + " was acknowledged paid but has no captured payment");
      }
    }
    for (String order : ledger.modified) {
      Row row = rows.get(order);
      int expectedRefunds = ledger.supportRefunded.contains(order) ? 2 : 1;
      if (row != null && !("AWAITING_SHIPMENT".equals(row.state()) && row.paid() && row.refunds() == expectedRefunds)) {
        violations.add("order " + order + " was acknowledged changed for less (one refund of the difference) but is " + row);
      }
    }
    for (String order : ledger.supportRefunded) {
      Row row = rows.get(order);
      if (row != null && !(row.supportCases() == 1 && row.supportRefunds() == 1 && row.platformMessages() == 2)) {
        violations.add("order " + order + " was acknowledged refunded by support (one case, one SUPPORT refund, two platform messages) but is " + row);
      }
    }
    for (String order : ledger.disputed) {
      Row row = rows.get(order);
      if (row != null
          && !("AWAITING_SHIPMENT".equals(row.state()) && row.paid() && row.refunds() == 1 && row.disputeRefunds() == 1 && row.disputes() == 1
              && row.platformMessages() == 2)) {
        violations.add("order " + order + " was acknowledged disputed and the dispute accepted (one dispute refund, two platform messages) but is " + row);
      }
    }
    for (String order : ledger.returned) {
      Row row = rows.get(order);
      if (row != null
          && !("DELIVERED".equals(row.state()) && row.paid() && row.refunds() == 1 && row.returnRefunds() == 1 && row.receivedReturns() == 1
              && row.returnedUnits() == 1 && row.platformMessages() == 4)) {
        violations.add(
            "order " + order + " was acknowledged returned one unit (one RETURN refund, one unit returned, four platform messages) but is " + row);
      }
    }
    for (String order : rows.keySet()) {
      Row row = rows.get(order);
      if (!ledger.returned.contains(order) && (row.receivedReturns() != 0 || row.returnRefunds() != 0 || row.returnedUnits() != 0)) {
        violations.add("order " + order + " was never returned but has " + row.receivedReturns() + " received returns and " + row.returnRefunds() + " return refunds");
      }
      if (!ledger.disputed.contains(order) && !ledger.supportRefunded.contains(order) && !ledger.returned.contains(order)
          && (row.disputes() != 0 || row.platformMessages() != 0)) {
        violations.add("order " + order + " was never disputed but has " + row.disputes() + " disputes and " + row.platformMessages() + " platform messages");
      }
      if (!ledger.supportRefunded.contains(order) && (row.supportCases() != 0 || row.supportRefunds() != 0)) {
        violations.add("order " + order + " never went to support but has " + row.supportCases() + " cases and " + row.supportRefunds() + " support refunds");
      }
    }
    for (String order : ledger.partlyCancelledUnpaid) {
      Row row = rows.get(order);
      if (row != null
          && !("AWAITING_PAYMENT".equals(row.state()) && !row.paid() && row.refunds() == 0 && row.cancelledUnits() == 1
              && row.total() == Traffic.TOTAL - Traffic.UNIT)) {
        violations.add("order " + order + " was acknowledged partly cancelled unpaid (one unit, the total less its price) but is " + row);
      }
    }
    for (String order : ledger.partlyApproved) {
      Row row = rows.get(order);
      if (row != null
          && !("AWAITING_SHIPMENT".equals(row.state()) && row.paid() && row.refunds() == 1 && row.partialRefunds() == 1
              && row.partialRefunded() == Traffic.UNIT && row.cancelledUnits() == 1)) {
        violations.add("order " + order + " was acknowledged partly cancelled by the seller (one unit, one PARTIAL refund of its price) but is " + row);
      }
    }
    for (String order : rows.keySet()) {
      Row row = rows.get(order);
      boolean partly = ledger.partlyCancelledUnpaid.contains(order) || ledger.partlyApproved.contains(order);
      if (!partly && (row.cancelledUnits() != 0 || row.partialRefunds() != 0)) {
        violations.add("order " + order + " was never partly cancelled but has " + row.cancelledUnits() + " cancelled units and " + row.partialRefunds() + " PARTIAL refunds");
      }
    }
    for (String order : ledger.approved) {
      Row row = rows.get(order);
      if (row != null && !("CANCELLED".equals(row.state()) && "SELLER_APPROVED".equals(row.kind()) && row.refunds() == 1)) {
        violations.add("order " + order + " was acknowledged approved but is " + row);
      }
    }
    for (String order : rows.keySet()) {
      int acknowledged = ledger.messages.getOrDefault(order, 0);
      int stored = rows.get(order).messages();
      if (stored != acknowledged) {
        violations.add("order " + order + " has " + stored + " messages, " + acknowledged + " acknowledged");
      }
    }
    return violations;
  }
}
