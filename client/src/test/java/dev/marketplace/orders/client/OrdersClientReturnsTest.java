package dev.marketplace.orders.client;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import dev.marketplace.orders.v1.ApproveReturnRequest;
import dev.marketplace.orders.v1.ConfirmReturnReceivedRequest;
import dev.marketplace.orders.v1.GetReturnRequest;
import dev.marketplace.orders.v1.ListReturnsRequest;
import dev.marketplace.orders.v1.ListReturnsResponse;
import dev.marketplace.orders.v1.RecordReturnShipmentRequest;
import dev.marketplace.orders.v1.RejectReturnRequest;
import dev.marketplace.orders.v1.RequestReturnRequest;
import dev.marketplace.orders.v1.Return;
import dev.marketplace.orders.v1.WithdrawReturnRequest;
import io.grpc.InsecureServerCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ReturnService methods of the client against the fake (the real server's ReturnService is tested
 * separately): which RPC each reaches, with which request_id and token, and the typed refusals.
 */
@Timeout(30)
class OrdersClientReturnsTest {

  private static final RequestReturnRequest REQUEST =
      RequestReturnRequest.newBuilder()
          .setOrderId("o-1")
          .addLines(RequestReturnRequest.Line.newBuilder().setLineIndex(0).setQuantity(1))
          .setReason(Return.Reason.DAMAGED)
          .setDescription("The case arrived cracked.")
          .build();

  private FakeOrdersServer fake;
  private OrdersClient client;

  @BeforeEach
  void start() throws IOException {
    fake = new FakeOrdersServer(InsecureServerCredentials.create());
    client = OrdersClient.builder().target(fake.target()).plaintext().tokenSupplier(() -> "buyer-token").build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    client.close();
    fake.close();
  }

  @Test
  void requestReturn_withoutRequestId_fillsOne_andSendsTheToken() {
    Return requested = client.requestReturn(REQUEST);

    RequestReturnRequest sent = (RequestReturnRequest) single(fake.returnRequests());
    assertThat(UUID.fromString(sent.getRequestId())).isNotNull();
    assertThat(sent.toBuilder().clearRequestId().build()).isEqualTo(REQUEST);
    assertThat(requested.getReturnId()).isEqualTo("return-for-" + sent.getRequestId());
    assertThat(fake.authorizations()).containsExactly("Bearer buyer-token");
  }

  @Test
  void everyStep_reachesItsRpc_withAFreshRequestIdEach() {
    client.approveReturn(ApproveReturnRequest.newBuilder().setReturnId("r-1").setNote("send it back").build());
    Return rejected = client.rejectReturn(RejectReturnRequest.newBuilder().setReturnId("r-2").setNote("used").build());
    client.recordReturnShipment(RecordReturnShipmentRequest.newBuilder().setReturnId("r-1").setCarrier("Cainiao").setTrackingNumber("LP1").build());
    Return received = client.confirmReturnReceived(ConfirmReturnReceivedRequest.newBuilder().setReturnId("r-1").build());
    client.withdrawReturn(WithdrawReturnRequest.newBuilder().setReturnId("r-3").build());

    assertThat(fake.returnRequests())
        .extracting(r -> r.getClass().getSimpleName())
        .containsExactly(
            "ApproveReturnRequest", "RejectReturnRequest", "RecordReturnShipmentRequest", "ConfirmReturnReceivedRequest", "WithdrawReturnRequest");
    List<String> ids =
        fake.returnRequests().stream().map(r -> (String) r.getField(r.getDescriptorForType().findFieldByName("request_id"))).toList();
    assertThat(ids).hasSize(5).doesNotHaveDuplicates().allSatisfy(id -> assertThat(UUID.fromString(id)).isNotNull());
    assertThat(rejected.getNextStep()).isEqualTo(Return.NextStep.OPEN_DISPUTE);
    assertThat(received.getState()).isEqualTo(Return.State.RECEIVED);
  }

  @Test
  void aRequestId_isKept_andReadsAreSentAsGiven() {
    RequestReturnRequest request = REQUEST.toBuilder().setRequestId("rid-1").build();
    ListReturnsRequest list = ListReturnsRequest.newBuilder().addStates(Return.State.SHIPPED).setOrderId("o-1").setPageSize(5).build();

    client.requestReturn(request);
    Return one = client.getReturn("r-9");
    ListReturnsResponse page = client.listReturns(list);

    assertThat(fake.returnRequests()).containsExactly(request, GetReturnRequest.newBuilder().setReturnId("r-9").build(), list);
    assertThat(one.getReturnId()).isEqualTo("r-9");
    assertThat(page.getReturnsList()).extracting(Return::getOrderId).containsExactly("o-1");
  }

  @Test
  void unavailable_isRetriedWithTheSameRequestId() {
    fake.failNext(Status.Code.UNAVAILABLE, Status.Code.UNAVAILABLE);

    client.requestReturn(REQUEST);

    List<String> ids = fake.returnRequests().stream().map(r -> ((RequestReturnRequest) r).getRequestId()).toList();
    assertThat(ids).hasSize(3).containsOnly(ids.get(0));
  }

  @Test
  void aSecondOpenReturn_isReturnNotAllowed_namingTheOpenOne() {
    fake.refuseNext(refusal(Code.FAILED_PRECONDITION, "RETURN_ALREADY_OPEN", Map.of("returnId", "r-1", "returnState", "SHIPPED", "orderId", "o-1")));

    ReturnNotAllowedException e = thrown(ReturnNotAllowedException.class, () -> client.requestReturn(REQUEST));

    assertThat(e.reason()).isEqualTo("RETURN_ALREADY_OPEN");
    assertThat(e.returnId()).contains("r-1");
    assertThat(e.returnState()).contains("SHIPPED");
    assertThat(e.isRetryable()).isFalse();
  }

  @Test
  void tooManyUnitsAndAClosedWindow_areReturnNotAllowed_withTheirFacts() {
    fake.refuseNext(refusal(Code.FAILED_PRECONDITION, "RETURN_EXCEEDS_REMAINING", Map.of("remainingQuantity", "2", "requestedQuantity", "3")));
    fake.refuseNext(refusal(Code.FAILED_PRECONDITION, "RETURN_WINDOW_CLOSED", Map.of("windowEnd", "2026-01-16T00:00:00Z")));

    ReturnNotAllowedException tooMany = thrown(ReturnNotAllowedException.class, () -> client.requestReturn(REQUEST));
    ReturnNotAllowedException late = thrown(ReturnNotAllowedException.class, () -> client.requestReturn(REQUEST));

    assertThat(tooMany.remainingQuantity()).contains(2);
    assertThat(late.windowEnd()).contains("2026-01-16T00:00:00Z");
  }

  @Test
  void anUnknownReturn_isNotFound() {
    fake.refuseNext(refusal(Code.NOT_FOUND, "RETURN_NOT_FOUND", Map.of("returnId", "r-0")));

    NotFoundException e = thrown(NotFoundException.class, () -> client.getReturn("r-0"));

    assertThat(e.reason()).isEqualTo("RETURN_NOT_FOUND");
  }

  private static <T> T single(List<T> items) {
    assertThat(items).hasSize(1);
    return items.get(0);
  }

  private static StatusRuntimeException refusal(Code code, String reason, Map<String, String> metadata) {
    return StatusProto.toStatusRuntimeException(
        com.google.rpc.Status.newBuilder()
            .setCode(code.getNumber())
            .setMessage("refused")
            .addDetails(Any.pack(ErrorInfo.newBuilder().setReason(reason).setDomain("orders.marketplace.dev").putAllMetadata(metadata).build()))
            .build());
  }
}
