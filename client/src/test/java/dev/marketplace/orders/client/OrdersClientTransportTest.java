package dev.marketplace.orders.client;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.v1.CreateOrderRequest;
import dev.marketplace.orders.v1.GetOrderRequest;
import dev.marketplace.orders.v1.Order;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The client's own channel against a scripted fake: what is retried, with which request_id, within which deadline. */
@Timeout(30)
class OrdersClientTransportTest {

  private static final CreateOrderRequest WITHOUT_REQUEST_ID =
      CreateOrderRequest.newBuilder().setOrder(Order.newBuilder().setBuyerId("b-1")).build();

  private FakeOrdersServer fake;

  @BeforeEach
  void startFake() throws IOException {
    fake = new FakeOrdersServer(InsecureServerCredentials.create());
  }

  @AfterEach
  void stopFake() throws InterruptedException {
    fake.close();
  }

  @Test
  void unavailableTwice_isRetriedWithTheSameRequestIdUntilItSucceeds() {
    fake.failNext(Status.Code.UNAVAILABLE, Status.Code.UNAVAILABLE);

    try (OrdersClient client = client().build()) {
      Order order = client.createOrder(WITHOUT_REQUEST_ID);

      List<String> attempts = fake.createOrderRequestIds();
      assertThat(attempts).hasSize(3).containsOnly(attempts.get(0));
      assertThat(UUID.fromString(attempts.get(0))).isNotNull();
      assertThat(order.getOrderId()).isEqualTo("order-for-" + attempts.get(0));
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Status.Code.class,
      names = {"INTERNAL", "FAILED_PRECONDITION", "ABORTED", "RESOURCE_EXHAUSTED", "DEADLINE_EXCEEDED", "UNKNOWN"})
  void otherFailures_areNotRetried(Status.Code code) {
    fake.failNext(code);

    try (OrdersClient client = client().build()) {
      OrdersException e = thrown(OrdersException.class, () -> client.createOrder(WITHOUT_REQUEST_ID));

      assertThat(e.code()).isEqualTo(code);
      assertThat(fake.createOrderRequestIds()).hasSize(1);
    }
  }

  @Test
  void alwaysUnavailable_givesUpAfterMaxAttempts() {
    fake.failNext(Status.Code.UNAVAILABLE, Status.Code.UNAVAILABLE, Status.Code.UNAVAILABLE, Status.Code.UNAVAILABLE);

    try (OrdersClient client = client().maxAttempts(3).build()) {
      UnavailableException e =
          thrown(UnavailableException.class, () -> client.createOrder(WITHOUT_REQUEST_ID));

      assertThat(e.isRetryable()).isTrue();
      assertThat(fake.createOrderRequestIds()).hasSize(3);
    }
  }

  @Test
  void defaultClient_makesFourAttempts() {
    fake.failNext(Status.Code.UNAVAILABLE, Status.Code.UNAVAILABLE, Status.Code.UNAVAILABLE, Status.Code.UNAVAILABLE);

    try (OrdersClient client = client().build()) {
      thrown(UnavailableException.class, () -> client.createOrder(WITHOUT_REQUEST_ID));

      assertThat(fake.createOrderRequestIds()).hasSize(4);
    }
  }

  @Test
  void maxAttemptsOne_disablesRetries() {
    fake.failNext(Status.Code.UNAVAILABLE);

    try (OrdersClient client = client().maxAttempts(1).build()) {
      thrown(UnavailableException.class, () -> client.createOrder(WITHOUT_REQUEST_ID));

      assertThat(fake.createOrderRequestIds()).hasSize(1);
    }
  }

  @Test
  void cancellationService_isRetriedToo() {
    fake.failNext(Status.Code.UNAVAILABLE);

    try (OrdersClient client = client().build()) {
      client.listCancellationReasons();

      assertThat(fake.cancellationAttempts()).isEqualTo(2);
    }
  }

  @Test
  void separateCalls_getSeparateRequestIds_andACallersRequestIdIsKept() {
    try (OrdersClient client = client().build()) {
      client.createOrder(WITHOUT_REQUEST_ID);
      client.createOrder(WITHOUT_REQUEST_ID);
      client.createOrder(WITHOUT_REQUEST_ID.toBuilder().setRequestId("caller-chosen").build());

      List<String> ids = fake.createOrderRequestIds();
      assertThat(ids.get(0)).isNotEmpty().isNotEqualTo(ids.get(1));
      assertThat(ids.get(2)).isEqualTo("caller-chosen");
    }
  }

  @Test
  void tokenSupplier_isAskedForEveryAttempt() {
    AtomicInteger issued = new AtomicInteger();
    fake.failNext(Status.Code.UNAVAILABLE);

    try (OrdersClient client = client().tokenSupplier(() -> "token-" + issued.incrementAndGet()).build()) {
      client.createOrder(WITHOUT_REQUEST_ID);
      client.listCancellationReasons();

      assertThat(fake.authorizations()).containsExactly("Bearer token-1", "Bearer token-2", "Bearer token-3");
    }
  }

  @Test
  void failingTokenSupplier_failsTheCallUnauthenticatedWithoutSendingIt() {
    try (OrdersClient client =
        client().tokenSupplier(() -> { throw new IllegalStateException("identity provider down"); }).build()) {
      UnauthenticatedException e =
          thrown(UnauthenticatedException.class, client::listCancellationReasons);

      assertThat(e).hasMessageContaining("identity provider down");
      assertThat(fake.cancellationAttempts()).isZero();
    }
  }

  @Test
  void defaultDeadline_endsACallTheServerNeverAnswers() {
    try (OrdersClient client = client().defaultDeadline(Duration.ofMillis(300)).build()) {
      long start = System.nanoTime();
      UnavailableException e =
          thrown(UnavailableException.class, () -> client.getOrder(FakeOrdersServer.NEVER_ANSWERS));
      Duration waited = Duration.ofNanos(System.nanoTime() - start);

      assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
      assertThat(waited).isBetween(Duration.ofMillis(250), Duration.ofSeconds(5));
    }
  }

  @Test
  void defaultDeadline_isMeasuredFromEachCall_notFromWhenTheClientWasBuilt() throws InterruptedException {
    try (OrdersClient client = client().defaultDeadline(Duration.ofMillis(500)).build()) {
      // Not a condition to wait for: more than one default deadline of real time passes on purpose.
      Thread.sleep(700);

      assertThat(client.getOrder("o-1").getOrderId()).isEqualTo("o-1");
      assertThat(client.orderService().getOrder(GetOrderRequest.newBuilder().setOrderId("o-2").build()).getOrderId())
          .isEqualTo("o-2");
    }
  }

  @Test
  void deadlineSetOnTheExposedStub_winsOverTheDefault() {
    try (OrdersClient client = client().defaultDeadline(Duration.ofMinutes(5)).build()) {
      StatusRuntimeException e =
          thrown(
              StatusRuntimeException.class,
              () ->
                  client
                      .orderService()
                      .withDeadlineAfter(200, TimeUnit.MILLISECONDS)
                      .getOrder(GetOrderRequest.newBuilder().setOrderId(FakeOrdersServer.NEVER_ANSWERS).build()));

      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    }
  }

  @Test
  void givenChannel_isUsedButNotShutDownByClose() {
    ManagedChannel channel =
        NettyChannelBuilder.forTarget(fake.target(), InsecureChannelCredentials.create()).build();
    try {
      try (OrdersClient client = OrdersClient.builder().channel(channel).tokenSupplier(() -> "t").build()) {
        assertThat(client.getOrder("o-1").getOrderId()).isEqualTo("o-1");
      }

      assertThat(channel.isShutdown()).isFalse();
      assertThat(fake.authorizations()).containsExactly("Bearer t");
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void closedClient_failsFurtherCalls() {
    OrdersClient client = client().build();
    client.close();

    OrdersException e = thrown(OrdersException.class, () -> client.getOrder("o-1"));

    assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  private OrdersClient.Builder client() {
    return OrdersClient.builder().target(fake.target()).plaintext();
  }
}
