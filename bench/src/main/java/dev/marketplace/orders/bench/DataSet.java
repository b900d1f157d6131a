package dev.marketplace.orders.bench;

import java.time.Instant;
import javax.sql.DataSource;

/**
 * Seeds the benchmark database directly with SQL, fast enough for a million orders: rows exactly as
 * the service itself writes them (so that it can read and act on them), in bulk.
 *
 * <p>Identities: marketplace buyers are {@code buyer-%06d} and sellers {@code seller-%04d}; workload
 * pools use their own buyers, {@code <prefix>-buyer-%04d}, each with the seller
 * {@code <prefix>-seller-%04d} of the same number.
 */
final class DataSet {

  private final DataSource dataSource;
  private final Instant now;

  DataSet(DataSource dataSource, Instant now) {
    this.dataSource = dataSource;
    this.now = now;
  }

  /**
   * Adds {@code orders} orders spread over {@code buyers} buyers and {@code sellers} sellers, in every
   * state (AWAITING_PAYMENT, PAYMENT_PROCESSING, AWAITING_SHIPMENT, SHIPPED, DELIVERED, CANCELLED -
   * cancelled ones both unpaid and refunded), created over the last 90 days, with their lines and the
   * history entries their state implies. Returns the number of orders in the database afterwards.
   */
  long seedMarketplace(long orders, int buyers, int sellers) {
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * Adds, for each of {@code buyers} pool buyers {@code <prefix>-buyer-%04d}, {@code perBuyer} orders
   * in {@code state} (AWAITING_PAYMENT: placed, unpaid; AWAITING_SHIPMENT: paid by card), created
   * before {@code now}.
   */
  void seedPool(String prefix, int buyers, int perBuyer, String state) {
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * Adds {@code count} paid orders of buyers {@code <prefix>-buyer-%04d} each with a PENDING
   * cancellation request due at {@code respondBy}.
   */
  void seedPendingRequests(String prefix, int count, Instant respondBy) {
    throw new UnsupportedOperationException("not yet");
  }
}
