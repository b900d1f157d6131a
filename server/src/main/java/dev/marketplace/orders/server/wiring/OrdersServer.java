package dev.marketplace.orders.server.wiring;

import com.google.common.util.concurrent.MoreExecutors;
import dev.marketplace.orders.server.api.CancellationGrpcService;
import dev.marketplace.orders.server.api.ConversationGrpcService;
import dev.marketplace.orders.server.api.DisputeGrpcService;
import dev.marketplace.orders.server.api.ReturnGrpcService;
import dev.marketplace.orders.server.api.SupportGrpcService;
import dev.marketplace.orders.server.api.ModificationGrpcService;
import dev.marketplace.orders.server.api.OrderGrpcService;
import dev.marketplace.orders.server.auth.AuthInterceptor;
import dev.marketplace.orders.server.error.ErrorMappingInterceptor;
import dev.marketplace.orders.server.error.RequestParsing;
import dev.marketplace.orders.server.overload.AdmissionControl;
import dev.marketplace.orders.v1.CancellationServiceGrpc;
import dev.marketplace.orders.v1.ConversationServiceGrpc;
import dev.marketplace.orders.v1.DisputeServiceGrpc;
import dev.marketplace.orders.v1.ReturnServiceGrpc;
import dev.marketplace.orders.v1.SupportServiceGrpc;
import dev.marketplace.orders.v1.ModificationServiceGrpc;
import dev.marketplace.orders.v1.OrderServiceGrpc;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Assembles the gRPC server from a {@link ServerBuilder} handed in (netty in production, in-process
 * in some tests): the business services, health, reflection (v1 and v1alpha, for every grpcurl),
 * and the interceptors - authentication first, then error mapping around the handlers.
 */
public final class OrdersServer {

  /** The services whose health follows the database. */
  public static final List<String> BUSINESS_SERVICES =
      List.of(
          OrderServiceGrpc.SERVICE_NAME,
          CancellationServiceGrpc.SERVICE_NAME,
          ConversationServiceGrpc.SERVICE_NAME,
          ModificationServiceGrpc.SERVICE_NAME,
          DisputeServiceGrpc.SERVICE_NAME,
          SupportServiceGrpc.SERVICE_NAME,
          ReturnServiceGrpc.SERVICE_NAME);

  private final OrderGrpcService orderService;
  private final CancellationGrpcService cancellationService;
  private final ConversationGrpcService conversationService;
  private final ModificationGrpcService modificationService;
  private final DisputeGrpcService disputeService;
  private final SupportGrpcService supportService;
  private final ReturnGrpcService returnService;
  private final AuthInterceptor auth;
  private final ErrorMappingInterceptor errorMapping;
  private final HealthStatusManager health;

  @Inject
  public OrdersServer(
      OrderGrpcService orderService,
      CancellationGrpcService cancellationService,
      ConversationGrpcService conversationService,
      ModificationGrpcService modificationService,
      DisputeGrpcService disputeService,
      SupportGrpcService supportService,
      ReturnGrpcService returnService,
      AuthInterceptor auth,
      ErrorMappingInterceptor errorMapping,
      HealthStatusManager health) {
    this.orderService = orderService;
    this.cancellationService = cancellationService;
    this.conversationService = conversationService;
    this.modificationService = modificationService;
    this.disputeService = disputeService;
    this.supportService = supportService;
    this.returnService = returnService;
    this.auth = auth;
    this.errorMapping = errorMapping;
    this.health = health;
  }

  /**
   * Handlers run on {@code handlers}, never on the transport's event loop; at most {@code maxInFlight}
   * calls are admitted to it at a time, the rest are refused at once (see {@link AdmissionControl}).
   */
  @SuppressWarnings("deprecation") // v1alpha reflection stays for grpcurl versions that only speak it
  public Server build(ServerBuilder<?> builder, Executor handlers, int maxInFlight) {
    AdmissionControl admission = new AdmissionControl(handlers, maxInFlight);
    return builder
        // Only gRPC's own method lookup and the refusal of calls over capacity run here.
        .executor(MoreExecutors.directExecutor())
        .callExecutor(admission)
        // Parsed inside the error mapping, so that a malformed request body is INVALID_ARGUMENT.
        .addService(RequestParsing.refusingMalformedRequests(orderService))
        .addService(RequestParsing.refusingMalformedRequests(cancellationService))
        .addService(RequestParsing.refusingMalformedRequests(conversationService))
        .addService(RequestParsing.refusingMalformedRequests(modificationService))
        .addService(RequestParsing.refusingMalformedRequests(disputeService))
        .addService(RequestParsing.refusingMalformedRequests(supportService))
        .addService(RequestParsing.refusingMalformedRequests(returnService))
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance())
        .addService(ProtoReflectionService.newInstance())
        // Global interceptors run in reverse order of addition: admission, auth, then error mapping.
        .intercept(errorMapping)
        .intercept(auth)
        .intercept(admission)
        .build();
  }

  public HealthStatusManager health() {
    return health;
  }
}
