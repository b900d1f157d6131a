package dev.marketplace.orders.server.auth;

import static dev.marketplace.orders.domain.access.Role.BUYER;
import static dev.marketplace.orders.domain.access.Role.SELLER;
import static dev.marketplace.orders.domain.access.Role.SUPPORT;

import dev.marketplace.orders.domain.feed.FeedFilter;
import dev.marketplace.orders.v1.CancellationServiceGrpc;
import dev.marketplace.orders.v1.ConversationServiceGrpc;
import dev.marketplace.orders.v1.DisputeServiceGrpc;
import dev.marketplace.orders.v1.ReturnServiceGrpc;
import dev.marketplace.orders.v1.SupportServiceGrpc;
import dev.marketplace.orders.v1.ModificationServiceGrpc;
import dev.marketplace.orders.v1.OrderServiceGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.health.v1.HealthGrpc;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The access table: one rule per RPC, by full method name. An RPC without a rule is refused
 * (PERMISSION_DENIED), and a test walks every method of every served service to make sure none is
 * missing. docs/api.md shows this same table.
 */
public final class AuthRules {

  public static final String ORDERS_CREATE = "orders.create";
  public static final String ORDERS_READ = "orders.read";
  public static final String PAYMENTS_RECORD = "payments.record";
  public static final String LOGISTICS_SHIP = "logistics.ship";
  public static final String REFUNDS_RECORD = "refunds.record";
  public static final String EVENTS_READ = FeedFilter.EVENTS_READ;

  private static final Map<String, AccessRule> RULES = new LinkedHashMap<>();

  static {
    rule(OrderServiceGrpc.getCreateOrderMethod(), AccessRule.servicesWith(ORDERS_CREATE));
    rule(OrderServiceGrpc.getGetOrderMethod(), AccessRule.roles(BUYER, SELLER, SUPPORT).orServicesWith(ORDERS_READ));
    rule(OrderServiceGrpc.getListOrdersMethod(), AccessRule.roles(BUYER, SELLER, SUPPORT).orServicesWith(ORDERS_READ));
    rule(OrderServiceGrpc.getRecordPaymentMethod(), AccessRule.servicesWith(PAYMENTS_RECORD));
    rule(OrderServiceGrpc.getShipOrderMethod(), AccessRule.roles(SELLER).orServicesWith(LOGISTICS_SHIP));
    rule(OrderServiceGrpc.getConfirmDeliveryMethod(), AccessRule.roles(BUYER).orServicesWith(LOGISTICS_SHIP));
    rule(OrderServiceGrpc.getListOrderEventsMethod(), AccessRule.roles(BUYER, SELLER, SUPPORT).orServicesWith(ORDERS_READ));
    // Which orders a caller may follow (one, their own, or every order with events.read) is the feed's rule.
    rule(OrderServiceGrpc.getWatchOrderEventsMethod(), AccessRule.roles(BUYER, SELLER, SUPPORT).orServicesWith(EVENTS_READ));
    rule(CancellationServiceGrpc.getCheckCancellationEligibilityMethod(), AccessRule.roles(BUYER, SUPPORT));
    rule(CancellationServiceGrpc.getCancelOrderMethod(), AccessRule.roles(BUYER));
    rule(CancellationServiceGrpc.getGetCancellationRequestMethod(), AccessRule.roles(BUYER, SELLER, SUPPORT));
    rule(CancellationServiceGrpc.getListCancellationRequestsMethod(), AccessRule.roles(BUYER, SELLER, SUPPORT));
    rule(CancellationServiceGrpc.getApproveCancellationRequestMethod(), AccessRule.roles(SELLER));
    rule(CancellationServiceGrpc.getRejectCancellationRequestMethod(), AccessRule.roles(SELLER));
    rule(CancellationServiceGrpc.getWithdrawCancellationRequestMethod(), AccessRule.roles(BUYER));
    rule(CancellationServiceGrpc.getListCancellationReasonsMethod(), AccessRule.anyCaller());
    rule(CancellationServiceGrpc.getRecordRefundResultMethod(), AccessRule.servicesWith(REFUNDS_RECORD));
    rule(CancellationServiceGrpc.getForceCancelOrderMethod(), AccessRule.roles(SUPPORT));
    // Conversations are between the order's buyer and seller, with support; no service reads them.
    rule(ConversationServiceGrpc.getSendMessageMethod(), AccessRule.roles(BUYER, SELLER, SUPPORT));
    rule(ConversationServiceGrpc.getListMessagesMethod(), AccessRule.roles(BUYER, SELLER, SUPPORT));
    rule(ConversationServiceGrpc.getListConversationsMethod(), AccessRule.roles(BUYER, SELLER, SUPPORT));
    rule(ConversationServiceGrpc.getMarkConversationReadMethod(), AccessRule.roles(BUYER, SELLER, SUPPORT));
    // Which of the two parties may answer or withdraw is the modification's rule (the use case checks it).
    rule(ModificationServiceGrpc.getProposeModificationMethod(), AccessRule.roles(BUYER, SELLER));
    rule(ModificationServiceGrpc.getAcceptModificationMethod(), AccessRule.roles(BUYER, SELLER));
    rule(ModificationServiceGrpc.getDeclineModificationMethod(), AccessRule.roles(BUYER, SELLER));
    rule(ModificationServiceGrpc.getWithdrawModificationMethod(), AccessRule.roles(BUYER, SELLER));
    rule(ModificationServiceGrpc.getGetModificationMethod(), AccessRule.roles(BUYER, SELLER, SUPPORT));
    rule(ModificationServiceGrpc.getListModificationsMethod(), AccessRule.roles(BUYER, SELLER, SUPPORT));
    // Which party takes which step of a dispute is the dispute's rule (the use case checks it).
    rule(DisputeServiceGrpc.getOpenDisputeMethod(), AccessRule.roles(BUYER));
    rule(DisputeServiceGrpc.getRespondToDisputeMethod(), AccessRule.roles(SELLER));
    rule(DisputeServiceGrpc.getAcceptDisputeOfferMethod(), AccessRule.roles(BUYER));
    rule(DisputeServiceGrpc.getEscalateDisputeMethod(), AccessRule.roles(BUYER, SELLER));
    rule(DisputeServiceGrpc.getResolveDisputeMethod(), AccessRule.roles(SUPPORT));
    rule(DisputeServiceGrpc.getWithdrawDisputeMethod(), AccessRule.roles(BUYER));
    rule(DisputeServiceGrpc.getGetDisputeMethod(), AccessRule.roles(BUYER, SELLER, SUPPORT));
    rule(DisputeServiceGrpc.getListDisputesMethod(), AccessRule.roles(BUYER, SELLER, SUPPORT));
    // Which party takes which step of a return is the return's rule (the use case checks it).
    rule(ReturnServiceGrpc.getRequestReturnMethod(), AccessRule.roles(BUYER));
    rule(ReturnServiceGrpc.getApproveReturnMethod(), AccessRule.roles(SELLER));
    rule(ReturnServiceGrpc.getRejectReturnMethod(), AccessRule.roles(SELLER));
    rule(ReturnServiceGrpc.getRecordReturnShipmentMethod(), AccessRule.roles(BUYER));
    rule(ReturnServiceGrpc.getConfirmReturnReceivedMethod(), AccessRule.roles(SELLER));
    rule(ReturnServiceGrpc.getWithdrawReturnMethod(), AccessRule.roles(BUYER));
    rule(ReturnServiceGrpc.getGetReturnMethod(), AccessRule.roles(BUYER, SELLER, SUPPORT));
    rule(ReturnServiceGrpc.getListReturnsMethod(), AccessRule.roles(BUYER, SELLER, SUPPORT));
    rule(SupportServiceGrpc.getOpenSupportCaseMethod(), AccessRule.roles(BUYER, SELLER));
    rule(SupportServiceGrpc.getGetSupportCaseMethod(), AccessRule.roles(BUYER, SELLER, SUPPORT));
    rule(SupportServiceGrpc.getListSupportCasesMethod(), AccessRule.roles(SUPPORT));
    rule(SupportServiceGrpc.getAssignSupportCaseMethod(), AccessRule.roles(SUPPORT));
    rule(SupportServiceGrpc.getResolveSupportCaseMethod(), AccessRule.roles(SUPPORT));

    RULES.put(HealthGrpc.getCheckMethod().getFullMethodName(), AccessRule.open());
    RULES.put(HealthGrpc.getWatchMethod().getFullMethodName(), AccessRule.open());
    RULES.put("grpc.health.v1.Health/List", AccessRule.open());
    RULES.put("grpc.reflection.v1.ServerReflection/ServerReflectionInfo", AccessRule.open());
    RULES.put("grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", AccessRule.open());
  }

  private AuthRules() {}

  private static void rule(MethodDescriptor<?, ?> method, AccessRule rule) {
    RULES.put(method.getFullMethodName(), rule);
  }

  public static Optional<AccessRule> forMethod(String fullMethodName) {
    return Optional.ofNullable(RULES.get(fullMethodName));
  }

  public static Map<String, AccessRule> all() {
    return Map.copyOf(RULES);
  }
}
