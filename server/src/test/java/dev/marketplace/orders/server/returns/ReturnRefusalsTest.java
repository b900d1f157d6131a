package dev.marketplace.orders.server.returns;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.RejectReturnRequest;
import dev.marketplace.orders.v1.RequestReturnRequest;
import dev.marketplace.orders.v1.Return;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a return refuses, and how it says so. */
class ReturnRefusalsTest extends ReturnFixture {

  @Test
  void onlyADeliveredOrder_isReturned() {
    String buyer = unique("buyer");
    String seller = unique("seller");

    for (Order order : new Order[] {placed(buyer, seller), paid(buyer, seller), shipped(buyer, seller)}) {
      Errors refused = failure(() -> request(buyer, requestOf(order.getOrderId(), 1, 1)));
      assertThat(refused.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(refused.reason()).isEqualTo("ORDER_NOT_RETURNABLE");
      assertThat(refused.errorInfo().getMetadataMap()).containsEntry("orderState", order.getState().name());
    }
  }

  @Test
  void afterTheReturnWindow_theRefusalNamesItsEnd() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = delivered(buyer, seller);
    Instant deliveredAt = instant(order.getShipment().getDeliveryTime());

    server.clock.advance(Duration.ofDays(15));
    Errors late = failure(() -> request(buyer, requestOf(order.getOrderId(), 1, 1)));

    assertThat(late.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(late.reason()).isEqualTo("RETURN_WINDOW_CLOSED");
    assertThat(late.errorInfo().getMetadataMap()).containsEntry("windowEnd", deliveredAt.plus(Duration.ofDays(15)).toString());
  }

  @Test
  void linesAndQuantities_areChecked_everyProblemAtOnce() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = delivered(buyer, seller);

    Errors malformed =
        failure(
            () ->
                request(
                    buyer,
                    RequestReturnRequest.newBuilder()
                        .setRequestId(java.util.UUID.randomUUID().toString())
                        .setOrderId(order.getOrderId())
                        .addLines(RequestReturnRequest.Line.newBuilder().setLineIndex(-1).setQuantity(1))
                        .addLines(RequestReturnRequest.Line.newBuilder().setLineIndex(0).setQuantity(0))
                        .addEvidenceUris("http://insecure.example/x.jpg")));
    assertThat(malformed.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(malformed.violatedFields())
        .contains("lines[0].line_index", "lines[1].quantity", "reason", "description", "evidence_uris[0]");

    Errors duplicate =
        failure(() -> request(buyer, requestOf(order.getOrderId(), 0, 1).addLines(RequestReturnRequest.Line.newBuilder().setLineIndex(0).setQuantity(1))));
    assertThat(duplicate.violatedFields()).containsExactly("lines[1].line_index");

    Errors noSuchLine = failure(() -> request(buyer, requestOf(order.getOrderId(), 2, 1)));
    assertThat(noSuchLine.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(noSuchLine.violatedFields()).containsExactly("lines[0].line_index");

    Errors tooMany = failure(() -> request(buyer, requestOf(order.getOrderId(), 0, 3)));
    assertThat(tooMany.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(tooMany.reason()).isEqualTo("RETURN_EXCEEDS_REMAINING");
    assertThat(tooMany.errorInfo().getMetadataMap()).containsEntry("remainingQuantity", "2").containsEntry("requestedQuantity", "3");
    assertThat(count("SELECT COUNT(*) FROM returns WHERE buyer_id = ?", buyer)).isZero();
  }

  @Test
  void oneOpenReturnPerOrder() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = delivered(buyer, seller);
    Return open = request(buyer, requestOf(order.getOrderId(), 0, 1));

    Errors second = failure(() -> request(buyer, requestOf(order.getOrderId(), 1, 1)));

    assertThat(second.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(second.reason()).isEqualTo("RETURN_ALREADY_OPEN");
    assertThat(second.errorInfo().getMetadataMap()).containsEntry("returnId", open.getReturnId());
  }

  @Test
  void eachStepIsTheRightPartysOnly() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = delivered(buyer, seller);

    assertThat(failure(() -> server.returnsAs(seller, SELLER).requestReturn(requestOf(order.getOrderId(), 1, 1).build())).code())
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    Return requested = request(buyer, requestOf(order.getOrderId(), 1, 1));
    assertThat(failure(() -> server.returnsAs(buyer, BUYER).approveReturn(
                dev.marketplace.orders.v1.ApproveReturnRequest.newBuilder().setRequestId(java.util.UUID.randomUUID().toString()).setReturnId(requested.getReturnId()).build()))
            .code())
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(failure(() -> withdraw(unique("buyer"), requested.getReturnId())).code()).as("another buyer's return is not found").isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void stepsOutOfOrder_areStateConflicts() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Order order = delivered(buyer, seller);
    Return requested = request(buyer, requestOf(order.getOrderId(), 1, 1));

    Errors shipTooEarly = failure(() -> ship(buyer, requested.getReturnId()));
    assertThat(shipTooEarly.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(shipTooEarly.reason()).isEqualTo("RETURN_STATE_CONFLICT");
    assertThat(failure(() -> confirmReceived(seller, requested.getReturnId())).reason()).isEqualTo("RETURN_STATE_CONFLICT");
    approve(seller, requested.getReturnId());
    assertThat(failure(() -> reject(seller, requested.getReturnId())).reason()).isEqualTo("RETURN_STATE_CONFLICT");
    ship(buyer, requested.getReturnId());
    confirmReceived(seller, requested.getReturnId());
    assertThat(failure(() -> withdraw(buyer, requested.getReturnId())).reason()).as("received: too late to withdraw").isEqualTo("RETURN_STATE_CONFLICT");
    assertThat(returnRefunds(requested.getReturnId())).isEqualTo(1);
  }

  @Test
  void aRejectionNeedsANote_andAParcelACarrierAndATrackingNumber() {
    String buyer = unique("buyer");
    String seller = unique("seller");
    Return requested = request(buyer, requestOf(delivered(buyer, seller).getOrderId(), 1, 1));

    Errors noNote =
        failure(
            () ->
                server.returnsAs(seller, SELLER)
                    .rejectReturn(RejectReturnRequest.newBuilder().setRequestId(java.util.UUID.randomUUID().toString()).setReturnId(requested.getReturnId()).build()));
    assertThat(noNote.violatedFields()).containsExactly("note");
    approve(seller, requested.getReturnId());
    Errors noParcel =
        failure(
            () ->
                server.returnsAs(buyer, BUYER)
                    .recordReturnShipment(
                        dev.marketplace.orders.v1.RecordReturnShipmentRequest.newBuilder()
                            .setRequestId(java.util.UUID.randomUUID().toString())
                            .setReturnId(requested.getReturnId())
                            .build()));
    assertThat(noParcel.violatedFields()).containsExactlyInAnyOrder("carrier", "tracking_number");
  }
}
