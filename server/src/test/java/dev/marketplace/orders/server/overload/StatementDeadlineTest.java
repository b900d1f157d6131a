package dev.marketplace.orders.server.overload;

import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.domain.access.Role.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.GetOrderRequest;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.RecordPaymentRequest.Outcome;
import io.grpc.Status.Code;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A call stuck behind a database lock gives its thread back at its deadline: the statement is stopped
 * by the database, not left waiting InnoDB's 50 seconds for a caller that has gone.
 */
class StatementDeadlineTest {

  @Test
  void aCallWaitingOnALockPastItsDeadline_releasesItsThread_andChangesNothing() throws Exception {
    try (GrpcTestServer server = new GrpcTestServer(1, 10)) { // one handler thread: a stuck call would block all
      var checkout = server.ordersAs("checkout", SERVICE, "orders.create");
      var payments = server.ordersAs("payments", SERVICE, "payments.record");
      Order locked = payments.recordPayment(Requests.payment(checkout.createOrder(Requests.create("buyer-a", "seller-1")).getOrderId(), Outcome.CAPTURED));
      Order other = checkout.createOrder(Requests.create("buyer-b", "seller-1"));
      var seller = server.ordersAs("seller-1", SELLER);

      try (Connection holder = server.dataSource().getConnection()) {
        holder.setAutoCommit(false);
        try (PreparedStatement lock = holder.prepareStatement("SELECT id FROM orders WHERE id = ? FOR UPDATE")) {
          lock.setBytes(1, bytes(UUID.fromString(locked.getOrderId())));
          lock.executeQuery().close();
        }

        Throwable late = catchThrowable(() -> seller.withDeadlineAfter(500, TimeUnit.MILLISECONDS).shipOrder(Requests.ship(locked.getOrderId())));
        assertThat(Errors.of(late).code()).isEqualTo(Code.DEADLINE_EXCEEDED);

        // The lock is still held; the only handler thread must nevertheless be free again.
        Order read = seller.withDeadlineAfter(5, TimeUnit.SECONDS).getOrder(GetOrderRequest.newBuilder().setOrderId(other.getOrderId()).build());
        assertThat(read.getOrderId()).isEqualTo(other.getOrderId());
        holder.rollback();
      }

      Order after = seller.getOrder(GetOrderRequest.newBuilder().setOrderId(locked.getOrderId()).build());
      assertThat(after.getState()).as("the stopped call changed nothing").isEqualTo(Order.State.AWAITING_SHIPMENT);
    }
  }

  private static byte[] bytes(UUID id) {
    return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
  }
}
