package dev.marketplace.orders.server.api;

import dev.marketplace.orders.domain.cancellation.CancellationReason;
import dev.marketplace.orders.v1.CancellationServiceGrpc;
import dev.marketplace.orders.v1.ListCancellationReasonsRequest;
import dev.marketplace.orders.v1.ListCancellationReasonsResponse;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;

/** {@code orders.v1.CancellationService}. This slice serves the reason catalogue for cancel dialogs. */
public final class CancellationGrpcService extends CancellationServiceGrpc.CancellationServiceImplBase {

  private static final ListCancellationReasonsResponse REASONS = reasons();

  @Inject
  public CancellationGrpcService() {}

  @Override
  public void listCancellationReasons(
      ListCancellationReasonsRequest request, StreamObserver<ListCancellationReasonsResponse> response) {
    response.onNext(REASONS);
    response.onCompleted();
  }

  private static ListCancellationReasonsResponse reasons() {
    ListCancellationReasonsResponse.Builder reasons = ListCancellationReasonsResponse.newBuilder();
    for (CancellationReason reason : CancellationReason.values()) {
      reasons.addReasons(
          dev.marketplace.orders.v1.CancellationReason.newBuilder()
              .setCode(dev.marketplace.orders.v1.CancellationReason.Code.valueOf(reason.name()))
              .setDisplayLabel(reason.displayLabel())
              .setExplanationRequired(reason.explanationRequired()));
    }
    return reasons.build();
  }
}
