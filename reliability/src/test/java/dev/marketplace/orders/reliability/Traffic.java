package dev.marketplace.orders.reliability;

import dev.marketplace.orders.client.OrdersClient;
import dev.marketplace.orders.client.OrdersException;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.server.auth.TokenIssuer;
import dev.marketplace.orders.v1.AcceptModificationRequest;
import dev.marketplace.orders.v1.ApproveCancellationRequestRequest;
import dev.marketplace.orders.v1.CancelOrderRequest;
import dev.marketplace.orders.v1.CancelOrderResponse;
import dev.marketplace.orders.v1.CancellationReason;
import dev.marketplace.orders.v1.CancellationRequest;
import dev.marketplace.orders.v1.CreateOrderRequest;
import dev.marketplace.orders.v1.Dispute;
import dev.marketplace.orders.v1.LineItem;
import dev.marketplace.orders.v1.LineQuantity;
import dev.marketplace.orders.v1.Modification;
import dev.marketplace.orders.v1.Money;
import dev.marketplace.orders.v1.OpenDisputeRequest;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.ProposeModificationRequest;
import dev.marketplace.orders.v1.RecordPaymentRequest;
import dev.marketplace.orders.v1.Refund;
import dev.marketplace.orders.v1.RejectCancellationRequestRequest;
import dev.marketplace.orders.v1.ResolveSupportCaseRequest;
import dev.marketplace.orders.v1.RespondToDisputeRequest;
import dev.marketplace.orders.v1.SupportCase;
import dev.marketplace.orders.v1.ApproveReturnRequest;
import dev.marketplace.orders.v1.ConfirmDeliveryRequest;
import dev.marketplace.orders.v1.ConfirmReturnReceivedRequest;
import dev.marketplace.orders.v1.RecordReturnShipmentRequest;
import dev.marketplace.orders.v1.RequestReturnRequest;
import dev.marketplace.orders.v1.Return;
import dev.marketplace.orders.v1.ShipOrderRequest;
import dev.marketplace.orders.v1.OpenSupportCaseRequest;
import dev.marketplace.orders.v1.SendMessageRequest;
import dev.marketplace.orders.v1.ShippingAddress;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Marketplace traffic through the {@code client} module, the way checkout, payments, buyers and
 * sellers drive the service: each worker places an order, then either cancels it unpaid, or pays,
 * writes to the seller, and then either asks to cancel and has the seller approve and answer the
 * message (or, every other time, has the seller reject it, disputes the rejection and has the seller
 * accept the dispute: the whole sum refunded), or proposes a cheaper change (one unit fewer) and has
 * the seller accept it (the difference refunded) - and every other time the buyer then takes the change
 * to support, whose agent refunds one more unit (a SUPPORT refund). Some flows cancel one phone case
 * only: of an unpaid order at once, or of a paid one through the seller's approval (a PARTIAL refund of
 * its price); now and then a paid order is shipped and delivered instead, and the buyer returns one
 * unit, which the seller approves and receives (one unit refunded, kind RETURN). Every mutation
 * carries a request id chosen before its
 * first attempt and is resent unchanged after any retryable failure (the service unavailable, slow,
 * overloaded or briefly conflicting) until it is answered, so a crash between the change and the
 * answer is survived by replay, not repeated. Whatever a worker saw is written to the {@link Ledger}.
 */
final class Traffic implements AutoCloseable {

  /** Codes after which the same request may be sent again; anything else ends the flow as a violation. */
  static final Set<Status.Code> RETRYABLE =
      Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED, Status.Code.RESOURCE_EXHAUSTED, Status.Code.ABORTED);

  private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(90);

  private final String run;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<Thread> workers = new ArrayList<>();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final TokenIssuer tokens = new TokenIssuer(ServerProcess.SECRET, Clock.systemUTC());
  final Ledger ledger = new Ledger();

  /** {@code workers} callers spread over the servers at {@code targets}; ids are prefixed with {@code run}. */
  Traffic(String run, int workers, List<String> targets) {
    this.run = run;
    for (String target : targets) {
      channels.add(ManagedChannelBuilder.forTarget(target).usePlaintext().build());
    }
    for (int w = 0; w < workers; w++) {
      ManagedChannel channel = channels.get(w % channels.size());
      int worker = w;
      this.workers.add(new Thread(() -> work(worker, channel), run + "-worker-" + w));
    }
  }

  Traffic start() {
    workers.forEach(Thread::start);
    return this;
  }

  /** Lets each worker finish the flow it is in (retrying as needed), then waits for all of them. */
  void stopAndAwait(Duration patience) throws InterruptedException {
    stopping.set(true);
    long end = System.nanoTime() + patience.toNanos();
    for (Thread worker : workers) {
      worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
      if (worker.isAlive()) {
        throw new AssertionError(worker.getName() + " did not finish its flow within " + patience);
      }
    }
  }

  private void work(int worker, ManagedChannel channel) {
    String buyer = run + "-buyer-" + worker;
    String seller = run + "-seller-" + (worker % 4);
    OrdersClient checkout = client(channel, "checkout", Role.SERVICE, "orders.create");
    OrdersClient payments = client(channel, "payments", Role.SERVICE, "payments.record");
    OrdersClient buyerClient = client(channel, buyer, Role.BUYER);
    OrdersClient sellerClient = client(channel, seller, Role.SELLER);
    OrdersClient agent = client(channel, run + "-agent-" + (worker % 2), Role.SUPPORT);
    for (int flow = 0; !stopping.get(); flow++) {
      try {
        Order order = call(Operation.CREATE, id -> checkout.createOrder(create(id, buyer, seller)));
        ledger.created.add(order.getOrderId());
        if (flow % 6 == 3) {
          // The buyer cancels one phone case of the unpaid order at once; the order goes on with the rest.
          CancelOrderResponse partly = call(Operation.CANCEL, id -> buyerClient.cancelOrder(oneUnit(cancel(id, order.getOrderId()))));
          ledger.expect(
              partly.getOutcome() == CancelOrderResponse.Outcome.PARTIALLY_CANCELLED && partly.getOrder().getTotal().getAmountMinor() == TOTAL - UNIT,
              "partial unpaid cancel of " + order.getOrderId() + " answered " + partly.getOutcome());
          ledger.partlyCancelledUnpaid.add(order.getOrderId());
          continue;
        }
        if (flow % 3 == 0) {
          CancelOrderResponse cancelled = call(Operation.CANCEL, id -> buyerClient.cancelOrder(cancel(id, order.getOrderId())));
          ledger.expect(cancelled.getOutcome() == CancelOrderResponse.Outcome.CANCELLED, "unpaid cancel of " + order.getOrderId() + " answered " + cancelled.getOutcome());
          ledger.cancelledUnpaid.add(order.getOrderId());
          continue;
        }
        call(Operation.PAY, id -> payments.recordPayment(pay(id, order.getOrderId())));
        ledger.paid.add(order.getOrderId());
        call(Operation.MESSAGE, id -> buyerClient.sendMessage(message(id, order.getOrderId(), "About my order: could you help me with it, please?")));
        ledger.messages.merge(order.getOrderId(), 1, Integer::sum);
        if (flow % 3 == 2) {
          Modification proposed = call(Operation.PROPOSE, id -> buyerClient.proposeModification(fewerUnits(id, order.getOrderId())));
          Modification accepted =
              call(Operation.ACCEPT, id -> sellerClient.acceptModification(
                  AcceptModificationRequest.newBuilder().setRequestId(id).setModificationId(proposed.getModificationId()).build()));
          ledger.expect(
              accepted.getRefund().getAmount().getAmountMinor() == UNIT,
              "cheaper change of paid " + order.getOrderId() + " refunded " + accepted.getRefund().getAmount().getAmountMinor());
          ledger.modified.add(order.getOrderId());
          if (flow % 6 == 5) {
            // The buyer disputes the change with support; the agent refunds one more unit.
            SupportCase opened = call(Operation.OPEN_CASE, id -> buyerClient.openSupportCase(modificationCase(id, order.getOrderId())));
            ledger.expect(
                opened.getFinding() == SupportCase.Finding.MODIFICATION_ON_RECORD,
                "support case about the change of " + order.getOrderId() + " found " + opened.getFinding());
            SupportCase resolved =
                call(Operation.RESOLVE_CASE, id -> agent.resolveSupportCase(
                    ResolveSupportCaseRequest.newBuilder()
                        .setRequestId(id)
                        .setCaseId(opened.getCaseId())
                        .setRefund(ResolveSupportCaseRequest.IssueRefund.newBuilder().setPartialRefund(usd(UNIT)))
                        .setNote("A goodwill refund of one more unit.")
                        .build()));
            ledger.expect(
                resolved.getAction() == SupportCase.Action.REFUND && resolved.getRefund().getAmount().getAmountMinor() == UNIT,
                "support case of " + order.getOrderId() + " resolved " + resolved.getAction() + ", refund " + resolved.getRefund().getAmount().getAmountMinor());
            ledger.supportRefunded.add(order.getOrderId());
          }
          continue;
        }
        if (flow % 12 == 7) {
          if (flow % 24 == 7) {
            // The buyer asks to cancel one phone case; the seller approves: one PARTIAL refund of its price.
            CancelOrderResponse partly = call(Operation.CANCEL, id -> buyerClient.cancelOrder(oneUnit(cancel(id, order.getOrderId()))));
            ledger.expect(partly.getOutcome() == CancelOrderResponse.Outcome.REQUESTED, "partial cancel of paid " + order.getOrderId() + " answered " + partly.getOutcome());
            CancellationRequest approved =
                call(Operation.APPROVE, id -> sellerClient.approveCancellationRequest(
                    ApproveCancellationRequestRequest.newBuilder()
                        .setRequestId(id)
                        .setCancellationRequestId(partly.getCancellationRequest().getCancellationRequestId())
                        .build()));
            ledger.expect(
                approved.getRefund().getKind() == Refund.Kind.PARTIAL && approved.getRefund().getAmount().getAmountMinor() == UNIT,
                "partial approval of " + order.getOrderId() + " refunded " + approved.getRefund().getKind() + " " + approved.getRefund().getAmount().getAmountMinor());
            ledger.partlyApproved.add(order.getOrderId());
          } else {
            // Shipped and delivered; the buyer returns one unit, the seller approves and receives it: one unit refunded.
            returnOneUnit(buyerClient, sellerClient, order.getOrderId());
          }
          continue;
        }
        CancelOrderResponse asked = call(Operation.CANCEL, id -> buyerClient.cancelOrder(cancel(id, order.getOrderId())));
        ledger.expect(asked.getOutcome() == CancelOrderResponse.Outcome.REQUESTED, "cancel of paid " + order.getOrderId() + " answered " + asked.getOutcome());
        String request = asked.getCancellationRequest().getCancellationRequestId();
        if (flow % 6 == 4) {
          // The seller rejects; the buyer disputes the rejection asking the whole sum back, and the
          // seller accepts the dispute (refunded once, the order still awaiting shipment).
          call(Operation.REJECT, id -> sellerClient.rejectCancellationRequest(
                  RejectCancellationRequestRequest.newBuilder()
                      .setRequestId(id)
                      .setCancellationRequestId(request)
                      .setRejectionReason(CancellationRequest.RejectionReason.ALREADY_PREPARED_OR_CUSTOMISED)
                      .setNote("Already engraved.")
                      .build()));
          Dispute opened = call(Operation.DISPUTE, id -> buyerClient.openDispute(disputeRejection(id, order.getOrderId())));
          Dispute accepted =
              call(Operation.ACCEPT_DISPUTE, id -> sellerClient.respondToDispute(
                  RespondToDisputeRequest.newBuilder()
                      .setRequestId(id)
                      .setDisputeId(opened.getDisputeId())
                      .setAccept(RespondToDisputeRequest.Accept.getDefaultInstance())
                      .build()));
          ledger.expect(
              accepted.getOutcome() == Dispute.Outcome.SELLER_ACCEPTED && accepted.getRefund().getAmount().getAmountMinor() == TOTAL,
              "accepted dispute of " + order.getOrderId() + " answered " + accepted.getOutcome() + ", refund " + accepted.getRefund().getAmount().getAmountMinor());
          ledger.disputed.add(order.getOrderId());
          continue;
        }
        call(Operation.APPROVE, id -> sellerClient.approveCancellationRequest(
            ApproveCancellationRequestRequest.newBuilder().setRequestId(id).setCancellationRequestId(request).build()));
        ledger.approved.add(order.getOrderId());
        call(Operation.MESSAGE, id -> sellerClient.sendMessage(message(id, order.getOrderId(), "Approved, the refund is on its way.")));
        ledger.messages.merge(order.getOrderId(), 1, Integer::sum);
      } catch (FlowFailed e) {
        ledger.violations.add(e.getMessage());
      }
    }
  }

  private void returnOneUnit(OrdersClient buyerClient, OrdersClient sellerClient, String orderId) throws FlowFailed {
    call(Operation.SHIP, id -> sellerClient.shipOrder(
        ShipOrderRequest.newBuilder().setRequestId(id).setOrderId(orderId).setCarrier("Cainiao").setTrackingNumber("LP-" + id.substring(0, 8)).build()));
    call(Operation.DELIVER, id -> buyerClient.confirmDelivery(ConfirmDeliveryRequest.newBuilder().setRequestId(id).setOrderId(orderId).build()));
    Return requested =
        call(Operation.REQUEST_RETURN, id -> buyerClient.requestReturn(
            RequestReturnRequest.newBuilder()
                .setRequestId(id)
                .setOrderId(orderId)
                .addLines(RequestReturnRequest.Line.newBuilder().setLineIndex(0).setQuantity(1))
                .setReason(Return.Reason.CHANGED_MIND)
                .setDescription("One case is enough.")
                .build()));
    call(Operation.APPROVE_RETURN, id -> sellerClient.approveReturn(
        ApproveReturnRequest.newBuilder().setRequestId(id).setReturnId(requested.getReturnId()).build()));
    call(Operation.SHIP_RETURN, id -> buyerClient.recordReturnShipment(
        RecordReturnShipmentRequest.newBuilder().setRequestId(id).setReturnId(requested.getReturnId()).setCarrier("DHL").setTrackingNumber("JD-1").build()));
    Return received =
        call(Operation.RECEIVE_RETURN, id -> sellerClient.confirmReturnReceived(
            ConfirmReturnReceivedRequest.newBuilder().setRequestId(id).setReturnId(requested.getReturnId()).build()));
    ledger.expect(
        received.getState() == Return.State.RECEIVED && received.getRefund().getAmount().getAmountMinor() == UNIT,
        "return of one unit of " + orderId + " answered " + received.getState() + ", refund " + received.getRefund().getAmount().getAmountMinor());
    ledger.returned.add(orderId);
  }

  private OrdersClient client(ManagedChannel channel, String subject, Role role, String... scopes) {
    String token = tokens.issue(subject, role, List.of(scopes), Duration.ofHours(1));
    // Retries are this class's own, so that each is counted and keeps its request id visibly.
    return OrdersClient.builder().channel(channel).tokenSupplier(() -> token).defaultDeadline(Duration.ofSeconds(5)).maxAttempts(1).build();
  }

  /** One mutation under one request id, resent after retryable failures until answered. */
  private <T> T call(Operation operation, java.util.function.Function<String, T> send) throws FlowFailed {
    String requestId = UUID.randomUUID().toString();
    long giveUp = System.nanoTime() + GIVE_UP_AFTER.toNanos();
    for (int attempt = 1; ; attempt++) {
      long started = System.nanoTime();
      try {
        T answer = send.apply(requestId);
        ledger.acknowledged.merge(operation, 1L, Long::sum);
        return answer;
      } catch (OrdersException e) {
        ledger.codes.computeIfAbsent(e.code(), k -> new AtomicLong()).incrementAndGet();
        ledger.failedAttemptMillis.add((System.nanoTime() - started) / 1_000_000);
        if (Boolean.getBoolean("reliability.trace")) {
          System.out.println(java.time.LocalTime.now() + " " + operation + " failed after " + (System.nanoTime() - started) / 1_000_000 + " ms: " + e.code() + " " + e.getMessage());
        }
        if (!RETRYABLE.contains(e.code())) {
          throw new FlowFailed(operation + " " + requestId + " attempt " + attempt + " failed with " + e.code() + " " + e.reason() + ": " + e.getMessage());
        }
        if (System.nanoTime() > giveUp) {
          throw new FlowFailed(operation + " " + requestId + " still failing after " + GIVE_UP_AFTER + ": " + e.code());
        }
        ledger.retries.incrementAndGet();
        sleep(e.retryDelay().map(Duration::toMillis).filter(ms -> ms <= 1000).orElse(Math.min(1000L, 50L * attempt)));
      }
    }
  }

  static CreateOrderRequest create(String requestId, String buyer, String seller) {
    return CreateOrderRequest.newBuilder()
        .setRequestId(requestId)
        .setOrder(
            Order.newBuilder()
                .setBuyerId(buyer)
                .setSellerId(seller)
                .addLineItems(LineItem.newBuilder().setSku("SKU-CASE").setTitle("Phone case").setQuantity(2).setUnitPrice(usd(499)))
                .addLineItems(LineItem.newBuilder().setSku("SKU-CABLE").setTitle("USB-C cable").setQuantity(1).setUnitPrice(usd(1500)))
                .setShippingAddress(
                    ShippingAddress.newBuilder()
                        .setRecipientName("Ann Example")
                        .addAddressLines("1 Main St")
                        .setLocality("Springfield")
                        .setPostalCode("62701")
                        .setRegionCode("US"))
                .setPaymentMethod(Order.PaymentMethod.CARD))
        .build();
  }

  static final long TOTAL = 2 * 499 + 1500;

  static RecordPaymentRequest pay(String requestId, String orderId) {
    return RecordPaymentRequest.newBuilder()
        .setRequestId(requestId)
        .setOrderId(orderId)
        .setOutcome(RecordPaymentRequest.Outcome.CAPTURED)
        .setPaymentReference("PAY-" + orderId.substring(0, 8))
        .setAmount(usd(TOTAL))
        .build();
  }

  /** The buyer asks support to look at an accepted change. */
  static OpenSupportCaseRequest modificationCase(String requestId, String orderId) {
    return OpenSupportCaseRequest.newBuilder()
        .setRequestId(requestId)
        .setOrderId(orderId)
        .setKind(SupportCase.Kind.MODIFICATION_DISPUTE)
        .setDescription("The seller took one unit off but I expected a better price.")
        .build();
  }

  /** The buyer disputes a rejected cancellation, asking the whole sum back. */
  static OpenDisputeRequest disputeRejection(String requestId, String orderId) {
    return OpenDisputeRequest.newBuilder()
        .setRequestId(requestId)
        .setOrderId(orderId)
        .setReason(Dispute.Reason.CANCELLATION_REJECTED)
        .setDescription("I asked to cancel before anything was prepared.")
        .setFullRefund(true)
        .build();
  }

  /** The price of one phone case, the first line's unit. */
  static final long UNIT = 499;

  /** One phone case fewer: the order becomes cheaper by {@link #UNIT}. */
  static ProposeModificationRequest fewerUnits(String requestId, String orderId) {
    return ProposeModificationRequest.newBuilder()
        .setRequestId(requestId)
        .setOrderId(orderId)
        .setQuantityChange(Modification.QuantityChange.newBuilder().setLineIndex(0).setQuantity(1))
        .build();
  }

  static CancelOrderRequest cancel(String requestId, String orderId) {
    return CancelOrderRequest.newBuilder()
        .setRequestId(requestId)
        .setOrderId(orderId)
        .setReason(CancellationReason.Code.ORDERED_BY_ACCIDENT)
        .build();
  }

  /** The same cancel for one phone case only (line 0, one unit). */
  static CancelOrderRequest oneUnit(CancelOrderRequest cancel) {
    return cancel.toBuilder().addLineItems(LineQuantity.newBuilder().setLineIndex(0).setQuantity(1)).build();
  }

  static SendMessageRequest message(String requestId, String orderId, String text) {
    return SendMessageRequest.newBuilder().setRequestId(requestId).setOrderId(orderId).setText(text).setLanguageCode("en").build();
  }

  private static Money usd(long minor) {
    return Money.newBuilder().setCurrencyCode("USD").setAmountMinor(minor).build();
  }

  /** Not a condition to wait for: the pause a well-behaved caller makes before it retries. */
  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stopping.set(true);
    channels.forEach(ManagedChannel::shutdownNow);
  }

  enum Operation {
    CREATE,
    PAY,
    CANCEL,
    APPROVE,
    MESSAGE,
    PROPOSE,
    ACCEPT,
    REJECT,
    DISPUTE,
    ACCEPT_DISPUTE,
    OPEN_CASE,
    RESOLVE_CASE,
    SHIP,
    DELIVER,
    REQUEST_RETURN,
    APPROVE_RETURN,
    SHIP_RETURN,
    RECEIVE_RETURN
  }

  private static final class FlowFailed extends Exception {
    FlowFailed(String message) {
      super(message, null, false, false);
    }
  }

  /** What the callers saw: acknowledged operations by kind, the orders in each outcome, retries, codes, violations. */
  static final class Ledger {
    final Map<Operation, Long> acknowledged = new ConcurrentHashMap<>();
    final Set<String> created = ConcurrentHashMap.newKeySet();
    final Set<String> cancelledUnpaid = ConcurrentHashMap.newKeySet();
    final Set<String> paid = ConcurrentHashMap.newKeySet();
    final Set<String> approved = ConcurrentHashMap.newKeySet();
    /** Unpaid orders of which the buyer cancelled one phone case at once. */
    final Set<String> partlyCancelledUnpaid = ConcurrentHashMap.newKeySet();
    /** Paid orders whose buyer asked to cancel one phone case, the seller approving (one PARTIAL refund). */
    final Set<String> partlyApproved = ConcurrentHashMap.newKeySet();
    /** Acknowledged messages per order. */
    final Map<String, Integer> messages = new ConcurrentHashMap<>();
    /** Paid orders whose cheaper change the seller accepted. */
    final Set<String> modified = ConcurrentHashMap.newKeySet();
    /** Paid orders whose cancellation the seller rejected, disputed by the buyer, the dispute accepted by the seller. */
    final Set<String> disputed = ConcurrentHashMap.newKeySet();
    /** Changed orders whose buyer went to support, refunded one more unit by the agent. */
    final Set<String> supportRefunded = ConcurrentHashMap.newKeySet();
    /** Paid orders shipped and delivered, one unit returned, received and refunded. */
    final Set<String> returned = ConcurrentHashMap.newKeySet();
    final AtomicLong retries = new AtomicLong();
    final Map<Status.Code, AtomicLong> codes = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    /** How long each failed attempt took to fail, in milliseconds. */
    final ConcurrentLinkedQueue<Long> failedAttemptMillis = new ConcurrentLinkedQueue<>();

    void expect(boolean condition, String otherwise) {
      if (!condition) {
        violations.add(otherwise);
      }
    }

    /** The slowest failure, in milliseconds (0 when nothing failed). */
    long slowestFailureMillis() {
      return failedAttemptMillis.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    long acknowledgedTotal() {
      return acknowledged.values().stream().mapToLong(Long::longValue).sum();
    }

    Map<Status.Code, Long> codesSeen() {
      Map<Status.Code, Long> seen = new EnumMap<>(Status.Code.class);
      codes.forEach((code, n) -> seen.put(code, n.get()));
      return seen;
    }
  }
}
