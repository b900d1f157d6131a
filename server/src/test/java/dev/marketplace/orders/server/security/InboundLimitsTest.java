package dev.marketplace.orders.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.testing.TestDatabase;
import dev.marketplace.orders.server.OrdersApplication;
import dev.marketplace.orders.server.auth.TokenIssuer;
import dev.marketplace.orders.server.config.ServerConfig;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.CreateOrderRequest;
import dev.marketplace.orders.v1.ListOrdersRequest;
import dev.marketplace.orders.v1.OrderServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Oversized requests are refused by the transport, before authentication or any domain work. */
class InboundLimitsTest {

  @Test
  void oversizedMessagesAndHeaders_areRefusedBeforeReachingTheService() throws Exception {
    ServerConfig config =
        ServerConfig.from(
            Map.of(
                "ORDERS_PORT", "0",
                "ORDERS_BIND_ADDRESS", "127.0.0.1",
                "ORDERS_DB_URL", TestDatabase.createDatabase(),
                "ORDERS_DB_USER", TestDatabase.user(),
                "ORDERS_DB_PASSWORD", TestDatabase.password(),
                "ORDERS_AUTH_HS256_SECRET", GrpcTestServer.SECRET,
                "ORDERS_MAX_INBOUND_MESSAGE_SIZE", "65536",
                "ORDERS_MAX_INBOUND_METADATA_SIZE", "8192"));
    String token = new TokenIssuer(GrpcTestServer.SECRET, Clock.systemUTC()).issue("checkout", Role.SERVICE, List.of("orders.create"), Duration.ofHours(1));
    try (OrdersApplication app = OrdersApplication.start(config, Clock.systemUTC())) {
      ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", app.port()).usePlaintext().build();
      try {
        var checkout = OrderServiceGrpc.newBlockingStub(channel).withInterceptors(GrpcTestServer.bearer(token));
        CreateOrderRequest huge = Requests.create("buyer-huge", "seller-1");
        huge = huge.toBuilder().setOrder(huge.getOrder().toBuilder().setBuyerId("b".repeat(200_000))).build();
        CreateOrderRequest tooBig = huge;

        Status tooLarge = ((StatusRuntimeException) catchThrowable(() -> checkout.createOrder(tooBig))).getStatus();
        assertThat(tooLarge.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

        Metadata bulky = new Metadata();
        bulky.put(Metadata.Key.of("x-padding", Metadata.ASCII_STRING_MARSHALLER), "p".repeat(20_000));
        Throwable headers =
            catchThrowable(
                () ->
                    checkout.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bulky))
                        .listOrders(ListOrdersRequest.newBuilder().setBuyerId("b").build()));
        assertThat(((StatusRuntimeException) headers).getStatus().getCode()).isNotEqualTo(Status.Code.OK).isNotEqualTo(Status.Code.UNKNOWN);

        // The server is unharmed: a normal request still works on the same channel.
        assertThat(checkout.createOrder(Requests.create("buyer-normal", "seller-1")).getOrderId()).isNotEmpty();
      } finally {
        channel.shutdownNow();
      }
    }
  }
}
