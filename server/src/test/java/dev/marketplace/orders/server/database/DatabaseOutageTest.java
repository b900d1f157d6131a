package dev.marketplace.orders.server.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.cancellation.CancellationSettings;
import dev.marketplace.orders.domain.persistence.DatabaseMigrations;
import dev.marketplace.orders.domain.testing.Await;
import dev.marketplace.orders.domain.testing.TcpProxy;
import dev.marketplace.orders.domain.testing.TestDatabase;
import dev.marketplace.orders.server.auth.TokenIssuer;
import dev.marketplace.orders.server.jobs.DatabaseHealth;
import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.server.wiring.OrdersModule;
import dev.marketplace.orders.server.wiring.OrdersServer;
import dev.marketplace.orders.v1.GetOrderRequest;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.OrderServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status.Code;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** The database goes away and comes back under a running server. */
class DatabaseOutageTest {

  @Test
  void whileTheDatabaseIsUnreachable_callsAreUnavailableAndHealthNotServing_thenServiceResumes() throws Exception {
    String url = TestDatabase.createDatabase();
    URI address = URI.create(url.substring("jdbc:".length()));
    ExecutorService handlers = Executors.newFixedThreadPool(4);
    try (TcpProxy proxy = new TcpProxy(address.getHost(), address.getPort());
        HikariDataSource dataSource =
            DataSources.pool(
                "jdbc:mysql://127.0.0.1:" + proxy.port() + address.getPath(), TestDatabase.user(), TestDatabase.password(), 4)) {
      DatabaseMigrations.migrate(dataSource);
      Injector injector = Guice.createInjector(new OrdersModule(dataSource, Clock.systemUTC(), GrpcTestServer.SECRET, CancellationSettings.defaults()));
      OrdersServer ordersServer = injector.getInstance(OrdersServer.class);
      String name = InProcessServerBuilder.generateName();
      Server server = ordersServer.build(InProcessServerBuilder.forName(name), handlers, 100).start();
      ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
      DatabaseHealth health = new DatabaseHealth(dataSource, ordersServer.health(), OrdersServer.BUSINESS_SERVICES);
      TokenIssuer tokens = new TokenIssuer(GrpcTestServer.SECRET, Clock.systemUTC());
      var checkout =
          OrderServiceGrpc.newBlockingStub(channel)
              .withInterceptors(GrpcTestServer.bearer(tokens.issue("checkout", Role.SERVICE, List.of("orders.create"), Duration.ofHours(1))));
      var support =
          OrderServiceGrpc.newBlockingStub(channel)
              .withInterceptors(GrpcTestServer.bearer(tokens.issue("agent", Role.SUPPORT, List.of(), Duration.ofHours(1))));
      var healthStub = HealthGrpc.newBlockingStub(channel);
      try {
        Order order = checkout.createOrder(Requests.create("buyer-outage", "seller-1"));
        assertThat(health.check()).isTrue();
        assertThat(healthStub.check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);

        proxy.cut();
        long started = System.nanoTime();
        Errors error =
            Errors.of(catchThrowable(() -> support.getOrder(GetOrderRequest.newBuilder().setOrderId(order.getOrderId()).build())));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(error.code()).isEqualTo(Code.UNAVAILABLE);
        assertThat(error.reason()).isEqualTo("STORAGE_UNAVAILABLE");
        assertThat(error.status().getMessage()).doesNotContainIgnoringCase("jdbc").doesNotContain("Exception");
        assertThat(took).isLessThan(Duration.ofSeconds(10));
        assertThat(health.check()).isFalse();
        assertThat(healthStub.check(HealthCheckRequest.newBuilder().setService("orders.v1.OrderService").build()).getStatus())
            .isEqualTo(ServingStatus.NOT_SERVING);

        proxy.restore();
        Await.until("the database health check to pass again", Duration.ofSeconds(20), health::check);
        assertThat(healthStub.check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
        assertThat(support.getOrder(GetOrderRequest.newBuilder().setOrderId(order.getOrderId()).build())).isEqualTo(order);
      } finally {
        health.close();
        channel.shutdownNow();
        server.shutdownNow();
        handlers.shutdownNow();
      }
    }
  }
}
