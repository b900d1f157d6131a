package dev.marketplace.orders.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.server.auth.AuthRules;
import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.CancelOrderRequest;
import dev.marketplace.orders.v1.CancellationReason;
import dev.marketplace.orders.v1.ListCancellationRequestsRequest;
import dev.marketplace.orders.v1.ListOrdersRequest;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.RecordPaymentRequest;
import io.grpc.Status.Code;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A caller who knows another party's id and varies it - trailing spaces, a tab, NUL, a no-break
 * space, another case - gets nothing of that party's: not their orders, not their cancellation
 * requests, not a replay of their idempotent responses. Found from outside: MariaDB's PAD SPACE
 * collations compared {@code 'buyer-1 '} equal to {@code 'buyer-1'} while Java compared exactly.
 */
class LookAlikeIdentityTest {

  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final String BUYER = "buyer-1-" + RUN;
  private static final String SELLER = "seller-1-" + RUN;

  private static GrpcTestServer server;
  private static String orderId;
  private static CancelOrderRequest buyersCancel;

  @BeforeAll
  static void buyerAsksToCancelAPaidOrder() throws Exception {
    server = new GrpcTestServer();
    orderId = server.ordersAs("checkout", Role.SERVICE, AuthRules.ORDERS_CREATE).createOrder(Requests.create(BUYER, SELLER)).getOrderId();
    server.ordersAs("payments", Role.SERVICE, AuthRules.PAYMENTS_RECORD)
        .recordPayment(Requests.payment(orderId, RecordPaymentRequest.Outcome.CAPTURED));
    buyersCancel =
        CancelOrderRequest.newBuilder()
            .setRequestId(Requests.newId())
            .setOrderId(orderId)
            .setReason(CancellationReason.Code.BETTER_PRICE_ELSEWHERE)
            .build();
    server.cancellationsAs(BUYER, Role.BUYER).cancelOrder(buyersCancel);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {" ", "   ", "\t", "\u0000", "\u00a0", "\u200b"})
  void aTokenForAPaddedId_isNotAuthenticated_andReadsOrReplaysNothing(String padding) {
    List<Throwable> refusals =
        List.of(
            catchThrowable(() -> server.ordersAs(BUYER + padding, Role.BUYER).listOrders(ListOrdersRequest.getDefaultInstance())),
            catchThrowable(
                () -> server.cancellationsAs(SELLER + padding, Role.SELLER).listCancellationRequests(ListCancellationRequestsRequest.getDefaultInstance())),
            // The buyer's own request id and body: once a replay of the buyer's stored response.
            catchThrowable(() -> server.cancellationsAs(BUYER + padding, Role.BUYER).cancelOrder(buyersCancel)));

    assertThat(refusals)
        .allSatisfy(
            thrown -> {
              Errors error = Errors.of(thrown);
              assertThat(error.code()).isEqualTo(Code.UNAUTHENTICATED);
              assertThat(error.reason()).isEqualTo("TOKEN_INVALID");
            });
  }

  @Test
  void aCaseVariantOfAnId_isAnotherParty_withNothingOfTheirs() {
    String buyerVariant = BUYER.toUpperCase();
    String sellerVariant = SELLER.toUpperCase();

    assertThat(server.ordersAs(buyerVariant, Role.BUYER).listOrders(ListOrdersRequest.getDefaultInstance()).getOrdersList()).isEmpty();
    assertThat(
            server.cancellationsAs(sellerVariant, Role.SELLER)
                .listCancellationRequests(ListCancellationRequestsRequest.getDefaultInstance())
                .getCancellationRequestsList())
        .isEmpty();
    Errors replay = Errors.of(catchThrowable(() -> server.cancellationsAs(buyerVariant, Role.BUYER).cancelOrder(buyersCancel)));
    assertThat(replay.code()).as("not a replay of the buyer's response: the order is not the variant's").isEqualTo(Code.NOT_FOUND);
  }

  @ParameterizedTest
  @ValueSource(strings = {" ", "\t", "\u0000", "\u00a0"})
  void paddedIdsInFilters_areInvalidArguments(String padding) {
    Errors buyerFilter =
        Errors.of(
            catchThrowable(
                () -> server.ordersAs("agent-1", Role.SUPPORT).listOrders(ListOrdersRequest.newBuilder().setBuyerId(BUYER + padding).build())));
    Errors sellerFilter =
        Errors.of(
            catchThrowable(
                () ->
                    server.ordersAs("svc", Role.SERVICE, AuthRules.ORDERS_READ)
                        .listOrders(ListOrdersRequest.newBuilder().setSellerId(padding + SELLER).build())));

    assertThat(buyerFilter.code()).isEqualTo(Code.INVALID_ARGUMENT);
    assertThat(buyerFilter.violatedFields()).containsExactly("buyer_id");
    assertThat(sellerFilter.code()).isEqualTo(Code.INVALID_ARGUMENT);
    assertThat(sellerFilter.violatedFields()).containsExactly("seller_id");
  }

  @Test
  void aCaseVariantInAFilter_findsOnlyThatParty() {
    List<Order> byVariant =
        server.ordersAs("agent-1", Role.SUPPORT).listOrders(ListOrdersRequest.newBuilder().setBuyerId(BUYER.toUpperCase()).build()).getOrdersList();
    List<Order> byBuyer =
        server.ordersAs("agent-1", Role.SUPPORT).listOrders(ListOrdersRequest.newBuilder().setBuyerId(BUYER).build()).getOrdersList();

    assertThat(byVariant).isEmpty();
    assertThat(byBuyer).extracting(Order::getOrderId).containsExactly(orderId);
  }

  @ParameterizedTest
  @ValueSource(strings = {"buyer-9 ", " buyer-9", "buyer-9\t", "buyer-9\u0000", "buyer-9\u00a0"})
  void checkoutCannotCreateAnOrderForAPaddedPartyId(String buyer) {
    Errors error =
        Errors.of(
            catchThrowable(
                () -> server.ordersAs("checkout", Role.SERVICE, AuthRules.ORDERS_CREATE).createOrder(Requests.create(buyer, SELLER))));

    assertThat(error.code()).isEqualTo(Code.INVALID_ARGUMENT);
    assertThat(error.violatedFields()).containsExactly("order.buyer_id");
  }
}
