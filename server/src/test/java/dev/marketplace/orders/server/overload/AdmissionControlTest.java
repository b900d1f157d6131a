package dev.marketplace.orders.server.overload;

import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.domain.access.Role.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.rpc.RetryInfo;
import dev.marketplace.orders.domain.testing.Await;
import dev.marketplace.orders.domain.testing.Rows;
import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.GetOrderRequest;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.OrderServiceGrpc;
import dev.marketplace.orders.v1.RecordPaymentRequest.Outcome;
import io.grpc.Status.Code;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One handler thread, room for two calls: the third is refused at once, and stale queued calls never start. */
class AdmissionControlTest {

  private static final Duration PATIENCE = Duration.ofSeconds(10);

  @Test
  void callsBeyondCapacity_areRefusedAtOnce_andQueuedCallsPastTheirDeadlineNeverStart() throws Exception {
    try (GrpcTestServer server = new GrpcTestServer(1, 2)) {
      var checkout = server.ordersAs("checkout", SERVICE, "orders.create");
      var payments = server.ordersAs("payments", SERVICE, "payments.record");
      Order blocked = checkout.createOrder(Requests.create("buyer-a", "seller-1"));
      payments.recordPayment(Requests.payment(blocked.getOrderId(), Outcome.CAPTURED));
      Order stale = checkout.createOrder(Requests.create("buyer-b", "seller-1"));
      payments.recordPayment(Requests.payment(stale.getOrderId(), Outcome.CAPTURED));
      var seller =
          OrderServiceGrpc.newFutureStub(server.channel())
              .withInterceptors(GrpcTestServer.bearer(server.token("seller-1", SELLER)));

      ListenableFuture<Order> first;
      ListenableFuture<Order> queued;
      try (Connection lock = server.dataSource().getConnection()) {
        lock.setAutoCommit(false);
        try (PreparedStatement select = lock.prepareStatement("SELECT id FROM orders WHERE id = ? FOR UPDATE")) {
          select.setBytes(1, bytes(UUID.fromString(blocked.getOrderId())));
          select.executeQuery().close();
        }
        first = seller.shipOrder(Requests.ship(blocked.getOrderId()));
        Await.until("the first ShipOrder, on the only handler thread, to wait for the row lock", PATIENCE, () -> Rows.lockWaits(server.dataSource()) == 1);
        queued = seller.withDeadlineAfter(400, TimeUnit.MILLISECONDS).shipOrder(Requests.ship(stale.getOrderId()));
        Await.until("the second ShipOrder to be admitted and queued behind the first", PATIENCE, () -> server.queuedHandlers() == 1);

        long started = System.nanoTime();
        Errors refused =
            Errors.of(
                catchThrowable(
                    () -> server.ordersAs("seller-1", SELLER).getOrder(GetOrderRequest.newBuilder().setOrderId(stale.getOrderId()).build())));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(refused.code()).isEqualTo(Code.RESOURCE_EXHAUSTED);
        assertThat(refused.reason()).isEqualTo("SERVER_OVERLOADED");
        assertThat(refused.detail(RetryInfo.class)).isPresent();
        assertThat(tookMillis).isLessThan(200);

        Await.until("the queued call's 400 ms deadline to pass while it waits", PATIENCE, queued::isDone);
        lock.rollback();
      }

      assertThat(first.get(10, TimeUnit.SECONDS).getState()).isEqualTo(Order.State.SHIPPED);
      Throwable expired = catchThrowable(() -> queued.get(10, TimeUnit.SECONDS));
      assertThat(expired).isInstanceOf(ExecutionException.class);
      assertThat(Errors.of(expired.getCause()).code()).isEqualTo(Code.DEADLINE_EXCEEDED);
      // The client gives up at its deadline; the server turns the queued call away when its turn
      // comes. Once the handler queue has drained, the stale order must still be unshipped.
      server.awaitQueuedHandlers();
      try (Connection read = server.dataSource().getConnection();
          PreparedStatement select = read.prepareStatement("SELECT state FROM orders WHERE id = ?")) {
        select.setBytes(1, bytes(UUID.fromString(stale.getOrderId())));
        try (var rows = select.executeQuery()) {
          assertThat(rows.next()).isTrue();
          assertThat(rows.getString(1)).isEqualTo("AWAITING_SHIPMENT");
        }
      }
    }
  }

  private static byte[] bytes(UUID id) {
    return java.nio.ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
  }
}
