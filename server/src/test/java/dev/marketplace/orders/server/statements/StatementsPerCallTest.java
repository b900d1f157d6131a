package dev.marketplace.orders.server.statements;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.conversation.ConversationSettings;
import dev.marketplace.orders.domain.persistence.StatementLog;
import dev.marketplace.orders.server.auth.AuthRules;
import dev.marketplace.orders.server.config.ConversationConfig;
import dev.marketplace.orders.server.testing.FakeLibreTranslate;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.testing.Requests;
import dev.marketplace.orders.v1.AcceptDisputeOfferRequest;
import dev.marketplace.orders.v1.AcceptModificationRequest;
import dev.marketplace.orders.v1.ApproveCancellationRequestRequest;
import dev.marketplace.orders.v1.CancelOrderRequest;
import dev.marketplace.orders.v1.CancellationReason;
import dev.marketplace.orders.v1.CancellationRequest;
import dev.marketplace.orders.v1.CancellationServiceGrpc;
import dev.marketplace.orders.v1.CheckCancellationEligibilityRequest;
import dev.marketplace.orders.v1.ConversationServiceGrpc;
import dev.marketplace.orders.v1.DeclineModificationRequest;
import dev.marketplace.orders.v1.Dispute;
import dev.marketplace.orders.v1.DisputeServiceGrpc;
import dev.marketplace.orders.v1.AssignSupportCaseRequest;
import dev.marketplace.orders.v1.GetSupportCaseRequest;
import dev.marketplace.orders.v1.ListSupportCasesRequest;
import dev.marketplace.orders.v1.OpenSupportCaseRequest;
import dev.marketplace.orders.v1.ResolveSupportCaseRequest;
import dev.marketplace.orders.v1.SupportCase;
import dev.marketplace.orders.v1.SupportServiceGrpc;
import dev.marketplace.orders.v1.ApproveReturnRequest;
import dev.marketplace.orders.v1.ConfirmReturnReceivedRequest;
import dev.marketplace.orders.v1.GetReturnRequest;
import dev.marketplace.orders.v1.ListReturnsRequest;
import dev.marketplace.orders.v1.RecordReturnShipmentRequest;
import dev.marketplace.orders.v1.RejectReturnRequest;
import dev.marketplace.orders.v1.RequestReturnRequest;
import dev.marketplace.orders.v1.Return;
import dev.marketplace.orders.v1.ReturnServiceGrpc;
import dev.marketplace.orders.v1.WithdrawReturnRequest;
import dev.marketplace.orders.v1.EscalateDisputeRequest;
import dev.marketplace.orders.v1.ForceCancelOrderRequest;
import dev.marketplace.orders.v1.GetCancellationRequestRequest;
import dev.marketplace.orders.v1.GetDisputeRequest;
import dev.marketplace.orders.v1.GetModificationRequest;
import dev.marketplace.orders.v1.GetOrderRequest;
import dev.marketplace.orders.v1.LineQuantity;
import dev.marketplace.orders.v1.ListCancellationReasonsRequest;
import dev.marketplace.orders.v1.ListCancellationRequestsRequest;
import dev.marketplace.orders.v1.ListConversationsRequest;
import dev.marketplace.orders.v1.ListDisputesRequest;
import dev.marketplace.orders.v1.ListMessagesRequest;
import dev.marketplace.orders.v1.ListModificationsRequest;
import dev.marketplace.orders.v1.ListOrderEventsRequest;
import dev.marketplace.orders.v1.WatchOrderEventsRequest;
import dev.marketplace.orders.v1.WatchOrderEventsResponse;
import dev.marketplace.orders.v1.ListOrdersRequest;
import dev.marketplace.orders.v1.MarkConversationReadRequest;
import dev.marketplace.orders.v1.Message;
import dev.marketplace.orders.v1.Modification;
import dev.marketplace.orders.v1.ModificationServiceGrpc;
import dev.marketplace.orders.v1.OpenDisputeRequest;
import dev.marketplace.orders.v1.OrderServiceGrpc;
import dev.marketplace.orders.v1.ProposeModificationRequest;
import dev.marketplace.orders.v1.RecordPaymentRequest;
import dev.marketplace.orders.v1.RecordRefundResultRequest;
import dev.marketplace.orders.v1.RejectCancellationRequestRequest;
import dev.marketplace.orders.v1.ResolveDisputeRequest;
import dev.marketplace.orders.v1.RespondToDisputeRequest;
import dev.marketplace.orders.v1.SendMessageRequest;
import dev.marketplace.orders.v1.WithdrawCancellationRequestRequest;
import dev.marketplace.orders.v1.WithdrawDisputeRequest;
import dev.marketplace.orders.v1.WithdrawModificationRequest;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each RPC sends to the database, measured from the statement log while the seed's story plays
 * through real gRPC calls: every RPC that touches the database runs in exactly one transaction (the
 * one exception: a conversation read that had to translate caches the translations in a second), and
 * the statements of each are written down in {@code docs/statements.md}. The test fails when the
 * document and the code disagree; {@code -Dstatements.write=true} rewrites the document.
 */
class StatementsPerCallTest {

  private static final Path DOC = Path.of("..", "docs", "statements.md");
  private static final Pattern TABLE = Pattern.compile("`(\\w+)`");

  record Measured(String label, MethodDescriptor<?, ?> method, int transactions, List<String> statements) {}

  private final List<Measured> measured = new ArrayList<>();
  private Path log;

  @Test
  void everyRpcRunsInOneTransaction_andTheStatementsOfEachAreDocumented(@TempDir Path dir) throws Exception {
    log = dir.resolve("statements.jsonl");
    try (StatementLog statementLog = StatementLog.to(log);
        GrpcTestServer server = new GrpcTestServer(statementLog)) {
      playTheStory(server);
    }
    try (StatementLog statementLog = StatementLog.to(log);
        FakeLibreTranslate translator = new FakeLibreTranslate();
        GrpcTestServer server =
            new GrpcTestServer(
                new ConversationConfig(
                    ConversationSettings.defaults(), false, Optional.of(translator.url()), Optional.empty(), Duration.ofSeconds(5)),
                statementLog)) {
      playTranslatedRead(server);
    }

    Set<String> covered = measured.stream().map(m -> m.method().getFullMethodName()).collect(Collectors.toCollection(TreeSet::new));
    Set<String> rpcs = new TreeSet<>();
    OrderServiceGrpc.getServiceDescriptor().getMethods().forEach(m -> rpcs.add(m.getFullMethodName()));
    CancellationServiceGrpc.getServiceDescriptor().getMethods().forEach(m -> rpcs.add(m.getFullMethodName()));
    ConversationServiceGrpc.getServiceDescriptor().getMethods().forEach(m -> rpcs.add(m.getFullMethodName()));
    ModificationServiceGrpc.getServiceDescriptor().getMethods().forEach(m -> rpcs.add(m.getFullMethodName()));
    DisputeServiceGrpc.getServiceDescriptor().getMethods().forEach(m -> rpcs.add(m.getFullMethodName()));
    SupportServiceGrpc.getServiceDescriptor().getMethods().forEach(m -> rpcs.add(m.getFullMethodName()));
    ReturnServiceGrpc.getServiceDescriptor().getMethods().forEach(m -> rpcs.add(m.getFullMethodName()));
    assertThat(covered).as("every RPC measured").containsExactlyInAnyOrderElementsOf(rpcs);
    for (Measured m : measured) {
      // The one deliberate exception: a read that had to translate caches the translations in a
      // second transaction after the translator answered (docs/architecture.md).
      int expected =
          m.method() == CancellationServiceGrpc.getListCancellationReasonsMethod() ? 0 : m.label().startsWith(TRANSLATED_READ) ? 2 : 1;
      assertThat(m.transactions()).as(m.label() + ": transactions").isEqualTo(expected);
    }

    String document = document();
    if (Boolean.getBoolean("statements.write")) {
      Files.writeString(DOC, document);
    }
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "statements.md"), document);
    assertThat(Files.exists(DOC) ? Files.readString(DOC) : "")
        .as("docs/statements.md is what the RPCs send (rewrite it with -Dstatements.write=true; see target/statements.md)")
        .isEqualTo(document);
  }

  private static final String TRANSLATED_READ = "ListMessages, translator configured";

  /** Conversations: a buyer writes, the seller reads their inbox and the thread, marks it read. */
  private void playConversation(GrpcTestServer server, String orderId, String buyer, String seller) throws IOException {
    var buyerTalks = server.conversationsAs(buyer, Role.BUYER);
    var sellerTalks = server.conversationsAs(seller, Role.SELLER);
    buyerTalks.sendMessage(SendMessageRequest.newBuilder().setRequestId(Requests.newId()).setOrderId(orderId).setText("Hello?").setLanguageCode("en").build());
    Message sent =
        measure(
            "SendMessage, the second message",
            ConversationServiceGrpc.getSendMessageMethod(),
            () ->
                buyerTalks.sendMessage(
                    SendMessageRequest.newBuilder().setRequestId(Requests.newId()).setOrderId(orderId).setText("Can you ship it in blue?").setLanguageCode("en").build()));
    measure(
        "ListConversations, the seller's inbox",
        ConversationServiceGrpc.getListConversationsMethod(),
        () -> sellerTalks.listConversations(ListConversationsRequest.newBuilder().setPageSize(20).build()));
    measure(
        "ListMessages, no translator",
        ConversationServiceGrpc.getListMessagesMethod(),
        () -> sellerTalks.listMessages(ListMessagesRequest.newBuilder().setOrderId(orderId).setViewLanguageCode("de").build()));
    measure(
        "MarkConversationRead",
        ConversationServiceGrpc.getMarkConversationReadMethod(),
        () ->
            sellerTalks.markConversationRead(
                MarkConversationReadRequest.newBuilder().setRequestId(Requests.newId()).setOrderId(orderId).setMessageId(sent.getMessageId()).build()));
  }

  private void playTranslatedRead(GrpcTestServer server) throws IOException {
    String orderId = server.ordersAs("checkout", Role.SERVICE, AuthRules.ORDERS_CREATE).createOrder(Requests.create("buyer-8", "seller-8")).getOrderId();
    server.conversationsAs("buyer-8", Role.BUYER)
        .sendMessage(SendMessageRequest.newBuilder().setRequestId(Requests.newId()).setOrderId(orderId).setText("Can you ship it in blue?").setLanguageCode("en").build());
    measure(
        TRANSLATED_READ + ": the read, then the new translation cached",
        ConversationServiceGrpc.getListMessagesMethod(),
        () -> server.conversationsAs("seller-8", Role.SELLER).listMessages(ListMessagesRequest.newBuilder().setOrderId(orderId).setViewLanguageCode("de").build()));
  }

  private void playTheStory(GrpcTestServer server) throws IOException {
    String buyer = "buyer-7";
    String seller = "seller-7";
    var checkout = server.ordersAs("checkout", Role.SERVICE, AuthRules.ORDERS_CREATE);
    var payments = server.ordersAs("payments", Role.SERVICE, AuthRules.PAYMENTS_RECORD);
    var refunds = server.cancellationsAs("payments", Role.SERVICE, AuthRules.REFUNDS_RECORD);
    var buyerOrders = server.ordersAs(buyer, Role.BUYER);
    var sellerOrders = server.ordersAs(seller, Role.SELLER);
    var buyerCancels = server.cancellationsAs(buyer, Role.BUYER);
    var sellerCancels = server.cancellationsAs(seller, Role.SELLER);

    String unpaid = measure("CreateOrder", OrderServiceGrpc.getCreateOrderMethod(), () -> checkout.createOrder(Requests.create(buyer, seller))).getOrderId();
    measure("CancelOrder, unpaid: cancelled at once", CancellationServiceGrpc.getCancelOrderMethod(), () -> buyerCancels.cancelOrder(cancel(unpaid)));

    String paid = checkout.createOrder(Requests.create(buyer, seller)).getOrderId();
    measure("RecordPayment, captured", OrderServiceGrpc.getRecordPaymentMethod(), () -> payments.recordPayment(Requests.payment(paid, RecordPaymentRequest.Outcome.CAPTURED)));
    measure("GetOrder", OrderServiceGrpc.getGetOrderMethod(), () -> buyerOrders.getOrder(GetOrderRequest.newBuilder().setOrderId(paid).build()));
    measure("ListOrders, first page", OrderServiceGrpc.getListOrdersMethod(), () -> buyerOrders.listOrders(ListOrdersRequest.newBuilder().setPageSize(20).build()));
    measure(
        "CheckCancellationEligibility",
        CancellationServiceGrpc.getCheckCancellationEligibilityMethod(),
        () -> buyerCancels.checkCancellationEligibility(CheckCancellationEligibilityRequest.newBuilder().setOrderId(paid).build()));
    CancellationRequest requested =
        measure("CancelOrder, paid: a request to the seller", CancellationServiceGrpc.getCancelOrderMethod(), () -> buyerCancels.cancelOrder(cancel(paid)))
            .getCancellationRequest();
    measure(
        "ListCancellationRequests, the seller's inbox",
        CancellationServiceGrpc.getListCancellationRequestsMethod(),
        () -> sellerCancels.listCancellationRequests(ListCancellationRequestsRequest.newBuilder().setPageSize(20).build()));
    measure(
        "GetCancellationRequest",
        CancellationServiceGrpc.getGetCancellationRequestMethod(),
        () -> sellerCancels.getCancellationRequest(GetCancellationRequestRequest.newBuilder().setCancellationRequestId(requested.getCancellationRequestId()).build()));
    CancellationRequest approved =
        measure(
            "ApproveCancellationRequest",
            CancellationServiceGrpc.getApproveCancellationRequestMethod(),
            () ->
                sellerCancels.approveCancellationRequest(
                    ApproveCancellationRequestRequest.newBuilder()
                        .setRequestId(Requests.newId())
                        .setCancellationRequestId(requested.getCancellationRequestId())
                        .build()));
    measure(
        "RecordRefundResult, completed",
        CancellationServiceGrpc.getRecordRefundResultMethod(),
        () ->
            refunds.recordRefundResult(
                RecordRefundResultRequest.newBuilder()
                    .setRequestId(Requests.newId())
                    .setRefundId(approved.getRefund().getRefundId())
                    .setOutcome(RecordRefundResultRequest.Outcome.COMPLETED)
                    .build()));
    measure("ListOrderEvents", OrderServiceGrpc.getListOrderEventsMethod(), () -> buyerOrders.listOrderEvents(ListOrderEventsRequest.newBuilder().setOrderId(paid).build()));

    // Partial cancellation: one unit of an unpaid order at once; one unit of a paid order through the seller.
    String partlyUnpaid = checkout.createOrder(Requests.create(buyer, seller)).getOrderId();
    measure(
        "CancelOrder, unpaid, one unit: cancelled at once",
        CancellationServiceGrpc.getCancelOrderMethod(),
        () -> buyerCancels.cancelOrder(cancel(partlyUnpaid).toBuilder().addLineItems(LineQuantity.newBuilder().setLineIndex(0).setQuantity(1)).build()));
    String partlyPaid = paidOrder(checkout, payments, buyer, seller);
    String partialRequest =
        buyerCancels.cancelOrder(cancel(partlyPaid).toBuilder().addLineItems(LineQuantity.newBuilder().setLineIndex(0).setQuantity(1)).build())
            .getCancellationRequest()
            .getCancellationRequestId();
    measure(
        "ApproveCancellationRequest, partial: the units cancelled, their share refunded",
        CancellationServiceGrpc.getApproveCancellationRequestMethod(),
        () ->
            sellerCancels.approveCancellationRequest(
                ApproveCancellationRequestRequest.newBuilder().setRequestId(Requests.newId()).setCancellationRequestId(partialRequest).build()));

    String rejected = paidOrder(checkout, payments, buyer, seller);
    String toReject = buyerCancels.cancelOrder(cancel(rejected)).getCancellationRequest().getCancellationRequestId();
    measure(
        "RejectCancellationRequest",
        CancellationServiceGrpc.getRejectCancellationRequestMethod(),
        () ->
            sellerCancels.rejectCancellationRequest(
                RejectCancellationRequestRequest.newBuilder()
                    .setRequestId(Requests.newId())
                    .setCancellationRequestId(toReject)
                    .setRejectionReason(CancellationRequest.RejectionReason.ALREADY_PREPARED_OR_CUSTOMISED)
                    .build()));
    playConversation(server, rejected, buyer, seller);
    measure("ShipOrder", OrderServiceGrpc.getShipOrderMethod(), () -> sellerOrders.shipOrder(Requests.ship(rejected)));
    measure("ConfirmDelivery", OrderServiceGrpc.getConfirmDeliveryMethod(), () -> buyerOrders.confirmDelivery(Requests.deliver(rejected)));

    String withdrawn = paidOrder(checkout, payments, buyer, seller);
    String toWithdraw = buyerCancels.cancelOrder(cancel(withdrawn)).getCancellationRequest().getCancellationRequestId();
    measure(
        "WithdrawCancellationRequest",
        CancellationServiceGrpc.getWithdrawCancellationRequestMethod(),
        () ->
            buyerCancels.withdrawCancellationRequest(
                WithdrawCancellationRequestRequest.newBuilder().setRequestId(Requests.newId()).setCancellationRequestId(toWithdraw).build()));

    String forced = paidOrder(checkout, payments, buyer, seller);
    measure(
        "ForceCancelOrder",
        CancellationServiceGrpc.getForceCancelOrderMethod(),
        () ->
            server.cancellationsAs("agent-1", Role.SUPPORT)
                .forceCancelOrder(ForceCancelOrderRequest.newBuilder().setRequestId(Requests.newId()).setOrderId(forced).setReason("fraud").build()));

    var buyerModifies = server.modificationsAs(buyer, Role.BUYER);
    var sellerModifies = server.modificationsAs(seller, Role.SELLER);
    String unpaidChange = checkout.createOrder(Requests.create(buyer, seller)).getOrderId();
    Modification more =
        measure("ProposeModification, unpaid: more units", ModificationServiceGrpc.getProposeModificationMethod(), () -> buyerModifies.proposeModification(quantity(unpaidChange, 3)));
    measure(
        "GetModification",
        ModificationServiceGrpc.getGetModificationMethod(),
        () -> sellerModifies.getModification(GetModificationRequest.newBuilder().setModificationId(more.getModificationId()).build()));
    measure(
        "ListModifications, the seller's",
        ModificationServiceGrpc.getListModificationsMethod(),
        () -> sellerModifies.listModifications(ListModificationsRequest.newBuilder().setPageSize(20).build()));
    measure(
        "AcceptModification, unpaid: the new total",
        ModificationServiceGrpc.getAcceptModificationMethod(),
        () -> sellerModifies.acceptModification(AcceptModificationRequest.newBuilder().setRequestId(Requests.newId()).setModificationId(more.getModificationId()).build()));

    String paidChange = paidOrder(checkout, payments, buyer, seller);
    Modification fewer =
        measure("ProposeModification, paid: fewer units", ModificationServiceGrpc.getProposeModificationMethod(), () -> buyerModifies.proposeModification(quantity(paidChange, 1)));
    measure(
        "AcceptModification, paid and cheaper: the difference refunded",
        ModificationServiceGrpc.getAcceptModificationMethod(),
        () -> sellerModifies.acceptModification(AcceptModificationRequest.newBuilder().setRequestId(Requests.newId()).setModificationId(fewer.getModificationId()).build()));

    String declined = paidOrder(checkout, payments, buyer, seller);
    Modification toDecline = sellerModifies.proposeModification(quantity(declined, 1));
    measure(
        "DeclineModification",
        ModificationServiceGrpc.getDeclineModificationMethod(),
        () -> buyerModifies.declineModification(DeclineModificationRequest.newBuilder().setRequestId(Requests.newId()).setModificationId(toDecline.getModificationId()).build()));
    Modification proposalToWithdraw = sellerModifies.proposeModification(quantity(declined, 1));
    measure(
        "WithdrawModification",
        ModificationServiceGrpc.getWithdrawModificationMethod(),
        () -> sellerModifies.withdrawModification(WithdrawModificationRequest.newBuilder().setRequestId(Requests.newId()).setModificationId(proposalToWithdraw.getModificationId()).build()));

    String unanswered = paidOrder(checkout, payments, buyer, seller);
    Modification ignored = buyerModifies.proposeModification(quantity(unanswered, 1));

    String silent = paidOrder(checkout, payments, buyer, seller);
    buyerCancels.cancelOrder(cancel(silent));
    server.clock.advance(Duration.ofHours(73));
    measure(
        "GetModification, nobody answered past the deadline: settled on read",
        ModificationServiceGrpc.getGetModificationMethod(),
        () -> server.modificationsAs(buyer, Role.BUYER).getModification(GetModificationRequest.newBuilder().setModificationId(ignored.getModificationId()).build()));
    measure(
        "GetOrder, the seller silent past the deadline: settled on read",
        OrderServiceGrpc.getGetOrderMethod(),
        () -> server.ordersAs(buyer, Role.BUYER).getOrder(GetOrderRequest.newBuilder().setOrderId(silent).build()));
    measure(
        "ListCancellationReasons",
        CancellationServiceGrpc.getListCancellationReasonsMethod(),
        () -> server.cancellationsAs(buyer, Role.BUYER).listCancellationReasons(ListCancellationReasonsRequest.getDefaultInstance()));
    playDisputes(server, buyer, seller);
    playSupport(server, buyer, seller);
    playReturns(server, buyer, seller);
  }

  /** Disputes on shipped orders: every answer, an escalation, support's decision, a withdrawal, the deadline on read. */
  private void playDisputes(GrpcTestServer server, String buyer, String seller) throws IOException {
    // Tokens are issued at the server's clock, which this story moves on: fresh stubs after each move.
    var checkout = server.ordersAs("checkout", Role.SERVICE, AuthRules.ORDERS_CREATE);
    var payments = server.ordersAs("payments", Role.SERVICE, AuthRules.PAYMENTS_RECORD);
    var logistics = server.ordersAs("logistics", Role.SERVICE, AuthRules.LOGISTICS_SHIP);
    var buyerDisputes = server.disputesAs(buyer, Role.BUYER);
    var sellerDisputes = server.disputesAs(seller, Role.SELLER);
    String offered = paidOrder(checkout, payments, buyer, seller);
    logistics.shipOrder(Requests.ship(offered));
    Dispute first = measure("OpenDispute, shipped: a full refund asked", DisputeServiceGrpc.getOpenDisputeMethod(), () -> buyerDisputes.openDispute(openDispute(offered)));
    measure("GetDispute", DisputeServiceGrpc.getGetDisputeMethod(), () -> sellerDisputes.getDispute(GetDisputeRequest.newBuilder().setDisputeId(first.getDisputeId()).build()));
    measure("ListDisputes, the seller's", DisputeServiceGrpc.getListDisputesMethod(), () -> sellerDisputes.listDisputes(ListDisputesRequest.newBuilder().setPageSize(20).build()));
    measure(
        "RespondToDispute, offer a partial refund",
        DisputeServiceGrpc.getRespondToDisputeMethod(),
        () ->
            sellerDisputes.respondToDispute(
                RespondToDisputeRequest.newBuilder()
                    .setRequestId(Requests.newId())
                    .setDisputeId(first.getDisputeId())
                    .setOffer(RespondToDisputeRequest.Offer.newBuilder().setAmount(Requests.usd(500)))
                    .build()));
    measure(
        "AcceptDisputeOffer: the offer refunded",
        DisputeServiceGrpc.getAcceptDisputeOfferMethod(),
        () -> buyerDisputes.acceptDisputeOffer(AcceptDisputeOfferRequest.newBuilder().setRequestId(Requests.newId()).setDisputeId(first.getDisputeId()).build()));

    String accepted = paidOrder(checkout, payments, buyer, seller);
    logistics.shipOrder(Requests.ship(accepted));
    Dispute second = buyerDisputes.openDispute(openDispute(accepted));
    measure(
        "RespondToDispute, accept: the asked refund issued",
        DisputeServiceGrpc.getRespondToDisputeMethod(),
        () ->
            sellerDisputes.respondToDispute(
                RespondToDisputeRequest.newBuilder()
                    .setRequestId(Requests.newId())
                    .setDisputeId(second.getDisputeId())
                    .setAccept(RespondToDisputeRequest.Accept.getDefaultInstance())
                    .build()));

    String rejected = paidOrder(checkout, payments, buyer, seller);
    logistics.shipOrder(Requests.ship(rejected));
    Dispute third = buyerDisputes.openDispute(openDispute(rejected));
    measure(
        "RespondToDispute, reject",
        DisputeServiceGrpc.getRespondToDisputeMethod(),
        () ->
            sellerDisputes.respondToDispute(
                RespondToDisputeRequest.newBuilder()
                    .setRequestId(Requests.newId())
                    .setDisputeId(third.getDisputeId())
                    .setReject(RespondToDisputeRequest.Reject.newBuilder().setNote("delivered as described"))
                    .build()));
    String withdrawn = paidOrder(checkout, payments, buyer, seller);
    logistics.shipOrder(Requests.ship(withdrawn));
    Dispute fourth = buyerDisputes.openDispute(openDispute(withdrawn));
    measure(
        "WithdrawDispute",
        DisputeServiceGrpc.getWithdrawDisputeMethod(),
        () -> buyerDisputes.withdrawDispute(WithdrawDisputeRequest.newBuilder().setRequestId(Requests.newId()).setDisputeId(fourth.getDisputeId()).build()));
    String unanswered = paidOrder(checkout, payments, buyer, seller);
    logistics.shipOrder(Requests.ship(unanswered));
    Dispute fifth = buyerDisputes.openDispute(openDispute(unanswered));

    server.clock.advance(Duration.ofDays(3));
    var buyerLater = server.disputesAs(buyer, Role.BUYER);
    measure(
        "EscalateDispute, after the escalation delay",
        DisputeServiceGrpc.getEscalateDisputeMethod(),
        () -> buyerLater.escalateDispute(EscalateDisputeRequest.newBuilder().setRequestId(Requests.newId()).setDisputeId(third.getDisputeId()).build()));
    measure(
        "ResolveDispute, a partial refund",
        DisputeServiceGrpc.getResolveDisputeMethod(),
        () ->
            server.disputesAs("agent-7", Role.SUPPORT)
                .resolveDispute(
                    ResolveDisputeRequest.newBuilder()
                        .setRequestId(Requests.newId())
                        .setDisputeId(third.getDisputeId())
                        .setDecision(ResolveDisputeRequest.Decision.PARTIAL_REFUND)
                        .setRefundAmount(Requests.usd(300))
                        .setNote("half of the damaged case")
                        .build()));
    server.clock.advance(Duration.ofDays(12));
    measure(
        "GetDispute, not agreed past the deadline: escalated on read",
        DisputeServiceGrpc.getGetDisputeMethod(),
        () -> server.disputesAs(buyer, Role.BUYER).getDispute(GetDisputeRequest.newBuilder().setDisputeId(fifth.getDisputeId()).build()));
  }

  /** Support cases: one opened after the seller let a request lapse, the queue, an assignment, two resolutions. */
  private void playSupport(GrpcTestServer server, String buyer, String seller) throws IOException {
    var checkout = server.ordersAs("checkout", Role.SERVICE, AuthRules.ORDERS_CREATE);
    var payments = server.ordersAs("payments", Role.SERVICE, AuthRules.PAYMENTS_RECORD);
    String lapsed = paidOrder(checkout, payments, buyer, seller);
    server.cancellationsAs(buyer, Role.BUYER).cancelOrder(cancel(lapsed));
    server.clock.advance(Duration.ofHours(73));
    var buyerSupport = server.supportAs(buyer, Role.BUYER);
    var agent = server.supportAs("agent-7", Role.SUPPORT);
    SupportCase notProcessed =
        measure(
            "OpenSupportCase, the seller silent past the deadline: approved on the way",
            SupportServiceGrpc.getOpenSupportCaseMethod(),
            () -> buyerSupport.openSupportCase(openCase(lapsed, SupportCase.Kind.CANCELLATION_NOT_PROCESSED)));
    measure(
        "GetSupportCase, by reference",
        SupportServiceGrpc.getGetSupportCaseMethod(),
        () -> buyerSupport.getSupportCase(GetSupportCaseRequest.newBuilder().setReference(notProcessed.getReference()).build()));
    String paid = paidOrder(server.ordersAs("checkout", Role.SERVICE, AuthRules.ORDERS_CREATE), server.ordersAs("payments", Role.SERVICE, AuthRules.PAYMENTS_RECORD), buyer, seller);
    SupportCase other = buyerSupport.openSupportCase(openCase(paid, SupportCase.Kind.OTHER));
    SupportCase seller1 = server.supportAs(seller, Role.SELLER).openSupportCase(openCase(paid, SupportCase.Kind.OTHER));
    measure(
        "ListSupportCases, the queue",
        SupportServiceGrpc.getListSupportCasesMethod(),
        () -> agent.listSupportCases(ListSupportCasesRequest.newBuilder().setPageSize(20).build()));
    measure(
        "AssignSupportCase",
        SupportServiceGrpc.getAssignSupportCaseMethod(),
        () -> agent.assignSupportCase(AssignSupportCaseRequest.newBuilder().setRequestId(Requests.newId()).setCaseId(other.getCaseId()).build()));
    measure(
        "ResolveSupportCase, a partial refund",
        SupportServiceGrpc.getResolveSupportCaseMethod(),
        () ->
            agent.resolveSupportCase(
                ResolveSupportCaseRequest.newBuilder()
                    .setRequestId(Requests.newId())
                    .setCaseId(other.getCaseId())
                    .setRefund(ResolveSupportCaseRequest.IssueRefund.newBuilder().setPartialRefund(Requests.usd(200)))
                    .setNote("a goodwill refund")
                    .build()));
    measure(
        "ResolveSupportCase, force the cancellation: the rest refunded",
        SupportServiceGrpc.getResolveSupportCaseMethod(),
        () ->
            agent.resolveSupportCase(
                ResolveSupportCaseRequest.newBuilder()
                    .setRequestId(Requests.newId())
                    .setCaseId(seller1.getCaseId())
                    .setForceCancellation(ResolveSupportCaseRequest.ForceCancellation.getDefaultInstance())
                    .setNote("the seller cannot ship")
                    .build()));
  }

  /** Returns of delivered orders: each answer, the parcel, receipt with its refund, a withdrawal, the deadline on read. */
  private void playReturns(GrpcTestServer server, String buyer, String seller) throws IOException {
    var checkout = server.ordersAs("checkout", Role.SERVICE, AuthRules.ORDERS_CREATE);
    var payments = server.ordersAs("payments", Role.SERVICE, AuthRules.PAYMENTS_RECORD);
    var logistics = server.ordersAs("logistics", Role.SERVICE, AuthRules.LOGISTICS_SHIP);
    var buyerReturns = server.returnsAs(buyer, Role.BUYER);
    var sellerReturns = server.returnsAs(seller, Role.SELLER);
    String received = deliveredOrder(checkout, payments, logistics, buyer, seller);
    Return first =
        measure("RequestReturn, one unit of a delivered order", ReturnServiceGrpc.getRequestReturnMethod(), () -> buyerReturns.requestReturn(requestReturn(received)));
    measure("GetReturn", ReturnServiceGrpc.getGetReturnMethod(), () -> sellerReturns.getReturn(GetReturnRequest.newBuilder().setReturnId(first.getReturnId()).build()));
    measure("ListReturns, the seller's", ReturnServiceGrpc.getListReturnsMethod(), () -> sellerReturns.listReturns(ListReturnsRequest.newBuilder().setPageSize(20).build()));
    measure(
        "ApproveReturn",
        ReturnServiceGrpc.getApproveReturnMethod(),
        () -> sellerReturns.approveReturn(ApproveReturnRequest.newBuilder().setRequestId(Requests.newId()).setReturnId(first.getReturnId()).build()));
    measure(
        "RecordReturnShipment",
        ReturnServiceGrpc.getRecordReturnShipmentMethod(),
        () ->
            buyerReturns.recordReturnShipment(
                RecordReturnShipmentRequest.newBuilder()
                    .setRequestId(Requests.newId())
                    .setReturnId(first.getReturnId())
                    .setCarrier("Cainiao")
                    .setTrackingNumber("LP00RETURN")
                    .build()));
    measure(
        "ConfirmReturnReceived: the units counted, their share refunded",
        ReturnServiceGrpc.getConfirmReturnReceivedMethod(),
        () -> sellerReturns.confirmReturnReceived(ConfirmReturnReceivedRequest.newBuilder().setRequestId(Requests.newId()).setReturnId(first.getReturnId()).build()));
    String rejected = deliveredOrder(checkout, payments, logistics, buyer, seller);
    Return second = buyerReturns.requestReturn(requestReturn(rejected));
    measure(
        "RejectReturn",
        ReturnServiceGrpc.getRejectReturnMethod(),
        () -> sellerReturns.rejectReturn(RejectReturnRequest.newBuilder().setRequestId(Requests.newId()).setReturnId(second.getReturnId()).setNote("it was used").build()));
    String withdrawn = deliveredOrder(checkout, payments, logistics, buyer, seller);
    Return third = buyerReturns.requestReturn(requestReturn(withdrawn));
    measure(
        "WithdrawReturn",
        ReturnServiceGrpc.getWithdrawReturnMethod(),
        () -> buyerReturns.withdrawReturn(WithdrawReturnRequest.newBuilder().setRequestId(Requests.newId()).setReturnId(third.getReturnId()).build()));
    String unanswered = deliveredOrder(checkout, payments, logistics, buyer, seller);
    Return fourth = buyerReturns.requestReturn(requestReturn(unanswered));
    server.clock.advance(Duration.ofDays(3));
    measure(
        "GetReturn, the seller silent past the deadline: approved on read",
        ReturnServiceGrpc.getGetReturnMethod(),
        () -> server.returnsAs(buyer, Role.BUYER).getReturn(GetReturnRequest.newBuilder().setReturnId(fourth.getReturnId()).build()));

    // Last, because the first stream starts the feed's poller: its statements and the streams' own
    // catch-up reads run on the orders-feed-* threads, are no call's, and are left out of every measure.
    // The first stream of a server also finds the horizon; the one measured is a second.
    WatchOrderEventsRequest watch = WatchOrderEventsRequest.newBuilder().setOrderId(unanswered).setResumeToken("0").build();
    firstMessage(server.ordersAs(buyer, Role.BUYER), watch);
    measure("WatchOrderEvents (its opening)", OrderServiceGrpc.getWatchOrderEventsMethod(), () -> firstMessage(server.ordersAs(buyer, Role.BUYER), watch));
  }

  /** A stream's first message (its opening heartbeat); the stream is then cancelled. */
  private static WatchOrderEventsResponse firstMessage(OrderServiceGrpc.OrderServiceBlockingStub stub, WatchOrderEventsRequest request) {
    io.grpc.Context.CancellableContext stream = io.grpc.Context.current().withCancellation();
    try {
      return stream.call(() -> stub.watchOrderEvents(request).next());
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      stream.cancel(null);
    }
  }

  private static String deliveredOrder(
      OrderServiceGrpc.OrderServiceBlockingStub checkout,
      OrderServiceGrpc.OrderServiceBlockingStub payments,
      OrderServiceGrpc.OrderServiceBlockingStub logistics,
      String buyer,
      String seller) {
    String orderId = paidOrder(checkout, payments, buyer, seller);
    logistics.shipOrder(Requests.ship(orderId));
    logistics.confirmDelivery(Requests.deliver(orderId));
    return orderId;
  }

  private static RequestReturnRequest requestReturn(String orderId) {
    return RequestReturnRequest.newBuilder()
        .setRequestId(Requests.newId())
        .setOrderId(orderId)
        .addLines(RequestReturnRequest.Line.newBuilder().setLineIndex(1).setQuantity(1))
        .setReason(Return.Reason.NOT_AS_DESCRIBED)
        .setDescription("the colour is wrong")
        .build();
  }

  private static OpenSupportCaseRequest openCase(String orderId, SupportCase.Kind kind) {
    return OpenSupportCaseRequest.newBuilder()
        .setRequestId(Requests.newId())
        .setOrderId(orderId)
        .setKind(kind)
        .setDescription("the seller does not answer")
        .build();
  }

  private static OpenDisputeRequest openDispute(String orderId) {
    return OpenDisputeRequest.newBuilder()
        .setRequestId(Requests.newId())
        .setOrderId(orderId)
        .setReason(Dispute.Reason.NOT_RECEIVED)
        .setDescription("the parcel has not arrived")
        .setFullRefund(true)
        .build();
  }

  private static String paidOrder(
      dev.marketplace.orders.v1.OrderServiceGrpc.OrderServiceBlockingStub checkout,
      dev.marketplace.orders.v1.OrderServiceGrpc.OrderServiceBlockingStub payments,
      String buyer,
      String seller) {
    String id = checkout.createOrder(Requests.create(buyer, seller)).getOrderId();
    payments.recordPayment(Requests.payment(id, RecordPaymentRequest.Outcome.CAPTURED));
    return id;
  }

  private static ProposeModificationRequest quantity(String orderId, int quantity) {
    return ProposeModificationRequest.newBuilder()
        .setRequestId(Requests.newId())
        .setOrderId(orderId)
        .setQuantityChange(Modification.QuantityChange.newBuilder().setLineIndex(0).setQuantity(quantity))
        .build();
  }

  private static CancelOrderRequest cancel(String orderId) {
    return CancelOrderRequest.newBuilder()
        .setRequestId(Requests.newId())
        .setOrderId(orderId)
        .setReason(CancellationReason.Code.CHANGE_DELIVERY_ADDRESS)
        .build();
  }

  private <T> T measure(String label, MethodDescriptor<?, ?> method, java.util.function.Supplier<T> call) throws IOException {
    int before = Files.readAllLines(log).size();
    T response = call.get();
    List<String> lines = Files.readAllLines(log);
    List<String> mine = lines.subList(before, lines.size()).stream().filter(l -> !l.contains("\"thread\":\"orders-feed-")).toList();
    int transactions = (int) mine.stream().filter(l -> l.startsWith("{\"event\":\"begin\"")).count();
    List<String> statements =
        mine.stream().filter(l -> l.startsWith("{\"event\":\"statement\"")).map(StatementsPerCallTest::describe).toList();
    measured.add(new Measured(label, method, transactions, statements));
    return response;
  }

  /** A statement as a reader wants it: the verb, the table, and what it filters on, sets or locks. */
  static String describe(String line) {
    String sql = jsonString(line, "sql");
    boolean batch = line.contains("\"rows\":");
    String lower = sql.toLowerCase();
    String text;
    if (lower.startsWith("select")) {
      Matcher from = Pattern.compile("from `(\\w+)`").matcher(lower);
      String table = from.find() ? from.group(1) : "?";
      String where = lower.contains(" where ") ? " where " + columns(sql.substring(lower.indexOf(" where ")), false) : "";
      String tail = lower.contains("skip locked") ? " for update skip locked" : lower.contains("for update") ? " for update" : "";
      String count = lower.startsWith("select count(") ? "count " : "";
      text = "select " + count + table + where + tail;
    } else if (lower.startsWith("insert")) {
      Matcher into = TABLE.matcher(sql);
      text = (lower.startsWith("insert ignore") ? "insert ignore " : "insert ") + (into.find() ? into.group(1) : "?");
    } else if (lower.startsWith("update")) {
      Matcher table = TABLE.matcher(sql);
      String name = table.find() ? table.group(1) : "?";
      String set = sql.substring(lower.indexOf(" set "), lower.indexOf(" where "));
      text = "update " + name + " set " + columns(set, true) + " where " + columns(sql.substring(lower.indexOf(" where ")), false);
    } else if (lower.startsWith("delete")) {
      Matcher table = TABLE.matcher(sql);
      text = "delete " + (table.find() ? table.group(1) : "?") + " where " + columns(sql.substring(lower.indexOf(" where ")), false);
    } else {
      text = lower.split(" ")[0];
    }
    return batch ? text + " (batch)" : text;
  }

  /** The distinct column names of a clause, in order (table qualifiers dropped). */
  private static String columns(String clause, boolean assignments) {
    Matcher m = Pattern.compile("`(\\w+)`(?:\\.`(\\w+)`)?\\s*(=|<|>|<=|>=|in|is)?", Pattern.CASE_INSENSITIVE).matcher(clause);
    Map<String, Boolean> names = new LinkedHashMap<>();
    while (m.find()) {
      String column = m.group(2) != null ? m.group(2) : m.group(1);
      if (m.group(3) != null || assignments) {
        names.put(column, true);
      }
    }
    return String.join(", ", names.keySet());
  }

  private static String jsonString(String line, String key) {
    int start = line.indexOf("\"" + key + "\":\"") + key.length() + 4;
    StringBuilder out = new StringBuilder();
    for (int i = start; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\') {
        out.append(line.charAt(++i));
      } else if (c == '"') {
        break;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private String document() {
    StringBuilder doc = new StringBuilder();
    doc.append("# What each RPC sends to the database\n\n");
    doc.append("Measured by `StatementsPerCallTest` from the statement log (`ORDERS_STATEMENT_LOG`) while the seed's\n");
    doc.append("story plays through real gRPC calls; the test fails when this page and the code disagree\n");
    doc.append("(`./mvnw -B -pl proto,domain,server test -Dtest=StatementsPerCallTest -Dstatements.write=true\n");
    doc.append("-Dsurefire.failIfNoSpecifiedTests=false` rewrites it). Every RPC that touches the database runs in\n");
    doc.append("exactly one transaction, with one deliberate exception: a conversation read (`ListMessages`,\n");
    doc.append("`ListConversations`) that asks for a `view_language_code`, with a translator configured, reads in\n");
    doc.append("its transaction, calls the translator after the commit, and caches what was newly translated in a\n");
    doc.append("second, small transaction (`insert ignore message_translations`), so no lock or connection is held\n");
    doc.append("while the translator answers ([architecture.md](architecture.md)). The order's lines are read with\n");
    doc.append("the order (`select order_lines`); its refunds too (`select refunds`), but only for orders whose row\n");
    doc.append("says they have any (a refunded sum, or a cancellation after payment). An order's row is written\n");
    doc.append("once per call, with only the columns that changed and the figures it carries (`history_length`,\n");
    doc.append("`cancellation_requests_made`, `captured_minor`, `refunded_minor`) and its open modification\n");
    doc.append("(`open_modification_id`, `open_modification_respond_by`): whether one waits, and whether it is due,\n");
    doc.append("needs no read of `modification_requests` (only expiring it does). ListModifications first settles\n");
    doc.append("the party's due modifications (one range scan), as ListOrders and ListCancellationRequests settle due\n");
    doc.append("cancellation requests. WatchOrderEvents is measured for its opening (the subscription's checks);\n");
    doc.append("what a stream reads afterwards is the feed's background work, per server rather than per stream:\n");
    doc.append("one `select order_events` of new positions per poll (`ORDERS_FEED_POLL_INTERVAL`), one read of\n");
    doc.append("the new entries joined with their orders when there are any, a locking `select ... for update` of a\n");
    doc.append("hole's range only when a position stays missing past `ORDERS_FEED_HOLE_GRACE`, and one page read\n");
    doc.append("per 500 events for a stream catching up.\n\n");
    doc.append("| call | transactions | statements |\n| --- | ---: | ---: |\n");
    for (Measured m : measured) {
      doc.append("| ").append(m.label()).append(" | ").append(m.transactions()).append(" | ").append(m.statements().size()).append(" |\n");
    }
    for (Measured m : measured) {
      doc.append("\n## ").append(m.label()).append("\n\n");
      if (m.statements().isEmpty()) {
        doc.append("No database work.\n");
      }
      int i = 1;
      for (String statement : m.statements()) {
        doc.append(i++).append(". `").append(statement).append("`\n");
      }
    }
    return doc.toString();
  }
}
