package dev.marketplace.orders.server.api;

import dev.marketplace.orders.v1.CancellationReason;
import dev.marketplace.orders.v1.CancellationServiceGrpc;
import dev.marketplace.orders.v1.ListCancellationReasonsRequest;
import dev.marketplace.orders.v1.ListCancellationReasonsResponse;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;

/** {@code orders.v1.CancellationService}. This slice serves the reason catalogue for cancel dialogs. */
public final class CancellationGrpcService extends CancellationServiceGrpc.CancellationServiceImplBase {

  private static final ListCancellationReasonsResponse REASONS =
      ListCancellationReasonsResponse.newBuilder()
          .addReasons(reason(CancellationReason.Code.ORDERED_BY_ACCIDENT, "Accidentally placed the order", false))
          .addReasons(reason(CancellationReason.Code.BETTER_PRICE_ELSEWHERE, "Found the same item elsewhere for a better price", false))
          .addReasons(reason(CancellationReason.Code.WRONG_ITEM_OR_SIZE, "Ordered the wrong item or size", false))
          .addReasons(reason(CancellationReason.Code.CHANGE_DELIVERY_ADDRESS, "Need to change the delivery address", false))
          .addReasons(
              reason(
                  CancellationReason.Code.SELLER_POOR_REVIEWS_OR_SLOW_SHIPPING,
                  "Seller has poor reviews or long shipping times",
                  false))
          .addReasons(reason(CancellationReason.Code.OTHER, "Other (please explain)", true))
          .build();

  @Inject
  public CancellationGrpcService() {}

  @Override
  public void listCancellationReasons(
      ListCancellationReasonsRequest request, StreamObserver<ListCancellationReasonsResponse> response) {
    response.onNext(REASONS);
    response.onCompleted();
  }

  private static CancellationReason reason(CancellationReason.Code code, String label, boolean explanationRequired) {
    return CancellationReason.newBuilder()
        .setCode(code)
        .setDisplayLabel(label)
        .setExplanationRequired(explanationRequired)
        .build();
  }
}
