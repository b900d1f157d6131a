package dev.marketplace.orders.server.security;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.domain.access.Role.SERVICE;
import static dev.marketplace.orders.domain.access.Role.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.WithdrawDisputeRequest;
import dev.marketplace.orders.v1.RespondToDisputeRequest;
import dev.marketplace.orders.v1.ResolveDisputeRequest;
import dev.marketplace.orders.v1.OpenDisputeRequest;
import dev.marketplace.orders.v1.ListDisputesResponse;
import dev.marketplace.orders.v1.ListDisputesRequest;
import dev.marketplace.orders.v1.GetDisputeRequest;
import dev.marketplace.orders.v1.EscalateDisputeRequest;
import dev.marketplace.orders.v1.DisputeServiceGrpc;
import dev.marketplace.orders.v1.AssignSupportCaseRequest;
import dev.marketplace.orders.v1.GetSupportCaseRequest;
import dev.marketplace.orders.v1.ListSupportCasesRequest;
import dev.marketplace.orders.v1.ListSupportCasesResponse;
import dev.marketplace.orders.v1.OpenSupportCaseRequest;
import dev.marketplace.orders.v1.ResolveSupportCaseRequest;
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
import dev.marketplace.orders.v1.WithdrawReturnRequest;
import dev.marketplace.orders.v1.Dispute;
import dev.marketplace.orders.v1.AcceptDisputeOfferRequest;
import dev.marketplace.orders.v1.AcceptModificationRequest;
import dev.marketplace.orders.v1.ApproveCancellationRequestRequest;
import dev.marketplace.orders.v1.CancelOrderRequest;
import dev.marketplace.orders.v1.CancelOrderResponse;
import dev.marketplace.orders.v1.Cancellation;
import dev.marketplace.orders.v1.CancellationEligibility;
import dev.marketplace.orders.v1.CancellationReason;
import dev.marketplace.orders.v1.CancellationRequest;
import dev.marketplace.orders.v1.CancellationServiceGrpc;
import dev.marketplace.orders.v1.CancellationServiceGrpc.CancellationServiceBlockingStub;
import dev.marketplace.orders.v1.CheckCancellationEligibilityRequest;
import dev.marketplace.orders.v1.Conversation;
import dev.marketplace.orders.v1.ConversationServiceGrpc;
import dev.marketplace.orders.v1.DeclineModificationRequest;
import dev.marketplace.orders.v1.ForceCancelOrderRequest;
import dev.marketplace.orders.v1.GetCancellationRequestRequest;
import dev.marketplace.orders.v1.GetModificationRequest;
import dev.marketplace.orders.v1.GetOrderRequest;
import dev.marketplace.orders.v1.ListCancellationReasonsRequest;
import dev.marketplace.orders.v1.ListCancellationReasonsResponse;
import dev.marketplace.orders.v1.ListCancellationRequestsRequest;
import dev.marketplace.orders.v1.ListCancellationRequestsResponse;
import dev.marketplace.orders.v1.ListConversationsRequest;
import dev.marketplace.orders.v1.ListConversationsResponse;
import dev.marketplace.orders.v1.ListMessagesRequest;
import dev.marketplace.orders.v1.ListMessagesResponse;
import dev.marketplace.orders.v1.ListModificationsRequest;
import dev.marketplace.orders.v1.ListModificationsResponse;
import dev.marketplace.orders.v1.ListOrderEventsRequest;
import dev.marketplace.orders.v1.WatchOrderEventsRequest;
import dev.marketplace.orders.v1.WatchOrderEventsResponse;
import dev.marketplace.orders.server.auth.AuthRules;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import dev.marketplace.orders.v1.ListOrderEventsResponse;
import dev.marketplace.orders.v1.ListOrdersRequest;
import dev.marketplace.orders.v1.ListOrdersResponse;
import dev.marketplace.orders.v1.MarkConversationReadRequest;
import dev.marketplace.orders.v1.Modification;
import dev.marketplace.orders.v1.ModificationServiceGrpc;
import dev.marketplace.orders.v1.ModificationServiceGrpc.ModificationServiceBlockingStub;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.OrderServiceGrpc;
import dev.marketplace.orders.v1.OrderServiceGrpc.OrderServiceBlockingStub;
import dev.marketplace.orders.v1.ProposeModificationRequest;
import dev.marketplace.orders.v1.RecordPaymentRequest;
import dev.marketplace.orders.v1.RecordRefundResultRequest;
import dev.marketplace.orders.v1.Refund;
import dev.marketplace.orders.v1.RejectCancellationRequestRequest;
import dev.marketplace.orders.v1.SendMessageRequest;
import dev.marketplace.orders.v1.WithdrawCancellationRequestRequest;
import dev.marketplace.orders.v1.WithdrawModificationRequest;
import io.grpc.MethodDescriptor;
import io.grpc.Status.Code;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The authorization matrix of orders.v1 as a table: for every RPC, the scope its rule gives services,
 * how to prepare a fresh target, the valid call, the expected code for every kind of caller, and what
 * a successful answer must show. The expected codes are written out here from docs/api.md, not
 * derived from AuthRules, so the table is an independent spec; {@link AuthorizationMatrixTest} runs it.
 */
final class AuthorizationMatrix {

  private AuthorizationMatrix() {}

  // ---- scopes (spelled out, not imported from AuthRules: this is the spec) ----

  static final String ORDERS_CREATE = "orders.create";
  static final String ORDERS_READ = "orders.read";
  static final String PAYMENTS_RECORD = "payments.record";
  static final String LOGISTICS_SHIP = "logistics.ship";
  static final String REFUNDS_RECORD = "refunds.record";
  static final List<String> ALL_SCOPES = List.of(ORDERS_CREATE, ORDERS_READ, PAYMENTS_RECORD, LOGISTICS_SHIP, REFUNDS_RECORD);

  // ---- parties (unique per run) ----

  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  static final String B1 = "buyer-1-" + RUN;
  static final String B2 = "buyer-2-" + RUN;
  static final String S1 = "seller-1-" + RUN;
  static final String S2 = "seller-2-" + RUN;
  static final String AGENT = "support-" + RUN;
  static final String SVC = "svc-" + RUN;

  static final Code OK = Code.OK;
  static final Code PD = Code.PERMISSION_DENIED;
  static final Code NF = Code.NOT_FOUND;

  /** The matrix's columns. */
  enum Caller {
    OWNER_BUYER("B1", B1, BUYER),
    OTHER_BUYER("B2", B2, BUYER),
    OWNER_SELLER("S1", S1, SELLER),
    OTHER_SELLER("S2", S2, SELLER),
    SUPPORT_AGENT("SUPPORT", AGENT, SUPPORT),
    /** A service with the rule's scope; when the rule names no scope, a service with every scope. */
    SERVICE_RULE_SCOPE("SVC+scope", SVC, SERVICE),
    SERVICE_NO_SCOPE("SVC-none", SVC, SERVICE),
    /** A service with one scope other than the rule's. */
    SERVICE_OTHER_SCOPE("SVC-other", SVC, SERVICE),
    // Look-alikes of each role's party: the database once compared 'buyer-1 ' equal to 'buyer-1'.
    // Never authenticated (UNAUTHENTICATED, TOKEN_INVALID), whatever the RPC.
    LOOKALIKE_BUYER("B1+space", B1 + " ", BUYER),
    LOOKALIKE_SELLER("S1+nbsp", S1 + "\u00a0", SELLER),
    LOOKALIKE_SUPPORT("SUP+tab", AGENT + "\t", SUPPORT),
    /** With the rule's scope, as SVC+scope. */
    LOOKALIKE_SERVICE("SVC+nul", SVC + "\u0000", SERVICE),
    // Case variants are valid subjects of other parties: answered as B2 and S2 are.
    CASE_VARIANT_BUYER("B1-upper", B1.toUpperCase(), BUYER),
    CASE_VARIANT_SELLER("S1-upper", S1.toUpperCase(), SELLER);

    boolean lookAlike() {
      return name().startsWith("LOOKALIKE_");
    }

    final String label;
    final String subject;
    final Role role;

    Caller(String label, String subject, Role role) {
      this.label = label;
      this.subject = subject;
      this.role = role;
    }

    List<String> scopes(Row row) {
      return switch (this) {
        case SERVICE_RULE_SCOPE, LOOKALIKE_SERVICE -> row.scope().map(List::of).orElse(ALL_SCOPES);
        case SERVICE_OTHER_SCOPE -> List.of(row.otherScope());
        default -> List.of();
      };
    }
  }

  /** What a call acts on; prepared through the real API. */
  record Target(
      String orderId,
      String cancellationRequestId,
      String refundId,
      String messageId,
      String modificationId,
      String disputeId,
      String caseId,
      String returnId) {
    Target(String orderId, String cancellationRequestId, String refundId) {
      this(orderId, cancellationRequestId, refundId, "", "", "", "", "");
    }

    Target(String orderId, String cancellationRequestId, String refundId, String messageId, String modificationId) {
      this(orderId, cancellationRequestId, refundId, messageId, modificationId, "", "", "");
    }

    static Target dispute(String orderId, String disputeId) {
      return new Target(orderId, "", "", "", "", disputeId, "", "");
    }

    static Target supportCase(String orderId, String caseId) {
      return new Target(orderId, "", "", "", "", "", caseId, "");
    }

    static Target ret(String orderId, String returnId) {
      return new Target(orderId, "", "", "", "", "", "", returnId);
    }

    static Target order(String orderId) {
      return new Target(orderId, "", "");
    }
  }

  record Stubs(
      OrderServiceBlockingStub orders,
      CancellationServiceBlockingStub cancellations,
      ConversationServiceGrpc.ConversationServiceBlockingStub conversations,
      ModificationServiceBlockingStub modifications,
      DisputeServiceGrpc.DisputeServiceBlockingStub disputes,
      SupportServiceGrpc.SupportServiceBlockingStub support,
      ReturnServiceGrpc.ReturnServiceBlockingStub returns) {}

  @FunctionalInterface
  interface Prep {
    Target prepare(Targets targets);
  }

  @FunctionalInterface
  interface Call {
    Message invoke(Stubs stubs, Target target, Caller caller);
  }

  @FunctionalInterface
  interface Check {
    void verify(Target target, Caller caller, Message response);
  }

  /**
   * One RPC: the scope its rule gives services (if any), one scope that is not it, how to prepare a
   * fresh target, the valid call, the expected code per caller (in {@link Caller} order), and what a
   * successful answer must show.
   */
  record Row(
      MethodDescriptor<?, ?> method,
      Optional<String> scope,
      String otherScope,
      Prep prep,
      Call call,
      Map<Caller, Code> expected,
      Check check,
      Map<Caller, String> deniedReasons) {

    /** The reason a PERMISSION_DENIED cell carries: the role rule's, unless the row says the use case refuses the party. */
    String deniedReason(Caller caller) {
      return deniedReasons.getOrDefault(caller, "ROLE_NOT_ALLOWED");
    }
  }

  /** The first event of a server stream (after its opening heartbeat), which is then cancelled (as a consumer that leaves). */
  static Message firstMessage(OrderServiceBlockingStub stub, WatchOrderEventsRequest request) {
    Context.CancellableContext stream = Context.current().withCancellation();
    try {
      return stream.call(
          () -> {
            java.util.Iterator<WatchOrderEventsResponse> messages = stub.watchOrderEvents(request);
            WatchOrderEventsResponse message = messages.next();
            while (!message.hasEvent()) {
              message = messages.next();
            }
            return message;
          });
    } catch (StatusRuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      stream.cancel(null);
    }
  }

  // ---- the matrix ----

  static final Map<String, Row> ROWS = rows();

  private static Map<String, Row> rows() {
    Map<String, Row> rows = new LinkedHashMap<>();
    //                                                                                        B1  B2  S1  S2  SUP SVC+ SVC- SVC~
    add(rows, OrderServiceGrpc.getCreateOrderMethod(), ORDERS_CREATE, ORDERS_READ,
        Targets::nothing,
        (s, t, c) -> s.orders().createOrder(Requests.create(B1, S1)),
        codes(PD, PD, PD, PD, PD, OK, PD, PD),
        (t, c, r) -> {
          Order order = (Order) r;
          assertThat(order.getBuyerId()).isEqualTo(B1);
          assertThat(order.getSellerId()).isEqualTo(S1);
          assertThat(order.getState()).isEqualTo(Order.State.AWAITING_PAYMENT);
        });
    add(rows, OrderServiceGrpc.getGetOrderMethod(), ORDERS_READ, ORDERS_CREATE,
        Targets::sharedTarget,
        (s, t, c) -> s.orders().getOrder(GetOrderRequest.newBuilder().setOrderId(t.orderId()).build()),
        codes(OK, NF, OK, NF, OK, OK, PD, PD),
        (t, c, r) -> assertThat(((Order) r).getOrderId()).isEqualTo(t.orderId()));
    add(rows, OrderServiceGrpc.getListOrdersMethod(), ORDERS_READ, ORDERS_CREATE,
        Targets::sharedTarget,
        // Buyers and sellers list "my orders" with no filter; support and services must name a party
        // (docs/api.md), so they name B1.
        (s, t, c) ->
            s.orders()
                .listOrders(
                    c.role == BUYER || c.role == SELLER
                        ? ListOrdersRequest.newBuilder().setPageSize(100).build()
                        : ListOrdersRequest.newBuilder().setBuyerId(B1).setPageSize(100).build()),
        codes(OK, OK, OK, OK, OK, OK, PD, PD),
        (t, c, r) -> {
          List<Order> orders = ((ListOrdersResponse) r).getOrdersList();
          switch (c) {
            case OTHER_BUYER, OTHER_SELLER, CASE_VARIANT_BUYER, CASE_VARIANT_SELLER ->
                assertThat(orders).as("a non-party's own listing").isEmpty();
            case OWNER_SELLER -> assertThat(orders).isNotEmpty().allSatisfy(o -> assertThat(o.getSellerId()).isEqualTo(S1));
            default -> assertThat(orders).isNotEmpty().allSatisfy(o -> assertThat(o.getBuyerId()).isEqualTo(B1));
          }
        });
    add(rows, OrderServiceGrpc.getRecordPaymentMethod(), PAYMENTS_RECORD, REFUNDS_RECORD,
        targets -> Target.order(targets.placed()),
        (s, t, c) -> s.orders().recordPayment(Requests.payment(t.orderId(), RecordPaymentRequest.Outcome.CAPTURED)),
        codes(PD, PD, PD, PD, PD, OK, PD, PD),
        (t, c, r) -> assertThat(((Order) r).getState()).isEqualTo(Order.State.AWAITING_SHIPMENT));
    add(rows, OrderServiceGrpc.getShipOrderMethod(), LOGISTICS_SHIP, PAYMENTS_RECORD,
        targets -> Target.order(targets.paid()),
        (s, t, c) -> s.orders().shipOrder(Requests.ship(t.orderId())),
        codes(PD, PD, OK, NF, PD, OK, PD, PD),
        (t, c, r) -> assertThat(((Order) r).getState()).isEqualTo(Order.State.SHIPPED));
    add(rows, OrderServiceGrpc.getConfirmDeliveryMethod(), LOGISTICS_SHIP, ORDERS_READ,
        targets -> Target.order(targets.shipped()),
        (s, t, c) -> s.orders().confirmDelivery(Requests.deliver(t.orderId())),
        codes(OK, NF, PD, PD, PD, OK, PD, PD),
        (t, c, r) -> assertThat(((Order) r).getState()).isEqualTo(Order.State.DELIVERED));
    add(rows, OrderServiceGrpc.getListOrderEventsMethod(), ORDERS_READ, ORDERS_CREATE,
        Targets::sharedTarget,
        (s, t, c) -> s.orders().listOrderEvents(ListOrderEventsRequest.newBuilder().setOrderId(t.orderId()).build()),
        codes(OK, NF, OK, NF, OK, OK, PD, PD),
        (t, c, r) ->
            assertThat(((ListOrderEventsResponse) r).getEventsList())
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.getOrderId()).isEqualTo(t.orderId())));

    // The stream is opened from the beginning of the order's history; its first message is the answer.
    add(rows, OrderServiceGrpc.getWatchOrderEventsMethod(), AuthRules.EVENTS_READ, ORDERS_READ,
        Targets::sharedTarget,
        (s, t, c) -> firstMessage(s.orders(), WatchOrderEventsRequest.newBuilder().setOrderId(t.orderId()).setResumeToken("0").build()),
        codes(OK, NF, OK, NF, OK, OK, PD, PD),
        (t, c, r) -> assertThat(((WatchOrderEventsResponse) r).getEvent().getOrderId()).isEqualTo(t.orderId()));

    add(rows, CancellationServiceGrpc.getCheckCancellationEligibilityMethod(), null, ORDERS_READ,
        Targets::sharedTarget,
        (s, t, c) ->
            s.cancellations()
                .checkCancellationEligibility(CheckCancellationEligibilityRequest.newBuilder().setOrderId(t.orderId()).build()),
        codes(OK, NF, PD, PD, OK, PD, PD, PD),
        (t, c, r) -> {
          CancellationEligibility eligibility = (CancellationEligibility) r;
          assertThat(eligibility.getOrderId()).isEqualTo(t.orderId());
          assertThat(eligibility.getOutcome()).isEqualTo(CancellationEligibility.Outcome.REQUEST_PENDING);
        });
    add(rows, CancellationServiceGrpc.getCancelOrderMethod(), null, ORDERS_READ,
        targets -> Target.order(targets.placed()),
        (s, t, c) -> s.cancellations().cancelOrder(cancelRequest(t.orderId())),
        codes(OK, NF, PD, PD, PD, PD, PD, PD),
        (t, c, r) -> assertThat(((CancelOrderResponse) r).getOutcome()).isEqualTo(CancelOrderResponse.Outcome.CANCELLED));
    add(rows, CancellationServiceGrpc.getGetCancellationRequestMethod(), null, ORDERS_READ,
        Targets::sharedTarget,
        (s, t, c) ->
            s.cancellations()
                .getCancellationRequest(
                    GetCancellationRequestRequest.newBuilder().setCancellationRequestId(t.cancellationRequestId()).build()),
        codes(OK, NF, OK, NF, OK, PD, PD, PD),
        (t, c, r) -> {
          CancellationRequest request = (CancellationRequest) r;
          assertThat(request.getCancellationRequestId()).isEqualTo(t.cancellationRequestId());
          assertThat(request.getState()).isEqualTo(CancellationRequest.State.PENDING);
        });
    add(rows, CancellationServiceGrpc.getListCancellationRequestsMethod(), null, ORDERS_READ,
        Targets::sharedTarget,
        (s, t, c) -> s.cancellations().listCancellationRequests(ListCancellationRequestsRequest.newBuilder().setPageSize(100).build()),
        codes(OK, OK, OK, OK, OK, PD, PD, PD),
        (t, c, r) -> {
          List<CancellationRequest> requests = ((ListCancellationRequestsResponse) r).getCancellationRequestsList();
          switch (c) {
            case OTHER_BUYER, OTHER_SELLER, CASE_VARIANT_BUYER, CASE_VARIANT_SELLER ->
                assertThat(requests).as("a non-party's own listing").isEmpty();
            case OWNER_BUYER -> assertThat(requests).isNotEmpty().allSatisfy(q -> assertThat(q.getBuyerId()).isEqualTo(B1));
            case OWNER_SELLER -> assertThat(requests).isNotEmpty().allSatisfy(q -> assertThat(q.getSellerId()).isEqualTo(S1));
            default ->
                assertThat(requests)
                    .extracting(CancellationRequest::getCancellationRequestId)
                    .contains(t.cancellationRequestId());
          }
        });
    add(rows, CancellationServiceGrpc.getApproveCancellationRequestMethod(), null, ORDERS_READ,
        Targets::pendingRequest,
        (s, t, c) ->
            s.cancellations()
                .approveCancellationRequest(
                    ApproveCancellationRequestRequest.newBuilder()
                        .setRequestId(Requests.newId())
                        .setCancellationRequestId(t.cancellationRequestId())
                        .build()),
        codes(PD, PD, OK, NF, PD, PD, PD, PD),
        (t, c, r) -> assertThat(((CancellationRequest) r).getState()).isEqualTo(CancellationRequest.State.APPROVED));
    add(rows, CancellationServiceGrpc.getRejectCancellationRequestMethod(), null, ORDERS_READ,
        Targets::pendingRequest,
        (s, t, c) ->
            s.cancellations()
                .rejectCancellationRequest(
                    RejectCancellationRequestRequest.newBuilder()
                        .setRequestId(Requests.newId())
                        .setCancellationRequestId(t.cancellationRequestId())
                        .setRejectionReason(CancellationRequest.RejectionReason.ALREADY_PREPARED_OR_CUSTOMISED)
                        .build()),
        codes(PD, PD, OK, NF, PD, PD, PD, PD),
        (t, c, r) -> assertThat(((CancellationRequest) r).getState()).isEqualTo(CancellationRequest.State.REJECTED));
    add(rows, CancellationServiceGrpc.getWithdrawCancellationRequestMethod(), null, ORDERS_READ,
        Targets::pendingRequest,
        (s, t, c) ->
            s.cancellations()
                .withdrawCancellationRequest(
                    WithdrawCancellationRequestRequest.newBuilder()
                        .setRequestId(Requests.newId())
                        .setCancellationRequestId(t.cancellationRequestId())
                        .build()),
        codes(OK, NF, PD, PD, PD, PD, PD, PD),
        (t, c, r) -> assertThat(((CancellationRequest) r).getState()).isEqualTo(CancellationRequest.State.WITHDRAWN));
    add(rows, CancellationServiceGrpc.getListCancellationReasonsMethod(), null, ORDERS_READ,
        Targets::nothing,
        (s, t, c) -> s.cancellations().listCancellationReasons(ListCancellationReasonsRequest.getDefaultInstance()),
        codes(OK, OK, OK, OK, OK, OK, OK, OK),
        (t, c, r) -> assertThat(((ListCancellationReasonsResponse) r).getReasonsList()).hasSize(6));
    add(rows, CancellationServiceGrpc.getRecordRefundResultMethod(), REFUNDS_RECORD, PAYMENTS_RECORD,
        Targets::refund,
        (s, t, c) ->
            s.cancellations()
                .recordRefundResult(
                    RecordRefundResultRequest.newBuilder()
                        .setRequestId(Requests.newId())
                        .setRefundId(t.refundId())
                        .setOutcome(RecordRefundResultRequest.Outcome.COMPLETED)
                        .build()),
        codes(PD, PD, PD, PD, PD, OK, PD, PD),
        (t, c, r) -> {
          Refund refund = (Refund) r;
          assertThat(refund.getRefundId()).isEqualTo(t.refundId());
          assertThat(refund.getState()).isEqualTo(Refund.State.COMPLETED);
        });
    add(rows, CancellationServiceGrpc.getForceCancelOrderMethod(), null, ORDERS_READ,
        Targets::pendingRequest,
        (s, t, c) ->
            s.cancellations()
                .forceCancelOrder(
                    ForceCancelOrderRequest.newBuilder()
                        .setRequestId(Requests.newId())
                        .setOrderId(t.orderId())
                        .setReason("buyer reports fraud")
                        .build()),
        codes(PD, PD, PD, PD, OK, PD, PD, PD),
        (t, c, r) -> assertThat(((Order) r).getCancellation().getKind()).isEqualTo(Cancellation.Kind.SUPPORT));
    // Conversations: the order's buyer and seller, and support; services have no access.
    add(rows, ConversationServiceGrpc.getSendMessageMethod(), null, ORDERS_READ,
        Targets::conversation,
        (s, t, c) ->
            s.conversations()
                .sendMessage(SendMessageRequest.newBuilder().setRequestId(Requests.newId()).setOrderId(t.orderId()).setText("Any news?").build()),
        codes(OK, NF, OK, NF, OK, PD, PD, PD),
        (t, c, r) -> {
          dev.marketplace.orders.v1.Message sent = (dev.marketplace.orders.v1.Message) r;
          assertThat(sent.getOrderId()).isEqualTo(t.orderId());
          assertThat(sent.getSequenceNumber()).isEqualTo(2);
          assertThat(sent.getSender().getSubject()).isEqualTo(c.subject);
        });
    add(rows, ConversationServiceGrpc.getListMessagesMethod(), null, ORDERS_READ,
        Targets::conversation,
        (s, t, c) -> s.conversations().listMessages(ListMessagesRequest.newBuilder().setOrderId(t.orderId()).build()),
        codes(OK, NF, OK, NF, OK, PD, PD, PD),
        (t, c, r) ->
            assertThat(((ListMessagesResponse) r).getMessagesList())
                .extracting(dev.marketplace.orders.v1.Message::getMessageId)
                .containsExactly(t.messageId()));
    add(rows, ConversationServiceGrpc.getListConversationsMethod(), null, ORDERS_READ,
        Targets::conversation,
        (s, t, c) ->
            s.conversations().listConversations(ListConversationsRequest.newBuilder().setOrderId(t.orderId()).setPageSize(100).build()),
        codes(OK, OK, OK, OK, OK, PD, PD, PD),
        (t, c, r) -> {
          List<Conversation> conversations = ((ListConversationsResponse) r).getConversationsList();
          switch (c) {
            case OTHER_BUYER, OTHER_SELLER, CASE_VARIANT_BUYER, CASE_VARIANT_SELLER ->
                assertThat(conversations).as("a non-party's own inbox").isEmpty();
            default -> assertThat(conversations).extracting(Conversation::getOrderId).containsExactly(t.orderId());
          }
        });
    add(rows, ConversationServiceGrpc.getMarkConversationReadMethod(), null, ORDERS_READ,
        Targets::conversation,
        (s, t, c) ->
            s.conversations()
                .markConversationRead(
                    MarkConversationReadRequest.newBuilder()
                        .setRequestId(Requests.newId())
                        .setOrderId(t.orderId())
                        .setMessageId(t.messageId())
                        .build()),
        codes(OK, NF, OK, NF, OK, PD, PD, PD),
        (t, c, r) -> assertThat(((Conversation) r).getUnreadCount()).isZero());

    // Modifications: B1 proposes on the prepared orders, so S1 is the party that answers; the two
    // parties are refused by the use case (PERMISSION_DENIED with their own reason), not by the role rule.
    add(rows, ModificationServiceGrpc.getProposeModificationMethod(), null, ORDERS_READ,
        targets -> Target.order(targets.placed()),
        (s, t, c) -> s.modifications().proposeModification(proposeRequest(t.orderId())),
        codes(OK, NF, OK, NF, PD, PD, PD, PD),
        (t, c, r) -> {
          Modification modification = (Modification) r;
          assertThat(modification.getState()).isEqualTo(Modification.State.PROPOSED);
          assertThat(modification.getProposedBy().getSubject()).isEqualTo(c.subject);
        });
    add(rows, ModificationServiceGrpc.getAcceptModificationMethod(), null, ORDERS_READ,
        Targets::openModification,
        (s, t, c) ->
            s.modifications()
                .acceptModification(
                    AcceptModificationRequest.newBuilder().setRequestId(Requests.newId()).setModificationId(t.modificationId()).build()),
        codes(PD, NF, OK, NF, PD, PD, PD, PD),
        (t, c, r) -> assertThat(((Modification) r).getState()).isEqualTo(Modification.State.ACCEPTED),
        Map.of(Caller.OWNER_BUYER, "NOT_THE_COUNTERPART"));
    add(rows, ModificationServiceGrpc.getDeclineModificationMethod(), null, ORDERS_READ,
        Targets::openModification,
        (s, t, c) ->
            s.modifications()
                .declineModification(
                    DeclineModificationRequest.newBuilder().setRequestId(Requests.newId()).setModificationId(t.modificationId()).build()),
        codes(PD, NF, OK, NF, PD, PD, PD, PD),
        (t, c, r) -> assertThat(((Modification) r).getState()).isEqualTo(Modification.State.DECLINED),
        Map.of(Caller.OWNER_BUYER, "NOT_THE_COUNTERPART"));
    add(rows, ModificationServiceGrpc.getWithdrawModificationMethod(), null, ORDERS_READ,
        Targets::openModification,
        (s, t, c) ->
            s.modifications()
                .withdrawModification(
                    WithdrawModificationRequest.newBuilder().setRequestId(Requests.newId()).setModificationId(t.modificationId()).build()),
        codes(OK, NF, PD, NF, PD, PD, PD, PD),
        (t, c, r) -> assertThat(((Modification) r).getState()).isEqualTo(Modification.State.WITHDRAWN),
        Map.of(Caller.OWNER_SELLER, "NOT_THE_PROPOSER"));
    add(rows, ModificationServiceGrpc.getGetModificationMethod(), null, ORDERS_READ,
        Targets::sharedModification,
        (s, t, c) -> s.modifications().getModification(GetModificationRequest.newBuilder().setModificationId(t.modificationId()).build()),
        codes(OK, NF, OK, NF, OK, PD, PD, PD),
        (t, c, r) -> {
          Modification modification = (Modification) r;
          assertThat(modification.getModificationId()).isEqualTo(t.modificationId());
          assertThat(modification.getState()).isEqualTo(Modification.State.PROPOSED);
        });
    add(rows, ModificationServiceGrpc.getListModificationsMethod(), null, ORDERS_READ,
        Targets::sharedModification,
        (s, t, c) -> s.modifications().listModifications(ListModificationsRequest.newBuilder().setPageSize(100).build()),
        codes(OK, OK, OK, OK, OK, PD, PD, PD),
        (t, c, r) -> {
          List<Modification> modifications = ((ListModificationsResponse) r).getModificationsList();
          switch (c) {
            case OTHER_BUYER, OTHER_SELLER, CASE_VARIANT_BUYER, CASE_VARIANT_SELLER ->
                assertThat(modifications).as("a non-party's own listing").isEmpty();
            case OWNER_BUYER -> assertThat(modifications).isNotEmpty().allSatisfy(m -> assertThat(m.getBuyerId()).isEqualTo(B1));
            case OWNER_SELLER -> assertThat(modifications).isNotEmpty().allSatisfy(m -> assertThat(m.getSellerId()).isEqualTo(S1));
            default -> assertThat(modifications).extracting(Modification::getModificationId).contains(t.modificationId());
          }
        });

    // Disputes: B1 opens them on shipped orders; which party takes which step is the role rule first,
    // then the dispute's own rule (the use case). The matrix's server has no escalation delay.
    add(rows, DisputeServiceGrpc.getOpenDisputeMethod(), null, ORDERS_READ,
        targets -> Target.order(targets.shipped()),
        (s, t, c) -> s.disputes().openDispute(openDisputeRequest(t.orderId())),
        codes(OK, NF, PD, PD, PD, PD, PD, PD),
        (t, c, r) -> assertThat(((Dispute) r).getState()).isEqualTo(Dispute.State.OPEN));
    add(rows, DisputeServiceGrpc.getRespondToDisputeMethod(), null, ORDERS_READ,
        Targets::openDispute,
        (s, t, c) ->
            s.disputes()
                .respondToDispute(
                    RespondToDisputeRequest.newBuilder()
                        .setRequestId(Requests.newId())
                        .setDisputeId(t.disputeId())
                        .setReject(RespondToDisputeRequest.Reject.newBuilder().setNote("delivered as described"))
                        .build()),
        codes(PD, PD, OK, NF, PD, PD, PD, PD),
        (t, c, r) -> assertThat(((Dispute) r).getState()).isEqualTo(Dispute.State.REJECTED_BY_SELLER));
    add(rows, DisputeServiceGrpc.getAcceptDisputeOfferMethod(), null, ORDERS_READ,
        Targets::offeredDispute,
        (s, t, c) ->
            s.disputes()
                .acceptDisputeOffer(AcceptDisputeOfferRequest.newBuilder().setRequestId(Requests.newId()).setDisputeId(t.disputeId()).build()),
        codes(OK, NF, PD, PD, PD, PD, PD, PD),
        (t, c, r) -> assertThat(((Dispute) r).getOutcome()).isEqualTo(Dispute.Outcome.OFFER_ACCEPTED));
    add(rows, DisputeServiceGrpc.getEscalateDisputeMethod(), null, ORDERS_READ,
        Targets::openDispute,
        (s, t, c) ->
            s.disputes().escalateDispute(EscalateDisputeRequest.newBuilder().setRequestId(Requests.newId()).setDisputeId(t.disputeId()).build()),
        codes(OK, NF, OK, NF, PD, PD, PD, PD),
        (t, c, r) -> {
          Dispute dispute = (Dispute) r;
          assertThat(dispute.getState()).isEqualTo(Dispute.State.ESCALATED);
          assertThat(dispute.getEscalatedBy().getSubject()).isEqualTo(c.subject);
        });
    add(rows, DisputeServiceGrpc.getResolveDisputeMethod(), null, ORDERS_READ,
        Targets::escalatedDispute,
        (s, t, c) ->
            s.disputes()
                .resolveDispute(
                    ResolveDisputeRequest.newBuilder()
                        .setRequestId(Requests.newId())
                        .setDisputeId(t.disputeId())
                        .setDecision(ResolveDisputeRequest.Decision.NO_REFUND)
                        .setNote("no evidence of damage")
                        .build()),
        codes(PD, PD, PD, PD, OK, PD, PD, PD),
        (t, c, r) -> assertThat(((Dispute) r).getOutcome()).isEqualTo(Dispute.Outcome.SUPPORT_NO_REFUND));
    add(rows, DisputeServiceGrpc.getWithdrawDisputeMethod(), null, ORDERS_READ,
        Targets::openDispute,
        (s, t, c) ->
            s.disputes().withdrawDispute(WithdrawDisputeRequest.newBuilder().setRequestId(Requests.newId()).setDisputeId(t.disputeId()).build()),
        codes(OK, NF, PD, PD, PD, PD, PD, PD),
        (t, c, r) -> assertThat(((Dispute) r).getState()).isEqualTo(Dispute.State.WITHDRAWN));
    add(rows, DisputeServiceGrpc.getGetDisputeMethod(), null, ORDERS_READ,
        Targets::sharedDispute,
        (s, t, c) -> s.disputes().getDispute(GetDisputeRequest.newBuilder().setDisputeId(t.disputeId()).build()),
        codes(OK, NF, OK, NF, OK, PD, PD, PD),
        (t, c, r) -> assertThat(((Dispute) r).getDisputeId()).isEqualTo(t.disputeId()));
    add(rows, DisputeServiceGrpc.getListDisputesMethod(), null, ORDERS_READ,
        Targets::sharedDispute,
        (s, t, c) -> s.disputes().listDisputes(ListDisputesRequest.newBuilder().setPageSize(100).build()),
        codes(OK, OK, OK, OK, OK, PD, PD, PD),
        (t, c, r) -> {
          List<Dispute> disputes = ((ListDisputesResponse) r).getDisputesList();
          switch (c) {
            case OTHER_BUYER, OTHER_SELLER, CASE_VARIANT_BUYER, CASE_VARIANT_SELLER ->
                assertThat(disputes).as("a non-party's own listing").isEmpty();
            case OWNER_BUYER -> assertThat(disputes).isNotEmpty().allSatisfy(d -> assertThat(d.getBuyerId()).isEqualTo(B1));
            case OWNER_SELLER -> assertThat(disputes).isNotEmpty().allSatisfy(d -> assertThat(d.getSellerId()).isEqualTo(S1));
            default -> assertThat(disputes).extracting(Dispute::getDisputeId).contains(t.disputeId());
          }
        });

    // Support cases: B1's or S1's order; the parties open and read them, support works the queue.
    add(rows, SupportServiceGrpc.getOpenSupportCaseMethod(), null, ORDERS_READ,
        targets -> Target.order(targets.shipped()),
        (s, t, c) -> s.support().openSupportCase(openCaseRequest(t.orderId())),
        codes(OK, NF, OK, NF, PD, PD, PD, PD),
        (t, c, r) -> {
          SupportCase opened = (SupportCase) r;
          assertThat(opened.getState()).isEqualTo(SupportCase.State.OPEN);
          assertThat(opened.getOpenedBy().getSubject()).isEqualTo(c.subject);
        });
    add(rows, SupportServiceGrpc.getGetSupportCaseMethod(), null, ORDERS_READ,
        Targets::sharedCase,
        (s, t, c) -> s.support().getSupportCase(GetSupportCaseRequest.newBuilder().setCaseId(t.caseId()).build()),
        codes(OK, NF, OK, NF, OK, PD, PD, PD),
        (t, c, r) -> assertThat(((SupportCase) r).getCaseId()).isEqualTo(t.caseId()));
    add(rows, SupportServiceGrpc.getListSupportCasesMethod(), null, ORDERS_READ,
        Targets::sharedCase,
        (s, t, c) -> s.support().listSupportCases(ListSupportCasesRequest.newBuilder().setOrderId(t.orderId()).build()),
        codes(PD, PD, PD, PD, OK, PD, PD, PD),
        (t, c, r) ->
            assertThat(((ListSupportCasesResponse) r).getSupportCasesList()).extracting(SupportCase::getCaseId).contains(t.caseId()));
    add(rows, SupportServiceGrpc.getAssignSupportCaseMethod(), null, ORDERS_READ,
        Targets::openCase,
        (s, t, c) ->
            s.support().assignSupportCase(AssignSupportCaseRequest.newBuilder().setRequestId(Requests.newId()).setCaseId(t.caseId()).build()),
        codes(PD, PD, PD, PD, OK, PD, PD, PD),
        (t, c, r) -> assertThat(((SupportCase) r).getAssignee()).isEqualTo(c.subject));
    add(rows, SupportServiceGrpc.getResolveSupportCaseMethod(), null, ORDERS_READ,
        Targets::openCase,
        (s, t, c) ->
            s.support()
                .resolveSupportCase(
                    ResolveSupportCaseRequest.newBuilder()
                        .setRequestId(Requests.newId())
                        .setCaseId(t.caseId())
                        .setNoAction(ResolveSupportCaseRequest.NoAction.getDefaultInstance())
                        .setNote("nothing to correct")
                        .build()),
        codes(PD, PD, PD, PD, OK, PD, PD, PD),
        (t, c, r) -> assertThat(((SupportCase) r).getAction()).isEqualTo(SupportCase.Action.NO_ACTION));

    // Returns: B1's delivered order at S1; the buyer asks, ships and withdraws, the seller answers and receives.
    add(rows, ReturnServiceGrpc.getRequestReturnMethod(), null, ORDERS_READ,
        targets -> Target.order(targets.delivered()),
        (s, t, c) -> s.returns().requestReturn(requestReturnRequest(t.orderId())),
        codes(OK, NF, PD, PD, PD, PD, PD, PD),
        (t, c, r) -> assertThat(((Return) r).getState()).isEqualTo(Return.State.REQUESTED));
    add(rows, ReturnServiceGrpc.getApproveReturnMethod(), null, ORDERS_READ,
        Targets::requestedReturn,
        (s, t, c) -> s.returns().approveReturn(ApproveReturnRequest.newBuilder().setRequestId(Requests.newId()).setReturnId(t.returnId()).build()),
        codes(PD, PD, OK, NF, PD, PD, PD, PD),
        (t, c, r) -> assertThat(((Return) r).getState()).isEqualTo(Return.State.APPROVED));
    add(rows, ReturnServiceGrpc.getRejectReturnMethod(), null, ORDERS_READ,
        Targets::requestedReturn,
        (s, t, c) ->
            s.returns()
                .rejectReturn(RejectReturnRequest.newBuilder().setRequestId(Requests.newId()).setReturnId(t.returnId()).setNote("used").build()),
        codes(PD, PD, OK, NF, PD, PD, PD, PD),
        (t, c, r) -> assertThat(((Return) r).getNextStep()).isEqualTo(Return.NextStep.OPEN_DISPUTE));
    add(rows, ReturnServiceGrpc.getRecordReturnShipmentMethod(), null, ORDERS_READ,
        Targets::approvedReturn,
        (s, t, c) ->
            s.returns()
                .recordReturnShipment(
                    RecordReturnShipmentRequest.newBuilder()
                        .setRequestId(Requests.newId())
                        .setReturnId(t.returnId())
                        .setCarrier("Cainiao")
                        .setTrackingNumber("LP00RET")
                        .build()),
        codes(OK, NF, PD, PD, PD, PD, PD, PD),
        (t, c, r) -> assertThat(((Return) r).getState()).isEqualTo(Return.State.SHIPPED));
    add(rows, ReturnServiceGrpc.getConfirmReturnReceivedMethod(), null, ORDERS_READ,
        Targets::approvedReturn,
        (s, t, c) ->
            s.returns().confirmReturnReceived(ConfirmReturnReceivedRequest.newBuilder().setRequestId(Requests.newId()).setReturnId(t.returnId()).build()),
        codes(PD, PD, OK, NF, PD, PD, PD, PD),
        (t, c, r) -> assertThat(((Return) r).getRefund().getKind()).isEqualTo(Refund.Kind.RETURN));
    add(rows, ReturnServiceGrpc.getWithdrawReturnMethod(), null, ORDERS_READ,
        Targets::requestedReturn,
        (s, t, c) -> s.returns().withdrawReturn(WithdrawReturnRequest.newBuilder().setRequestId(Requests.newId()).setReturnId(t.returnId()).build()),
        codes(OK, NF, PD, PD, PD, PD, PD, PD),
        (t, c, r) -> assertThat(((Return) r).getState()).isEqualTo(Return.State.WITHDRAWN));
    add(rows, ReturnServiceGrpc.getGetReturnMethod(), null, ORDERS_READ,
        Targets::sharedReturn,
        (s, t, c) -> s.returns().getReturn(GetReturnRequest.newBuilder().setReturnId(t.returnId()).build()),
        codes(OK, NF, OK, NF, OK, PD, PD, PD),
        (t, c, r) -> assertThat(((Return) r).getReturnId()).isEqualTo(t.returnId()));
    add(rows, ReturnServiceGrpc.getListReturnsMethod(), null, ORDERS_READ,
        Targets::sharedReturn,
        (s, t, c) -> s.returns().listReturns(ListReturnsRequest.newBuilder().setPageSize(100).build()),
        codes(OK, OK, OK, OK, OK, PD, PD, PD),
        (t, c, r) -> {
          List<Return> returns = ((ListReturnsResponse) r).getReturnsList();
          switch (c) {
            case OTHER_BUYER, OTHER_SELLER, CASE_VARIANT_BUYER, CASE_VARIANT_SELLER ->
                assertThat(returns).as("a non-party's own listing").isEmpty();
            case OWNER_BUYER -> assertThat(returns).isNotEmpty().allSatisfy(x -> assertThat(x.getBuyerId()).isEqualTo(B1));
            case OWNER_SELLER -> assertThat(returns).isNotEmpty().allSatisfy(x -> assertThat(x.getSellerId()).isEqualTo(S1));
            default -> assertThat(returns).extracting(Return::getReturnId).contains(t.returnId());
          }
        });
    return rows;
  }

  static RequestReturnRequest requestReturnRequest(String orderId) {
    return RequestReturnRequest.newBuilder()
        .setRequestId(Requests.newId())
        .setOrderId(orderId)
        .addLines(RequestReturnRequest.Line.newBuilder().setLineIndex(1).setQuantity(1))
        .setReason(Return.Reason.CHANGED_MIND)
        .setDescription("ordered the wrong size")
        .build();
  }

  static OpenDisputeRequest openDisputeRequest(String orderId) {
    return OpenDisputeRequest.newBuilder()
        .setRequestId(Requests.newId())
        .setOrderId(orderId)
        .setReason(Dispute.Reason.NOT_RECEIVED)
        .setDescription("the parcel has not arrived")
        .setFullRefund(true)
        .build();
  }

  static OpenSupportCaseRequest openCaseRequest(String orderId) {
    return OpenSupportCaseRequest.newBuilder()
        .setRequestId(Requests.newId())
        .setOrderId(orderId)
        .setKind(SupportCase.Kind.OTHER)
        .setDescription("the parcel is stuck at customs")
        .build();
  }

  static ProposeModificationRequest proposeRequest(String orderId) {
    return ProposeModificationRequest.newBuilder()
        .setRequestId(Requests.newId())
        .setOrderId(orderId)
        .setQuantityChange(Modification.QuantityChange.newBuilder().setLineIndex(0).setQuantity(3))
        .build();
  }

  private static void add(
      Map<String, Row> rows,
      MethodDescriptor<?, ?> method,
      String scope,
      String otherScope,
      Prep prep,
      Call call,
      Map<Caller, Code> expected,
      Check check) {
    add(rows, method, scope, otherScope, prep, call, expected, check, Map.of());
  }

  private static void add(
      Map<String, Row> rows,
      MethodDescriptor<?, ?> method,
      String scope,
      String otherScope,
      Prep prep,
      Call call,
      Map<Caller, Code> expected,
      Check check,
      Map<Caller, String> deniedReasons) {
    if (otherScope.equals(scope)) {
      throw new IllegalArgumentException("the other scope must differ from the rule's: " + method.getFullMethodName());
    }
    Row previous =
        rows.put(
            method.getFullMethodName(), new Row(method, Optional.ofNullable(scope), otherScope, prep, call, expected, check, deniedReasons));
    if (previous != null) {
      throw new IllegalArgumentException("two rows for " + method.getFullMethodName());
    }
  }

  /**
   * The codes of the eight parties, in {@link Caller} order; the look-alikes are UNAUTHENTICATED and
   * the case variants answered as the other buyer and the other seller, for every RPC.
   */
  private static Map<Caller, Code> codes(Code... codes) {
    if (codes.length != Caller.LOOKALIKE_BUYER.ordinal()) {
      throw new IllegalArgumentException("one code per party");
    }
    Map<Caller, Code> map = new EnumMap<>(Caller.class);
    for (Caller caller : Caller.values()) {
      Code code =
          switch (caller) {
            case LOOKALIKE_BUYER, LOOKALIKE_SELLER, LOOKALIKE_SUPPORT, LOOKALIKE_SERVICE -> Code.UNAUTHENTICATED;
            case CASE_VARIANT_BUYER -> codes[Caller.OTHER_BUYER.ordinal()];
            case CASE_VARIANT_SELLER -> codes[Caller.OTHER_SELLER.ordinal()];
            default -> codes[caller.ordinal()];
          };
      map.put(caller, code);
    }
    return map;
  }

  static CancelOrderRequest cancelRequest(String orderId) {
    return CancelOrderRequest.newBuilder()
        .setRequestId(Requests.newId())
        .setOrderId(orderId)
        .setReason(CancellationReason.Code.WRONG_ITEM_OR_SIZE)
        .build();
  }
}
