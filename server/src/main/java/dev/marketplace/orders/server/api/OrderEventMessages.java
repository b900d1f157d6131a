package dev.marketplace.orders.server.api;

import static dev.marketplace.orders.server.api.ProtoValues.actor;
import static dev.marketplace.orders.server.api.ProtoValues.timestamp;

import dev.marketplace.orders.domain.history.FeedEvent;
import dev.marketplace.orders.domain.history.OrderEvent;

/** An entry of an order's history as its {@code orders.v1.OrderEvent}. Translation only. */
public final class OrderEventMessages {

  private OrderEventMessages() {}

  public static dev.marketplace.orders.v1.OrderEvent toProto(FeedEvent entry) {
    OrderEvent event = entry.event();
    return dev.marketplace.orders.v1.OrderEvent.newBuilder()
        .setPosition(entry.position())
        .setBuyerId(entry.buyerId())
        .setSellerId(entry.sellerId())
        .setOrderId(event.orderId().toString())
        .setSequence(event.sequence())
        .setType(dev.marketplace.orders.v1.OrderEvent.Type.valueOf(event.type().name()))
        .setActor(actor(event.actorSubject(), event.actorRole()))
        .setOccurTime(timestamp(event.occurredAt()))
        .putAllDetails(event.details())
        .setOrderState(ProtoValues.toProto(event.orderState()))
        .build();
  }
}
