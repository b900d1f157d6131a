package dev.marketplace.orders.client;

import com.google.protobuf.Message;
import dev.marketplace.orders.v1.AssignSupportCaseRequest;
import dev.marketplace.orders.v1.CancellationServiceGrpc;
import dev.marketplace.orders.v1.CreateOrderRequest;
import dev.marketplace.orders.v1.GetOrderRequest;
import dev.marketplace.orders.v1.GetSupportCaseRequest;
import dev.marketplace.orders.v1.ListCancellationReasonsRequest;
import dev.marketplace.orders.v1.ListCancellationReasonsResponse;
import dev.marketplace.orders.v1.ListSupportCasesRequest;
import dev.marketplace.orders.v1.ListSupportCasesResponse;
import dev.marketplace.orders.v1.OpenSupportCaseRequest;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.OrderServiceGrpc;
import dev.marketplace.orders.v1.ResolveSupportCaseRequest;
import dev.marketplace.orders.v1.SupportCase;
import dev.marketplace.orders.v1.SupportServiceGrpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in server on a local port for testing the client's transport behaviour (retries,
 * deadlines, credentials) through its own channel. Each attempt is recorded; scripted status codes
 * are answered in order, then calls succeed. {@code GetOrder} for order id {@value #NEVER_ANSWERS}
 * never answers. SupportService records every request and answers with a case echoing it, unless a
 * rich refusal was scripted with {@link #refuseNext(StatusRuntimeException)}.
 */
final class FakeOrdersServer implements AutoCloseable {

  static final String NEVER_ANSWERS = "never-answers";

  private final Deque<Status.Code> script = new ArrayDeque<>();
  private final List<String> requestIds = new ArrayList<>();
  private final List<String> authorizations = new ArrayList<>();
  private final Deque<StatusRuntimeException> refusals = new ArrayDeque<>();
  private final List<Message> supportRequests = new ArrayList<>();
  private final List<Message> returnRequests = new ArrayList<>();
  private int cancellationAttempts;
  private final Server server;

  FakeOrdersServer(ServerCredentials credentials) throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), credentials)
            .addService(ServerInterceptors.intercept(new Orders(), new RecordAuthorization()))
            .addService(ServerInterceptors.intercept(new Cancellations(), new RecordAuthorization()))
            .addService(ServerInterceptors.intercept(new Support(), new RecordAuthorization()))
            .addService(ServerInterceptors.intercept(new Returns(), new RecordAuthorization()))
            .build()
            .start();
  }

  String target() {
    return "127.0.0.1:" + server.getPort();
  }

  /** The next calls (of either service) fail with these codes, one per attempt. */
  synchronized void failNext(Status.Code... codes) {
    script.addAll(List.of(codes));
  }

  /** The next call fails with this status (rich details included), before any scripted code. */
  synchronized void refuseNext(StatusRuntimeException refusal) {
    refusals.add(refusal);
  }

  /** Every SupportService request (each attempt), in arrival order. */
  synchronized List<Message> supportRequests() {
    return List.copyOf(supportRequests);
  }

  /** Every ReturnService request (each attempt), in arrival order. */
  synchronized List<Message> returnRequests() {
    return List.copyOf(returnRequests);
  }

  /** The request_id of every CreateOrder attempt, in arrival order. */
  synchronized List<String> createOrderRequestIds() {
    return List.copyOf(requestIds);
  }

  synchronized int cancellationAttempts() {
    return cancellationAttempts;
  }

  /** The authorization header of every attempt ("" when absent). */
  synchronized List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  /** The scripted failure for this attempt, or null to succeed. */
  private synchronized Status.Code nextFailure() {
    return script.poll();
  }

  private synchronized StatusRuntimeException nextRefusal() {
    return refusals.poll();
  }

  private <T> void answer(StreamObserver<T> response, T message) {
    StatusRuntimeException refusal = nextRefusal();
    if (refusal != null) {
      response.onError(refusal);
      return;
    }
    Status.Code failure = nextFailure();
    if (failure != null) {
      response.onError(Status.fromCode(failure).withDescription("scripted " + failure).asRuntimeException());
    } else {
      response.onNext(message);
      response.onCompleted();
    }
  }

  private final class Orders extends OrderServiceGrpc.OrderServiceImplBase {
    @Override
    public void createOrder(CreateOrderRequest request, StreamObserver<Order> response) {
      synchronized (FakeOrdersServer.this) {
        requestIds.add(request.getRequestId());
      }
      answer(response, Order.newBuilder().setOrderId("order-for-" + request.getRequestId()).build());
    }

    @Override
    public void getOrder(GetOrderRequest request, StreamObserver<Order> response) {
      if (!request.getOrderId().equals(NEVER_ANSWERS)) {
        answer(response, Order.newBuilder().setOrderId(request.getOrderId()).build());
      }
    }
  }

  private final class Cancellations extends CancellationServiceGrpc.CancellationServiceImplBase {
    @Override
    public void listCancellationReasons(
        ListCancellationReasonsRequest request, StreamObserver<ListCancellationReasonsResponse> response) {
      synchronized (FakeOrdersServer.this) {
        cancellationAttempts++;
      }
      answer(response, ListCancellationReasonsResponse.getDefaultInstance());
    }
  }

  private final class Support extends SupportServiceGrpc.SupportServiceImplBase {
    @Override
    public void openSupportCase(OpenSupportCaseRequest request, StreamObserver<SupportCase> response) {
      record(request);
      answer(
          response,
          SupportCase.newBuilder()
              .setCaseId("case-for-" + request.getRequestId())
              .setOrderId(request.getOrderId())
              .setKind(request.getKind())
              .setState(SupportCase.State.OPEN)
              .build());
    }

    @Override
    public void getSupportCase(GetSupportCaseRequest request, StreamObserver<SupportCase> response) {
      record(request);
      answer(response, SupportCase.newBuilder().setCaseId(request.getCaseId()).setReference(request.getReference()).build());
    }

    @Override
    public void listSupportCases(ListSupportCasesRequest request, StreamObserver<ListSupportCasesResponse> response) {
      record(request);
      answer(
          response,
          ListSupportCasesResponse.newBuilder()
              .addSupportCases(SupportCase.newBuilder().setCaseId("case-1").setOrderId(request.getOrderId()))
              .build());
    }

    @Override
    public void assignSupportCase(AssignSupportCaseRequest request, StreamObserver<SupportCase> response) {
      record(request);
      answer(
          response,
          SupportCase.newBuilder()
              .setCaseId(request.getCaseId())
              .setState(SupportCase.State.ASSIGNED)
              .setAssignee(request.getAssignee())
              .build());
    }

    @Override
    public void resolveSupportCase(ResolveSupportCaseRequest request, StreamObserver<SupportCase> response) {
      record(request);
      answer(
          response,
          SupportCase.newBuilder()
              .setCaseId(request.getCaseId())
              .setState(SupportCase.State.RESOLVED)
              .setResolutionNote(request.getNote())
              .build());
    }

    private void record(Message request) {
      synchronized (FakeOrdersServer.this) {
        supportRequests.add(request);
      }
    }
  }

  /** Records every request and answers with a return echoing it. */
  private final class Returns extends dev.marketplace.orders.v1.ReturnServiceGrpc.ReturnServiceImplBase {
    @Override
    public void requestReturn(
        dev.marketplace.orders.v1.RequestReturnRequest request, StreamObserver<dev.marketplace.orders.v1.Return> response) {
      reply(request, response, echo("return-for-" + request.getRequestId(), dev.marketplace.orders.v1.Return.State.REQUESTED).setOrderId(request.getOrderId()));
    }

    @Override
    public void approveReturn(
        dev.marketplace.orders.v1.ApproveReturnRequest request, StreamObserver<dev.marketplace.orders.v1.Return> response) {
      reply(request, response, echo(request.getReturnId(), dev.marketplace.orders.v1.Return.State.APPROVED).setSellerNote(request.getNote()));
    }

    @Override
    public void rejectReturn(
        dev.marketplace.orders.v1.RejectReturnRequest request, StreamObserver<dev.marketplace.orders.v1.Return> response) {
      reply(
          request, response,
          echo(request.getReturnId(), dev.marketplace.orders.v1.Return.State.REJECTED)
              .setSellerNote(request.getNote())
              .setNextStep(dev.marketplace.orders.v1.Return.NextStep.OPEN_DISPUTE));
    }

    @Override
    public void recordReturnShipment(
        dev.marketplace.orders.v1.RecordReturnShipmentRequest request, StreamObserver<dev.marketplace.orders.v1.Return> response) {
      reply(
          request, response,
          echo(request.getReturnId(), dev.marketplace.orders.v1.Return.State.SHIPPED).setCarrier(request.getCarrier()).setTrackingNumber(request.getTrackingNumber()));
    }

    @Override
    public void confirmReturnReceived(
        dev.marketplace.orders.v1.ConfirmReturnReceivedRequest request, StreamObserver<dev.marketplace.orders.v1.Return> response) {
      reply(request, response, echo(request.getReturnId(), dev.marketplace.orders.v1.Return.State.RECEIVED));
    }

    @Override
    public void withdrawReturn(
        dev.marketplace.orders.v1.WithdrawReturnRequest request, StreamObserver<dev.marketplace.orders.v1.Return> response) {
      reply(request, response, echo(request.getReturnId(), dev.marketplace.orders.v1.Return.State.WITHDRAWN));
    }

    @Override
    public void getReturn(dev.marketplace.orders.v1.GetReturnRequest request, StreamObserver<dev.marketplace.orders.v1.Return> response) {
      reply(request, response, echo(request.getReturnId(), dev.marketplace.orders.v1.Return.State.REQUESTED));
    }

    @Override
    public void listReturns(
        dev.marketplace.orders.v1.ListReturnsRequest request, StreamObserver<dev.marketplace.orders.v1.ListReturnsResponse> response) {
      synchronized (FakeOrdersServer.this) {
        returnRequests.add(request);
      }
      answer(
          response,
          dev.marketplace.orders.v1.ListReturnsResponse.newBuilder()
              .addReturns(echo("return-1", dev.marketplace.orders.v1.Return.State.REQUESTED).setOrderId(request.getOrderId()))
              .build());
    }

    private dev.marketplace.orders.v1.Return.Builder echo(String returnId, dev.marketplace.orders.v1.Return.State state) {
      return dev.marketplace.orders.v1.Return.newBuilder().setReturnId(returnId).setState(state);
    }

    private void reply(Message request, StreamObserver<dev.marketplace.orders.v1.Return> response, dev.marketplace.orders.v1.Return.Builder answer) {
      synchronized (FakeOrdersServer.this) {
        returnRequests.add(request);
      }
      answer(response, answer.build());
    }
  }

  private final class RecordAuthorization implements ServerInterceptor {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
        ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
      String authorization = headers.get(BearerTokenCredentials.AUTHORIZATION);
      synchronized (FakeOrdersServer.this) {
        authorizations.add(authorization == null ? "" : authorization);
      }
      return next.startCall(call, headers);
    }
  }
}
