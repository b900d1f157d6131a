package dev.marketplace.orders.domain.usecase;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.cancellation.CancellationSettings;
import dev.marketplace.orders.domain.dispute.Dispute;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.domain.order.Order;
import dev.marketplace.orders.domain.order.TimeOrderedIds;
import dev.marketplace.orders.domain.payment.Money;
import dev.marketplace.orders.domain.persistence.UnitOfWork;
import dev.marketplace.orders.domain.refund.Refund;
import dev.marketplace.orders.domain.refund.RefundKind;
import dev.marketplace.orders.domain.returns.NewReturn;
import dev.marketplace.orders.domain.returns.Return;
import dev.marketplace.orders.domain.returns.ReturnLine;
import dev.marketplace.orders.domain.returns.ReturnReason;
import dev.marketplace.orders.domain.returns.ReturnRules;
import dev.marketplace.orders.domain.returns.ReturnSettings;
import dev.marketplace.orders.domain.returns.ReturnView;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What each return step does, in one place: the return's row, the order's history entry, a short
 * platform message in the order's conversation, and - on receipt - the returned units counted on the
 * order's lines and the RETURN refund through {@link RefundIssuer}: the units' share (unit price times
 * units), or what the order can still refund if earlier refunds left less (nothing, if nothing is
 * left; the history and the message say so). Each runs in the caller's transaction on an order whose
 * row the caller has locked, after the caller has checked that the step is allowed.
 */
public final class ReturnEffects {

  private final ReturnSettings settings;
  private final TimeOrderedIds ids;
  private final RefundIssuer refunds;

  public ReturnEffects(CancellationSettings cancellationSettings, ReturnSettings settings, Clock clock) {
    this.settings = settings;
    this.ids = new TimeOrderedIds(clock);
    this.refunds = new RefundIssuer(cancellationSettings.refundWindows(), clock);
  }

  ReturnSettings settings() {
    return settings;
  }

  ReturnView request(UnitOfWork uow, Order order, NewReturn request, Principal buyer, Instant now) {
    Return ret = Return.request(ids.next(), order.id(), order.buyerId(), order.sellerId(), request, order.currencyCode(), now, settings);
    uow.returns().insert(ret);
    Map<String, String> details = new HashMap<>(details(ret));
    details.put("reason", ret.reason().name());
    details.put("units", units(ret.lines()));
    details.put("respondBy", ret.respondBy().toString());
    record(uow, order, ret, OrderEventType.RETURN_REQUESTED, buyer.subject(), buyer.role(), now, details,
        "The buyer asked to return " + ret.units() + " unit(s) (" + ret.reason() + "), return " + ret.id()
            + ". The seller may approve or reject; not answered by " + ret.respondBy() + ", it is approved.");
    return new ReturnView(ret, Optional.empty());
  }

  /**
   * A dispute resolved with "return and refund": an APPROVED return of these units, decided by whoever
   * resolved the dispute; its receipt refunds. In the dispute's transaction, on its locked order.
   */
  static Return openForDispute(
      UnitOfWork uow, Order order, Dispute dispute, List<ReturnLine> lines, String subject, Role role, UUID id, UUID messageId, Instant now) {
    Return ret =
        Return.approvedByDispute(
            id, order.id(), order.buyerId(), order.sellerId(), dispute.id(), reasonOf(dispute), dispute.description(),
            dispute.evidenceUris(), lines, order.currencyCode(), subject, role, now);
    uow.returns().insert(ret);
    Map<String, String> details = new HashMap<>(details(ret));
    details.put("disputeId", dispute.id().toString());
    details.put("units", units(lines));
    uow.events().append(order.id(), OrderEventType.RETURN_OPENED_BY_DISPUTE, subject, role, now, order.state(), details);
    Conversations.postFromPlatform(
        uow, order, messageId,
        "Dispute " + dispute.id() + " was resolved with a return and refund: return " + ret.id() + " of " + ret.units()
            + " unit(s) is approved. The buyer ships the units back and records the parcel; the refund follows their receipt.",
        now);
    return ret;
  }

  ReturnView approve(UnitOfWork uow, Order order, Return ret, Principal seller, String note, Instant now) {
    Return approved = ret.approve(seller.subject(), seller.role(), note, now);
    uow.returns().update(approved);
    record(uow, order, approved, OrderEventType.RETURN_APPROVED, seller.subject(), seller.role(), now, details(approved),
        "The seller approved return " + ret.id() + ". The buyer may ship the units back and record the parcel.");
    return new ReturnView(approved, Optional.empty());
  }

  ReturnView reject(UnitOfWork uow, Order order, Return ret, Principal seller, String note, Instant now) {
    Return rejected = ret.reject(seller, note, now);
    uow.returns().update(rejected);
    Map<String, String> details = new HashMap<>(details(rejected));
    details.put("alternative", ReturnRules.OPEN_DISPUTE);
    record(uow, order, rejected, OrderEventType.RETURN_REJECTED, seller.subject(), seller.role(), now, details,
        "The seller rejected return " + ret.id() + ": " + note + " The buyer may open a dispute.");
    return new ReturnView(rejected, Optional.empty());
  }

  ReturnView ship(UnitOfWork uow, Order order, Return ret, Principal buyer, String carrier, String tracking, Instant now) {
    Return shipped = ret.ship(carrier, tracking, now, settings);
    uow.returns().update(shipped);
    Map<String, String> details = new HashMap<>(details(shipped));
    details.put("carrier", carrier);
    details.put("trackingNumber", tracking);
    details.put("receiveBy", shipped.receiveBy().toString());
    record(uow, order, shipped, OrderEventType.RETURN_SHIPPED, buyer.subject(), buyer.role(), now, details,
        "The buyer shipped return " + ret.id() + " back (" + carrier + " " + tracking + "). Receipt not confirmed by "
            + shipped.receiveBy() + ", the return is accepted.");
    return new ReturnView(shipped, Optional.empty());
  }

  ReturnView receive(UnitOfWork uow, Order order, Return ret, Principal seller, Instant now) {
    return received(uow, order, ret, seller.subject(), seller.role(), OrderEventType.RETURN_RECEIVED, now,
        "The seller received the units of return " + ret.id() + ".");
  }

  ReturnView withdraw(UnitOfWork uow, Order order, Return ret, Principal buyer, Instant now) {
    Return withdrawn = ret.withdraw(now);
    uow.returns().update(withdrawn);
    record(uow, order, withdrawn, OrderEventType.RETURN_WITHDRAWN, buyer.subject(), buyer.role(), now, details(withdrawn),
        "The buyer withdrew return " + ret.id() + ".");
    return new ReturnView(withdrawn, Optional.empty());
  }

  /** Its deadline passed: the platform approves a REQUESTED return, or accepts a SHIPPED one (and refunds). */
  ReturnView expire(UnitOfWork uow, Order order, Return ret, Instant now) {
    String platform = Conversations.PLATFORM_SUBJECT;
    if (ret.state() == dev.marketplace.orders.domain.returns.ReturnState.REQUESTED) {
      Return approved = ret.approve(platform, Role.SYSTEM, null, now);
      uow.returns().update(approved);
      record(uow, order, approved, OrderEventType.RETURN_AUTO_APPROVED, platform, Role.SYSTEM, now, details(approved),
          "The seller did not answer return " + ret.id() + " by " + ret.respondBy()
              + ", so it is approved. The buyer may ship the units back and record the parcel.");
      return new ReturnView(approved, Optional.empty());
    }
    return received(uow, order, ret, platform, Role.SYSTEM, OrderEventType.RETURN_AUTO_RECEIVED, now,
        "The seller did not confirm receipt of return " + ret.id() + " by " + ret.receiveBy() + ", so the return is accepted.");
  }

  /**
   * The units are back: counted on the order's lines, and their share refunded - never more than the
   * order can still refund; once per return (the refund's unique key on return_id).
   */
  private ReturnView received(UnitOfWork uow, Order order, Return ret, String subject, Role role, OrderEventType type, Instant now, String message) {
    Money share = ReturnRules.share(order, ret.lines());
    Money amount = ReturnRules.refundFor(order, ret.lines());
    Return received = ret.receive(subject, role, share, amount, now);
    uow.returns().update(received);
    Order returned = order.modify(ReturnRules.withReturned(order, ret.lines()), order.shippingAddress(), now);
    uow.orders().update(returned);
    Map<String, String> details = new HashMap<>(details(received));
    details.put("units", units(ret.lines()));
    details.put("shareMinor", Long.toString(share.amountMinor()));
    details.put("refundedMinor", Long.toString(amount.amountMinor()));
    uow.events().append(order.id(), type, subject, role, now, returned.state(), details);
    Optional<Refund> refund = Optional.empty();
    String text = message;
    if (amount.amountMinor() > 0) {
      Order refunded = refunds.issue(uow, returned, RefundKind.RETURN, received.id(), amount, subject, role, now);
      refund = Optional.of(refunded.refunds().get(refunded.refunds().size() - 1));
      text += " A refund of " + amount.amountMinor() + " " + amount.currencyCode() + " minor units is on its way";
      text += amount.equals(share) ? "." : " (what the order could still refund of the units' share of " + share.amountMinor() + ").";
    } else {
      text += " The order has been refunded in full already: nothing more to refund.";
    }
    Conversations.postFromPlatform(uow, returned, ids.next(), text, now);
    return new ReturnView(received, refund);
  }

  private static ReturnReason reasonOf(Dispute dispute) {
    return switch (dispute.reason()) {
      case NOT_AS_DESCRIBED -> ReturnReason.NOT_AS_DESCRIBED;
      case DAMAGED -> ReturnReason.DAMAGED;
      case WRONG_ITEM -> ReturnReason.WRONG_ITEM;
      default -> ReturnReason.OTHER;
    };
  }

  private void record(
      UnitOfWork uow, Order order, Return ret, OrderEventType type, String subject, Role role, Instant now, Map<String, String> details, String message) {
    uow.events().append(order.id(), type, subject, role, now, order.state(), details);
    Conversations.postFromPlatform(uow, order, ids.next(), message, now);
  }

  /** Units as "line:quantity" pairs, lines from 0: {@code 0:1,2:3}. */
  static String units(List<ReturnLine> lines) {
    return lines.stream().map(l -> l.lineIndex() + ":" + l.quantity()).collect(Collectors.joining(","));
  }

  static Map<String, String> details(Return ret) {
    return Map.of("returnId", ret.id().toString(), "returnState", ret.state().name());
  }
}
