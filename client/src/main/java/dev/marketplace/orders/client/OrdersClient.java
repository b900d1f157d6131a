package dev.marketplace.orders.client;

import dev.marketplace.orders.v1.AcceptDisputeOfferRequest;
import dev.marketplace.orders.v1.AcceptModificationRequest;
import dev.marketplace.orders.v1.AssignSupportCaseRequest;
import dev.marketplace.orders.v1.ApproveCancellationRequestRequest;
import dev.marketplace.orders.v1.CancelOrderRequest;
import dev.marketplace.orders.v1.CancelOrderResponse;
import dev.marketplace.orders.v1.CancellationEligibility;
import dev.marketplace.orders.v1.CancellationRequest;
import dev.marketplace.orders.v1.CancellationServiceGrpc;
import dev.marketplace.orders.v1.CancellationServiceGrpc.CancellationServiceBlockingStub;
import dev.marketplace.orders.v1.CheckCancellationEligibilityRequest;
import dev.marketplace.orders.v1.ConfirmDeliveryRequest;
import dev.marketplace.orders.v1.Conversation;
import dev.marketplace.orders.v1.ConversationServiceGrpc;
import dev.marketplace.orders.v1.ConversationServiceGrpc.ConversationServiceBlockingStub;
import dev.marketplace.orders.v1.CreateOrderRequest;
import dev.marketplace.orders.v1.DeclineModificationRequest;
import dev.marketplace.orders.v1.Dispute;
import dev.marketplace.orders.v1.DisputeServiceGrpc;
import dev.marketplace.orders.v1.DisputeServiceGrpc.DisputeServiceBlockingStub;
import dev.marketplace.orders.v1.EscalateDisputeRequest;
import dev.marketplace.orders.v1.ForceCancelOrderRequest;
import dev.marketplace.orders.v1.GetCancellationRequestRequest;
import dev.marketplace.orders.v1.GetDisputeRequest;
import dev.marketplace.orders.v1.GetModificationRequest;
import dev.marketplace.orders.v1.GetOrderRequest;
import dev.marketplace.orders.v1.GetSupportCaseRequest;
import dev.marketplace.orders.v1.ListCancellationReasonsRequest;
import dev.marketplace.orders.v1.ListCancellationReasonsResponse;
import dev.marketplace.orders.v1.ListCancellationRequestsRequest;
import dev.marketplace.orders.v1.ListCancellationRequestsResponse;
import dev.marketplace.orders.v1.ListConversationsRequest;
import dev.marketplace.orders.v1.ListConversationsResponse;
import dev.marketplace.orders.v1.ListDisputesRequest;
import dev.marketplace.orders.v1.ListDisputesResponse;
import dev.marketplace.orders.v1.ListMessagesRequest;
import dev.marketplace.orders.v1.ListMessagesResponse;
import dev.marketplace.orders.v1.ListModificationsRequest;
import dev.marketplace.orders.v1.ListModificationsResponse;
import dev.marketplace.orders.v1.ListOrderEventsRequest;
import dev.marketplace.orders.v1.ListOrderEventsResponse;
import dev.marketplace.orders.v1.ListOrdersRequest;
import dev.marketplace.orders.v1.ListOrdersResponse;
import dev.marketplace.orders.v1.ListSupportCasesRequest;
import dev.marketplace.orders.v1.ListSupportCasesResponse;
import dev.marketplace.orders.v1.MarkConversationReadRequest;
import dev.marketplace.orders.v1.Modification;
import dev.marketplace.orders.v1.ModificationServiceGrpc;
import dev.marketplace.orders.v1.ModificationServiceGrpc.ModificationServiceBlockingStub;
import dev.marketplace.orders.v1.OpenDisputeRequest;
import dev.marketplace.orders.v1.OpenSupportCaseRequest;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.OrderServiceGrpc;
import dev.marketplace.orders.v1.OrderServiceGrpc.OrderServiceBlockingStub;
import dev.marketplace.orders.v1.OrderServiceGrpc.OrderServiceStub;
import dev.marketplace.orders.v1.ProposeModificationRequest;
import dev.marketplace.orders.v1.RecordPaymentRequest;
import dev.marketplace.orders.v1.RecordRefundResultRequest;
import dev.marketplace.orders.v1.Refund;
import dev.marketplace.orders.v1.RejectCancellationRequestRequest;
import dev.marketplace.orders.v1.ResolveDisputeRequest;
import dev.marketplace.orders.v1.ResolveSupportCaseRequest;
import dev.marketplace.orders.v1.RespondToDisputeRequest;
import dev.marketplace.orders.v1.SendMessageRequest;
import dev.marketplace.orders.v1.ShipOrderRequest;
import dev.marketplace.orders.v1.SupportCase;
import dev.marketplace.orders.v1.SupportServiceGrpc;
import dev.marketplace.orders.v1.ApproveReturnRequest;
import dev.marketplace.orders.v1.ConfirmReturnReceivedRequest;
import dev.marketplace.orders.v1.GetReturnRequest;
import dev.marketplace.orders.v1.ListReturnsRequest;
import dev.marketplace.orders.v1.ListReturnsResponse;
import dev.marketplace.orders.v1.RecordReturnShipmentRequest;
import dev.marketplace.orders.v1.RejectReturnRequest;
import dev.marketplace.orders.v1.RequestReturnRequest;
import dev.marketplace.orders.v1.Return;
import dev.marketplace.orders.v1.ReturnServiceGrpc;
import dev.marketplace.orders.v1.ReturnServiceGrpc.ReturnServiceBlockingStub;
import dev.marketplace.orders.v1.WithdrawReturnRequest;
import dev.marketplace.orders.v1.SupportServiceGrpc.SupportServiceBlockingStub;
import dev.marketplace.orders.v1.WithdrawCancellationRequestRequest;
import dev.marketplace.orders.v1.WithdrawDisputeRequest;
import dev.marketplace.orders.v1.WithdrawModificationRequest;
import dev.marketplace.orders.v1.WatchOrderEventsRequest;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A blocking client for {@code orders.v1.OrderService}, {@code orders.v1.CancellationService},
 * {@code orders.v1.ModificationService}, {@code orders.v1.DisputeService}, {@code
 * orders.v1.SupportService} and {@code orders.v1.ReturnService}.
 *
 * <pre>{@code
 * try (OrdersClient orders = OrdersClient.builder()
 *     .target("orders.internal:50051")
 *     .tokenSupplier(tokens::current)
 *     .build()) {
 *   Order order = orders.createOrder(CreateOrderRequest.newBuilder().setOrder(draft).build());
 * }
 * }</pre>
 *
 * <p>Every call gets the default deadline unless it carries its own. Calls that fail with
 * UNAVAILABLE are retried by gRPC (up to {@code maxAttempts} in all, exponential backoff from 0.1 s to
 * 2 s); nothing else is retried. Mutations are safe to retry because each logical call carries one
 * {@code request_id}: the caller's, or a fresh random UUID when the caller left it empty. To retry a
 * mutation yourself after an error, set {@code request_id} yourself and resend it unchanged.
 *
 * <p>Failures are thrown as {@link OrdersException} subclasses. Thread-safe; share one instance.
 */
public final class OrdersClient implements AutoCloseable {

  private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

  private final ManagedChannel ownedChannel;
  private final OrderServiceBlockingStub orders;
  private final CancellationServiceBlockingStub cancellations;
  private final ModificationServiceBlockingStub modifications;
  private final DisputeServiceBlockingStub disputes;
  private final SupportServiceBlockingStub supportCases;
  private final ReturnServiceBlockingStub returns;
  private final OrderServiceStub watches;
  private final Duration watchBackoffInitial;
  private final Duration watchBackoffMax;
  private final Set<OrderEventSubscription> subscriptions = ConcurrentHashMap.newKeySet();

  private OrdersClient(Channel channel, ManagedChannel ownedChannel, Supplier<String> tokens, Duration deadline, Builder settings) {
    this.ownedChannel = ownedChannel;
    this.watchBackoffInitial = settings.watchBackoffInitial;
    this.watchBackoffMax = settings.watchBackoffMax;
    Channel withDeadline = ClientInterceptors.intercept(channel, new DefaultDeadlineInterceptor(deadline));
    OrderServiceBlockingStub orderStub = OrderServiceGrpc.newBlockingStub(withDeadline);
    CancellationServiceBlockingStub cancellationStub = CancellationServiceGrpc.newBlockingStub(withDeadline);
    ModificationServiceBlockingStub modificationStub = ModificationServiceGrpc.newBlockingStub(withDeadline);
    DisputeServiceBlockingStub disputeStub = DisputeServiceGrpc.newBlockingStub(withDeadline);
    SupportServiceBlockingStub supportStub = SupportServiceGrpc.newBlockingStub(withDeadline);
    ReturnServiceBlockingStub returnStub = ReturnServiceGrpc.newBlockingStub(withDeadline);
    OrderServiceStub watchStub = OrderServiceGrpc.newStub(withDeadline);
    if (tokens != null) {
      BearerTokenCredentials credentials = new BearerTokenCredentials(tokens);
      orderStub = orderStub.withCallCredentials(credentials);
      cancellationStub = cancellationStub.withCallCredentials(credentials);
      modificationStub = modificationStub.withCallCredentials(credentials);
      disputeStub = disputeStub.withCallCredentials(credentials);
      supportStub = supportStub.withCallCredentials(credentials);
      returnStub = returnStub.withCallCredentials(credentials);
      watchStub = watchStub.withCallCredentials(credentials);
    }
    this.watches = watchStub;
    this.orders = orderStub;
    this.cancellations = cancellationStub;
    this.modifications = modificationStub;
    this.disputes = disputeStub;
    this.supportCases = supportStub;
    this.returns = returnStub;
  }

  /** Starts configuring a client. */
  public static Builder builder() {
    return new Builder();
  }

  /** Creates an order in AWAITING_PAYMENT. Fills {@code request_id} if empty. */
  public Order createOrder(CreateOrderRequest request) {
    CreateOrderRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> orders.createOrder(identified));
  }

  /** Returns one order. */
  public Order getOrder(String orderId) {
    GetOrderRequest request = GetOrderRequest.newBuilder().setOrderId(orderId).build();
    return call(() -> orders.getOrder(request));
  }

  /** Lists orders newest first, one page. */
  public ListOrdersResponse listOrders(ListOrdersRequest request) {
    Objects.requireNonNull(request, "request");
    return call(() -> orders.listOrders(request));
  }

  /** Records payment progress. Fills {@code request_id} if empty. */
  public Order recordPayment(RecordPaymentRequest request) {
    RecordPaymentRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> orders.recordPayment(identified));
  }

  /** Marks a paid order SHIPPED. Fills {@code request_id} if empty. */
  public Order shipOrder(ShipOrderRequest request) {
    ShipOrderRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> orders.shipOrder(identified));
  }

  /** Marks a shipped order DELIVERED. Fills {@code request_id} if empty. */
  public Order confirmDelivery(ConfirmDeliveryRequest request) {
    ConfirmDeliveryRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> orders.confirmDelivery(identified));
  }

  /** Lists an order's history oldest first, one page. */
  public ListOrderEventsResponse listOrderEvents(ListOrderEventsRequest request) {
    Objects.requireNonNull(request, "request");
    return call(() -> orders.listOrderEvents(request));
  }

  /**
   * Follows order events as they commit, calling {@code handler} for each, in position order, on a
   * thread of the subscription's own; returns at once. {@code request} says which orders ({@code
   * scope}, {@code order_id}), which types, and where to start: {@code resume_token} empty for "from
   * now", {@code "0"} for the whole history, or a token from {@link
   * OrderEventSubscription#lastResumeToken()} to go on where an earlier subscription stopped.
   *
   * <p>The stream has no deadline. Whenever it ends for a reason retrying can fix - the connection
   * dropped, the server stopping or restarting (UNAVAILABLE), too many streams open
   * (RESOURCE_EXHAUSTED STREAM_LIMIT_REACHED: at least the server's RetryInfo delay is waited), the
   * handler too slow for the server's buffer (CONSUMER_TOO_SLOW: at once), or the server ending it -
   * it is reopened after a capped exponential backoff with jitter ({@link
   * Builder#watchReconnectBackoff}), from the resume token of the last event or heartbeat the handler
   * finished with. So the handler sees every event exactly once, in order, across reconnects. Every
   * stream opens with a heartbeat carrying where it starts, so a subscription started "from now" holds
   * a token from its first moment. A stream the server ends because the token it was opened with
   * expired (UNAUTHENTICATED, TOKEN_EXPIRED) is reopened at once with a fresh token from the
   * credentials.
   *
   * <p>A refusal that retrying cannot fix (INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED,
   * UNAUTHENTICATED when opening, ...) is given to {@link OrderEventHandler#onError} and the subscription stops.
   *
   * <pre>{@code
   * OrderEventSubscription watch = orders.watchOrderEvents(
   *     WatchOrderEventsRequest.newBuilder()
   *         .setScope(WatchOrderEventsRequest.Scope.MY_ORDERS)
   *         .setResumeToken(store.lastToken())   // "" the first time: from now
   *         .build(),
   *     event -> push.notify(event.getOrderId(), event.getType()));
   * ...
   * store.save(watch.lastResumeToken());
   * watch.close();
   * }</pre>
   */
  public OrderEventSubscription watchOrderEvents(WatchOrderEventsRequest request, OrderEventHandler handler) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(handler, "handler");
    ReconnectBackoff backoff = new ReconnectBackoff(watchBackoffInitial, watchBackoffMax, () -> ThreadLocalRandom.current().nextDouble());
    OrderEventSubscription subscription = OrderEventSubscription.start(watches, request, handler, backoff, subscriptions::remove);
    subscriptions.add(subscription);
    if (!subscription.isActive()) { // it stopped before it was added
      subscriptions.remove(subscription);
    }
    return subscription;
  }

  /** What a cancel would do now for this order (read-only). */
  public CancellationEligibility checkCancellationEligibility(String orderId) {
    CheckCancellationEligibilityRequest request = CheckCancellationEligibilityRequest.newBuilder().setOrderId(orderId).build();
    return call(() -> cancellations.checkCancellationEligibility(request));
  }

  /**
   * Cancels an order or asks its seller to, by the marketplace rules. Fills {@code request_id} if
   * empty. A refusal by the rules is a {@link CancellationNotAllowedException}.
   */
  public CancelOrderResponse cancelOrder(CancelOrderRequest request) {
    CancelOrderRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> cancellations.cancelOrder(identified));
  }

  /** Returns one cancellation request. */
  public CancellationRequest getCancellationRequest(String cancellationRequestId) {
    GetCancellationRequestRequest request =
        GetCancellationRequestRequest.newBuilder().setCancellationRequestId(cancellationRequestId).build();
    return call(() -> cancellations.getCancellationRequest(request));
  }

  /** Lists cancellation requests, PENDING first by deadline; one page. */
  public ListCancellationRequestsResponse listCancellationRequests(ListCancellationRequestsRequest request) {
    Objects.requireNonNull(request, "request");
    return call(() -> cancellations.listCancellationRequests(request));
  }

  /** The seller approves: the order is cancelled and refunded. Fills {@code request_id} if empty. */
  public CancellationRequest approveCancellationRequest(ApproveCancellationRequestRequest request) {
    ApproveCancellationRequestRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> cancellations.approveCancellationRequest(identified));
  }

  /** The seller rejects. Fills {@code request_id} if empty. */
  public CancellationRequest rejectCancellationRequest(RejectCancellationRequestRequest request) {
    RejectCancellationRequestRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> cancellations.rejectCancellationRequest(identified));
  }

  /** The buyer withdraws a pending request. Fills {@code request_id} if empty. */
  public CancellationRequest withdrawCancellationRequest(WithdrawCancellationRequestRequest request) {
    WithdrawCancellationRequestRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> cancellations.withdrawCancellationRequest(identified));
  }

  /** Support cancels an order whatever its request says (a reason is required). Fills {@code request_id} if empty. */
  public Order forceCancelOrder(ForceCancelOrderRequest request) {
    ForceCancelOrderRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> cancellations.forceCancelOrder(identified));
  }

  /** Payments reports a refund's result. Fills {@code request_id} if empty. */
  public Refund recordRefundResult(RecordRefundResultRequest request) {
    RecordRefundResultRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> cancellations.recordRefundResult(identified));
  }

  /** The reasons a buyer can give for cancelling, in display order. */
  public ListCancellationReasonsResponse listCancellationReasons() {
    return call(() -> cancellations.listCancellationReasons(ListCancellationReasonsRequest.getDefaultInstance()));
  }

  // ---- modifications (orders.v1.ModificationService): change the order instead of cancelling it ----
  //
  // Refusals by the modification rules are ModificationNotAllowedException (a paid order's total
  // raised, nothing changed, the modification no longer open, a cancellation request waiting); a
  // refusal by the order's state or because another modification waits is a
  // CancellationNotAllowedException, as for a cancel. Both are FailedPreconditionException.

  /**
   * The buyer or the seller of an order proposes one change (a line's quantity, a line's variant, the
   * shipping address); the other party answers by {@code respond_by_time}. Fills {@code request_id} if empty.
   */
  public Modification proposeModification(ProposeModificationRequest request) {
    ProposeModificationRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> modifications.proposeModification(identified));
  }

  /**
   * The other party accepts: the order changes, and a paid order that became cheaper is refunded the
   * difference ({@code Modification.refund}). Fills {@code request_id} if empty.
   */
  public Modification acceptModification(AcceptModificationRequest request) {
    AcceptModificationRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> modifications.acceptModification(identified));
  }

  /** The other party declines; the order stays as it was. Fills {@code request_id} if empty. */
  public Modification declineModification(DeclineModificationRequest request) {
    DeclineModificationRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> modifications.declineModification(identified));
  }

  /** The proposer takes the proposal back. Fills {@code request_id} if empty. */
  public Modification withdrawModification(WithdrawModificationRequest request) {
    WithdrawModificationRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> modifications.withdrawModification(identified));
  }

  /** Returns one modification. */
  public Modification getModification(String modificationId) {
    GetModificationRequest request = GetModificationRequest.newBuilder().setModificationId(modificationId).build();
    return call(() -> modifications.getModification(request));
  }

  /** Lists modifications, PROPOSED first by deadline; one page. */
  public ListModificationsResponse listModifications(ListModificationsRequest request) {
    Objects.requireNonNull(request, "request");
    return call(() -> modifications.listModifications(request));
  }

  /** The configured ModificationService stub; see {@link #orderService()}. */
  public ModificationServiceBlockingStub modificationService() {
    return modifications;
  }

  // ---- end of modifications ----

  // ---- disputes (orders.v1.DisputeService): after a rejection, once shipped, or after delivery ----
  //
  // Refusals by the dispute rules are DisputeNotAllowedException (not disputable now, window closed,
  // one already open, a request waiting, nothing left to refund, a step that does not apply in the
  // dispute's state, an escalation before the delay - with a retry delay); a refund beyond what the
  // order can still refund is a FailedPreconditionException (REFUND_EXCEEDS_REFUNDABLE).

  /**
   * The buyer opens a dispute asking a full or a partial refund (evidence required once delivered).
   * Fills {@code request_id} if empty.
   */
  public Dispute openDispute(OpenDisputeRequest request) {
    OpenDisputeRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> disputes.openDispute(identified));
  }

  /**
   * The seller answers: accept (the asked refund is issued, {@code Dispute.refund}), offer a partial
   * refund, or reject with evidence. Fills {@code request_id} if empty.
   */
  public Dispute respondToDispute(RespondToDisputeRequest request) {
    RespondToDisputeRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> disputes.respondToDispute(identified));
  }

  /** The buyer accepts the seller's offer: the offered amount is refunded. Fills {@code request_id} if empty. */
  public Dispute acceptDisputeOffer(AcceptDisputeOfferRequest request) {
    AcceptDisputeOfferRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> disputes.acceptDisputeOffer(identified));
  }

  /**
   * The buyer or the seller hands the dispute to support, from {@code escalable_time} on (earlier: a
   * {@link DisputeNotAllowedException} with a retry delay). Fills {@code request_id} if empty.
   */
  public Dispute escalateDispute(EscalateDisputeRequest request) {
    EscalateDisputeRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> disputes.escalateDispute(identified));
  }

  /** Support decides an escalated dispute: a full, a partial or no refund. Fills {@code request_id} if empty. */
  public Dispute resolveDispute(ResolveDisputeRequest request) {
    ResolveDisputeRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> disputes.resolveDispute(identified));
  }

  /** The buyer withdraws a dispute not yet resolved. Fills {@code request_id} if empty. */
  public Dispute withdrawDispute(WithdrawDisputeRequest request) {
    WithdrawDisputeRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> disputes.withdrawDispute(identified));
  }

  /** Returns one dispute. */
  public Dispute getDispute(String disputeId) {
    GetDisputeRequest request = GetDisputeRequest.newBuilder().setDisputeId(disputeId).build();
    return call(() -> disputes.getDispute(request));
  }

  /** Lists disputes, those awaiting the parties first by deadline, then escalated, then closed; one page. */
  public ListDisputesResponse listDisputes(ListDisputesRequest request) {
    Objects.requireNonNull(request, "request");
    return call(() -> disputes.listDisputes(request));
  }

  /** The configured DisputeService stub; see {@link #orderService()}. */
  public DisputeServiceBlockingStub disputeService() {
    return disputes;
  }

  // ---- end of disputes ----

  // ---- support cases (orders.v1.SupportService): escalation to customer service ----
  //
  // Refusals by the support-case rules are SupportCaseNotAllowedException (a case of that kind by
  // that party already open, an escalated dispute's case resolved here instead of with
  // resolveDispute, a step that does not apply in the case's state); a refund beyond what the order
  // can still refund (REFUND_EXCEEDS_REFUNDABLE) or with nothing left to refund (NOTHING_REFUNDABLE)
  // is a FailedPreconditionException; an unknown case (SUPPORT_CASE_NOT_FOUND) a NotFoundException.

  /**
   * The order's buyer or seller opens a case (not ESCALATED_DISPUTE); the case says what the service
   * found ({@code SupportCase.finding}). A second open case of that kind by that party is a {@link
   * SupportCaseNotAllowedException} naming the open one. Fills {@code request_id} if empty.
   */
  public SupportCase openSupportCase(OpenSupportCaseRequest request) {
    OpenSupportCaseRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> supportCases.openSupportCase(identified));
  }

  /** Returns one support case by its id. */
  public SupportCase getSupportCase(String caseId) {
    GetSupportCaseRequest request = GetSupportCaseRequest.newBuilder().setCaseId(caseId).build();
    return call(() -> supportCases.getSupportCase(request));
  }

  /** Returns one support case by its reference as quoted ({@code SC-...}, any case). */
  public SupportCase getSupportCaseByReference(String reference) {
    GetSupportCaseRequest request = GetSupportCaseRequest.newBuilder().setReference(reference).build();
    return call(() -> supportCases.getSupportCase(request));
  }

  /** The support queue (by default OPEN and ASSIGNED cases), oldest first; one page. Support only. */
  public ListSupportCasesResponse listSupportCases(ListSupportCasesRequest request) {
    Objects.requireNonNull(request, "request");
    return call(() -> supportCases.listSupportCases(request));
  }

  /**
   * Support assigns a case not yet resolved to an agent (the caller by default), or reassigns it.
   * Fills {@code request_id} if empty.
   */
  public SupportCase assignSupportCase(AssignSupportCaseRequest request) {
    AssignSupportCaseRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> supportCases.assignSupportCase(identified));
  }

  /**
   * Support resolves a case not yet resolved: force the cancellation, issue a refund, or take no
   * action, with a note both parties see. An escalated dispute's case is a {@link
   * SupportCaseNotAllowedException} ({@code SUPPORT_CASE_IS_DISPUTE}): use {@link #resolveDispute}.
   * Fills {@code request_id} if empty.
   */
  public SupportCase resolveSupportCase(ResolveSupportCaseRequest request) {
    ResolveSupportCaseRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> supportCases.resolveSupportCase(identified));
  }

  /** The configured SupportService stub; see {@link #orderService()}. */
  public SupportServiceBlockingStub supportService() {
    return supportCases;
  }

  // ---- end of support cases ----

  // ---- returns (orders.v1.ReturnService): after delivery, refunded on receipt ----
  //
  // Refusals by the return rules are ReturnNotAllowedException (not delivered, window closed, a
  // return already open, more units than the buyer keeps, a step that does not apply in the return's
  // state); an unknown return (RETURN_NOT_FOUND) is a NotFoundException.

  /**
   * The buyer asks to return units of a delivered order (lines named by their index in the order).
   * Fills {@code request_id} if empty.
   */
  public Return requestReturn(RequestReturnRequest request) {
    RequestReturnRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> returns.requestReturn(identified));
  }

  /** The seller approves a requested return. Fills {@code request_id} if empty. */
  public Return approveReturn(ApproveReturnRequest request) {
    ApproveReturnRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> returns.approveReturn(identified));
  }

  /**
   * The seller rejects a requested return with a note; the answer's {@code next_step} is
   * OPEN_DISPUTE. Fills {@code request_id} if empty.
   */
  public Return rejectReturn(RejectReturnRequest request) {
    RejectReturnRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> returns.rejectReturn(identified));
  }

  /** The buyer records the parcel the units go back in. Fills {@code request_id} if empty. */
  public Return recordReturnShipment(RecordReturnShipmentRequest request) {
    RecordReturnShipmentRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> returns.recordReturnShipment(identified));
  }

  /**
   * The seller confirms the units arrived: their share is refunded ({@code Return.refund}, never
   * beyond what the order can still refund). Fills {@code request_id} if empty.
   */
  public Return confirmReturnReceived(ConfirmReturnReceivedRequest request) {
    ConfirmReturnReceivedRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> returns.confirmReturnReceived(identified));
  }

  /** The buyer withdraws a return whose units were not received yet. Fills {@code request_id} if empty. */
  public Return withdrawReturn(WithdrawReturnRequest request) {
    WithdrawReturnRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> returns.withdrawReturn(identified));
  }

  /** Returns one return. */
  public Return getReturn(String returnId) {
    GetReturnRequest request = GetReturnRequest.newBuilder().setReturnId(returnId).build();
    return call(() -> returns.getReturn(request));
  }

  /** Lists returns, open ones first, oldest first; one page. */
  public ListReturnsResponse listReturns(ListReturnsRequest request) {
    Objects.requireNonNull(request, "request");
    return call(() -> returns.listReturns(request));
  }

  /** The configured ReturnService stub; see {@link #orderService()}. */
  public ReturnServiceBlockingStub returnService() {
    return returns;
  }

  // ---- end of returns ----

  /**
   * The configured OrderService stub (credentials, default deadline, retries) for calls this class
   * does not wrap. It throws {@link StatusRuntimeException} (translate with {@link
   * OrdersException#from}) and leaves {@code request_id} as given.
   */
  public OrderServiceBlockingStub orderService() {
    return orders;
  }

  /** The configured CancellationService stub; see {@link #orderService()}. */
  public CancellationServiceBlockingStub cancellationService() {
    return cancellations;
  }

  /**
   * Closes the client's watches, then shuts down the channel if this client opened it, letting
   * in-flight calls finish for a few seconds. A channel passed to {@link Builder#channel(Channel)} is
   * left open.
   */
  @Override
  public void close() {
    // A watch on a closed channel would retry for ever: they end with the client.
    subscriptions.forEach(OrderEventSubscription::close);
    if (ownedChannel == null) {
      return;
    }
    ownedChannel.shutdown();
    try {
      if (!ownedChannel.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        ownedChannel.shutdownNow();
      }
    } catch (InterruptedException e) {
      ownedChannel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** One id per logical call: gRPC's retries resend the serialized request, so they share it. */
  private static String requestId(String given) {
    return given.isEmpty() ? UUID.randomUUID().toString() : given;
  }

  private static <T> T call(Supplier<T> rpc) {
    try {
      return rpc.get();
    } catch (StatusRuntimeException e) {
      throw OrdersException.from(e);
    }
  }

  /**
   * The retry policy as a gRPC service config: UNAVAILABLE only, because only then is it certain the
   * server did not act, or (for mutations) the repeated {@code request_id} makes acting twice harmless.
   * Numbers are doubles, as the JSON parser would produce them.
   */
  static Map<String, Object> serviceConfig(int maxAttempts) {
    Map<String, Object> methodConfig = new LinkedHashMap<>();
    methodConfig.put(
        "name",
        List.of(
            Map.of("service", OrderServiceGrpc.SERVICE_NAME),
            Map.of("service", CancellationServiceGrpc.SERVICE_NAME),
            Map.of("service", ModificationServiceGrpc.SERVICE_NAME),
            Map.of("service", DisputeServiceGrpc.SERVICE_NAME),
            Map.of("service", ConversationServiceGrpc.SERVICE_NAME),
            Map.of("service", SupportServiceGrpc.SERVICE_NAME),
            Map.of("service", ReturnServiceGrpc.SERVICE_NAME)));
    // The stream is reopened by watchOrderEvents itself, from the last resume token and honouring
    // RetryInfo; a transparent gRPC retry underneath would only add a second, blind backoff.
    Map<String, Object> watchConfig =
        Map.of("name", List.of(Map.of("service", OrderServiceGrpc.SERVICE_NAME, "method", "WatchOrderEvents")));
    if (maxAttempts > 1) { // gRPC rejects a retry policy of a single attempt
      methodConfig.put(
          "retryPolicy",
          Map.of(
              "maxAttempts", (double) maxAttempts,
              "initialBackoff", "0.1s",
              "maxBackoff", "2s",
              "backoffMultiplier", 2.0,
              "retryableStatusCodes", List.of("UNAVAILABLE")));
    }
    return Map.of("methodConfig", List.of(methodConfig, watchConfig));
  }

  /**
   * Configures an {@link OrdersClient}. Give either a {@link #target(String)}, for which the client
   * opens (and on close shuts down) its own channel, or an existing {@link #channel(Channel)}.
   */
  public static final class Builder {

    private String target;
    private Channel channel;
    private boolean tls = true;
    private Path trustedCertificates;
    private Path clientCertificateChain;
    private Path clientPrivateKey;
    private String authority;
    private Supplier<String> tokens;
    // Long enough for a create under load with a retry or two, short enough that a stuck call frees its thread.
    private Duration defaultDeadline = Duration.ofSeconds(10);
    // The first attempt and three retries, about 0.1 + 0.2 + 0.4 s of backoff: rides out a server restart.
    private int maxAttempts = 4;
    // A dropped connection is usually back at once; a restarting server within seconds. Beyond ten
    // seconds between attempts a consumer would only delay its own recovery.
    private Duration watchBackoffInitial = Duration.ofMillis(200);
    private Duration watchBackoffMax = Duration.ofSeconds(10);

    private Builder() {}

    /** The server, as a gRPC target such as {@code 127.0.0.1:50051} or {@code dns:///orders.internal:443}. */
    public Builder target(String target) {
      if (Objects.requireNonNull(target, "target").isBlank()) {
        throw new IllegalArgumentException("target must not be blank");
      }
      this.target = target;
      return this;
    }

    /**
     * Uses an existing channel (for example an in-process one in tests) instead of opening one. The
     * client does not shut it down, and the transport options (TLS, {@link #maxAttempts(int)}) do not
     * apply: retries are whatever that channel was built with.
     */
    public Builder channel(Channel channel) {
      this.channel = Objects.requireNonNull(channel, "channel");
      return this;
    }

    /** No TLS. For local development and tests only: the token travels in clear text. */
    public Builder plaintext() {
      this.tls = false;
      this.trustedCertificates = null;
      clearClientCertificate();
      return this;
    }

    /** TLS, trusting the JVM's default certificate authorities. The default. */
    public Builder tls() {
      this.tls = true;
      this.trustedCertificates = null;
      clearClientCertificate();
      return this;
    }

    /** TLS, trusting only the certificates in this PEM file (for example a private CA). */
    public Builder tls(Path trustedCertificatesPem) {
      this.tls = true;
      this.trustedCertificates = Objects.requireNonNull(trustedCertificatesPem, "trustedCertificatesPem");
      clearClientCertificate();
      return this;
    }

    /**
     * Mutual TLS: verifies the server against the certificates in {@code trustedCertificatesPem} (for
     * example the private CA) and presents this client's certificate, proving which service is
     * calling. A server started with {@code ORDERS_TLS_REQUIRE_SERVICE_CLIENT_CERT=true} accepts a
     * SERVICE token only over such a connection, and only when the certificate's CN equals the token's
     * {@code sub}; otherwise calls fail with {@link UnauthenticatedException} (reason {@code
     * CLIENT_CERTIFICATE_REQUIRED} or {@code CLIENT_CERTIFICATE_MISMATCH}).
     *
     * <pre>{@code
     * OrdersClient orders = OrdersClient.builder()
     *     .target("orders.internal:50051")
     *     .mutualTls(Path.of("/etc/checkout/tls/ca.pem"),
     *                Path.of("/etc/checkout/tls/client-chain.pem"),
     *                Path.of("/etc/checkout/tls/client-key.pem"))
     *     .tokenSupplier(tokens)
     *     .build();
     * }</pre>
     *
     * <p>The files are read once, by {@link #build()}; a missing or unreadable file is reported there as
     * an {@link UncheckedIOException}. To pick up a renewed certificate, build a new client.
     *
     * @param trustedCertificatesPem the certificate authorities the server's certificate must chain to
     * @param clientCertificateChainPem this client's certificate, followed by any intermediates
     * @param clientPrivateKeyPem the unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}) private key of that
     *     certificate
     */
    public Builder mutualTls(Path trustedCertificatesPem, Path clientCertificateChainPem, Path clientPrivateKeyPem) {
      this.tls = true;
      this.trustedCertificates = Objects.requireNonNull(trustedCertificatesPem, "trustedCertificatesPem");
      this.clientCertificateChain = Objects.requireNonNull(clientCertificateChainPem, "clientCertificateChainPem");
      this.clientPrivateKey = Objects.requireNonNull(clientPrivateKeyPem, "clientPrivateKeyPem");
      return this;
    }

    private void clearClientCertificate() {
      this.clientCertificateChain = null;
      this.clientPrivateKey = null;
    }

    /**
     * The authority (host name) to send and to verify the server's certificate against, when it
     * differs from the target's, for example when dialling an IP address.
     */
    public Builder overrideAuthority(String authority) {
      this.authority = Objects.requireNonNull(authority, "authority");
      return this;
    }

    /**
     * Where bearer tokens come from. Asked once per call attempt and sent as {@code authorization:
     * Bearer <token>}, so a supplier that refreshes tokens is honoured without a new client: wrap the
     * identity provider's token fetch in a {@link RefreshingTokenSupplier}.
     */
    public Builder tokenSupplier(Supplier<String> tokens) {
      this.tokens = Objects.requireNonNull(tokens, "tokens");
      return this;
    }

    /** Deadline of every call that does not set its own, retries included. Default 10 s. */
    public Builder defaultDeadline(Duration deadline) {
      if (deadline.isNegative() || deadline.isZero()) {
        throw new IllegalArgumentException("defaultDeadline must be positive, was " + deadline);
      }
      this.defaultDeadline = deadline;
      return this;
    }

    /** Attempts per call when the server is UNAVAILABLE, the first included; 1 disables retries. Default 4. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * How long {@link OrdersClient#watchOrderEvents} waits before reopening a stream: {@code initial}
     * after the first failure, doubling with each failure in a row up to {@code max}, half of each
     * wait random. Default 0.2 s to 10 s. A server's RetryInfo, when longer, is waited instead.
     */
    public Builder watchReconnectBackoff(Duration initial, Duration max) {
      new ReconnectBackoff(initial, max, () -> 0.5); // checks the pair
      this.watchBackoffInitial = initial;
      this.watchBackoffMax = max;
      return this;
    }

    /** The client; opens its channel if a target was given. */
    public OrdersClient build() {
      if ((target == null) == (channel == null)) {
        throw new IllegalStateException("set exactly one of target(...) or channel(...)");
      }
      if (channel != null) {
        return new OrdersClient(channel, null, tokens, defaultDeadline, this);
      }
      ManagedChannel opened = openChannel();
      return new OrdersClient(opened, opened, tokens, defaultDeadline, this);
    }

    private ManagedChannel openChannel() {
      ManagedChannelBuilder<?> builder =
          Grpc.newChannelBuilder(target, credentials())
              .defaultServiceConfig(serviceConfig(maxAttempts))
              .maxRetryAttempts(maxAttempts)
              .enableRetry();
      if (authority != null) {
        builder.overrideAuthority(authority);
      }
      return builder.build();
    }

    private ChannelCredentials credentials() {
      if (!tls) {
        return InsecureChannelCredentials.create();
      }
      if (trustedCertificates == null) {
        return TlsChannelCredentials.create();
      }
      TlsChannelCredentials.Builder credentials = TlsChannelCredentials.newBuilder();
      try {
        credentials.trustManager(trustedCertificates.toFile());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read trusted certificates from " + trustedCertificates, e);
      }
      if (clientCertificateChain != null) {
        try {
          credentials.keyManager(clientCertificateChain.toFile(), clientPrivateKey.toFile());
        } catch (IOException e) {
          throw new UncheckedIOException(
              "cannot read the client certificate " + clientCertificateChain + " or its key " + clientPrivateKey, e);
        }
      }
      return credentials.build();
    }
  }

  // ==== ConversationService ("contact the seller") ====
  // One section, at the end of the class, for the conversation RPCs. The stub shares the channel, the
  // default deadline and the credentials of the other services.

  /**
   * Sends a message to the order's conversation. Fills {@code request_id} if empty. Beyond the hourly
   * rate per sender and order: {@link MessageRateExceededException} with the wait.
   */
  public dev.marketplace.orders.v1.Message sendMessage(SendMessageRequest request) {
    SendMessageRequest identified = request.toBuilder().setRequestId(requestId(request.getRequestId())).build();
    return call(() -> conversationService().sendMessage(identified));
  }

  /** Sends {@code text} to the order's conversation, its language left to the server to detect. */
  public dev.marketplace.orders.v1.Message sendMessage(String orderId, String text) {
    return sendMessage(SendMessageRequest.newBuilder().setOrderId(orderId).setText(text).build());
  }

  /** One page of the order's messages, oldest first (with translations when {@code view_language_code} is set). */
  public ListMessagesResponse listMessages(ListMessagesRequest request) {
    Objects.requireNonNull(request, "request");
    return call(() -> conversationService().listMessages(request));
  }

  /** One page of the caller's inbox: conversations by newest activity, with unread counts. */
  public ListConversationsResponse listConversations(ListConversationsRequest request) {
    Objects.requireNonNull(request, "request");
    return call(() -> conversationService().listConversations(request));
  }

  /** Marks the order's conversation read up to {@code messageId} (never backwards); a fresh {@code request_id}. */
  public Conversation markConversationRead(String orderId, String messageId) {
    MarkConversationReadRequest request =
        MarkConversationReadRequest.newBuilder().setRequestId(requestId("")).setOrderId(orderId).setMessageId(messageId).build();
    return call(() -> conversationService().markConversationRead(request));
  }

  /** The configured ConversationService stub; see {@link #orderService()}. */
  public ConversationServiceBlockingStub conversationService() {
    return ConversationServiceGrpc.newBlockingStub(orders.getChannel()).withCallCredentials(orders.getCallOptions().getCredentials());
  }
}
