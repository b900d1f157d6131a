package dev.marketplace.orders.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.testing.TestDatabase;
import dev.marketplace.orders.server.auth.TokenIssuer;
import dev.marketplace.orders.server.config.ServerConfig;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.domain.testing.TcpProxy;
import dev.marketplace.orders.v1.GetOrderRequest;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.OrderServiceGrpc;
import dev.marketplace.orders.v1.OrderServiceGrpc.OrderServiceBlockingStub;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Maximum connection age on the real netty server: the server retires a client's connection with a
 * GOAWAY once it is old, and the client's channel reconnects under its calls without failing any -
 * which is what lets a load balancer move long-lived clients onto new replicas.
 */
class ConnectionAgeTest {

  @Test
  void agedConnectionsAreClosedByTheServer_andTheClientReconnects_withoutAFailedCall() throws Exception {
    Map<String, String> settings = new HashMap<>();
    settings.put("ORDERS_PORT", "0");
    settings.put("ORDERS_BIND_ADDRESS", "127.0.0.1");
    settings.put("ORDERS_DB_URL", TestDatabase.createDatabase());
    settings.put("ORDERS_DB_USER", TestDatabase.user());
    settings.put("ORDERS_DB_PASSWORD", TestDatabase.password());
    settings.put("ORDERS_AUTH_HS256_SECRET", GrpcTestServer.SECRET);
    settings.put("ORDERS_MAX_CONNECTION_AGE", "PT1S"); // gRPC's smallest
    settings.put("ORDERS_MAX_CONNECTION_AGE_GRACE", "PT1S");
    TokenIssuer tokens = new TokenIssuer(GrpcTestServer.SECRET, Clock.systemUTC());

    try (OrdersApplication app = OrdersApplication.start(ServerConfig.from(settings), Clock.systemUTC());
        TcpProxy proxy = new TcpProxy("127.0.0.1", app.port())) {
      ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", proxy.port()).usePlaintext().build();
      try {
        OrderServiceBlockingStub checkout =
            OrderServiceGrpc.newBlockingStub(channel)
                .withInterceptors(GrpcTestServer.bearer(tokens.issue("checkout", Role.SERVICE, List.of("orders.create"), Duration.ofHours(1))));
        OrderServiceBlockingStub buyer =
            OrderServiceGrpc.newBlockingStub(channel)
                .withInterceptors(GrpcTestServer.bearer(tokens.issue("buyer-aged", Role.BUYER, List.of(), Duration.ofHours(1))));
        Order order = checkout.withDeadlineAfter(5, TimeUnit.SECONDS).createOrder(Requests.create("buyer-aged", "seller-1"));
        GetOrderRequest get = GetOrderRequest.newBuilder().setOrderId(order.getOrderId()).build();

        int calls = 0;
        List<StatusRuntimeException> failures = new ArrayList<>();
        long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        while (System.nanoTime() < until) {
          try {
            assertThat(buyer.withDeadlineAfter(5, TimeUnit.SECONDS).getOrder(get).getOrderId()).isEqualTo(order.getOrderId());
          } catch (StatusRuntimeException e) {
            failures.add(e);
          }
          calls++;
        }

        assertThat(failures).as("of %d calls", calls).isEmpty();
        assertThat(calls).isGreaterThan(20);
        assertThat(proxy.connectionsForwarded()).as("connections the client opened").isGreaterThanOrEqualTo(2);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
