package dev.marketplace.orders.server.api;

import dev.marketplace.orders.domain.history.FeedEvent;
import dev.marketplace.orders.domain.feed.FeedRequest;
import dev.marketplace.orders.domain.feed.FeedScope;
import dev.marketplace.orders.domain.history.OrderEventType;
import dev.marketplace.orders.server.feed.StreamMessages;
import dev.marketplace.orders.v1.Heartbeat;
import dev.marketplace.orders.v1.OrderEvent;
import dev.marketplace.orders.v1.WatchOrderEventsRequest;
import dev.marketplace.orders.v1.WatchOrderEventsResponse;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/** WatchOrderEvents' request as a {@link FeedRequest}, and its messages. Translation only. */
final class OrderEventStreams {

  /** A resume token is a position: decimal digits, at most what fits in a BIGINT. */
  private static final int MAX_TOKEN_LENGTH = 19;

  static final StreamMessages<WatchOrderEventsResponse> MESSAGES =
      new StreamMessages<>() {
        @Override
        public WatchOrderEventsResponse event(FeedEvent entry) {
          return WatchOrderEventsResponse.newBuilder()
              .setEvent(OrderEventMessages.toProto(entry))
              .setResumeToken(Long.toString(entry.position()))
              .build();
        }

        @Override
        public WatchOrderEventsResponse heartbeat(long readUpTo, Instant sentAt) {
          return WatchOrderEventsResponse.newBuilder()
              .setHeartbeat(Heartbeat.newBuilder().setSendTime(ProtoValues.timestamp(sentAt)))
              .setResumeToken(Long.toString(readUpTo))
              .build();
        }
      };

  private OrderEventStreams() {}

  static FeedRequest feedRequest(RequestChecks checks, WatchOrderEventsRequest request) {
    Optional<UUID> orderId = checks.optionalUuid("order_id", request.getOrderId());
    FeedScope scope =
        switch (request.getScope()) {
          case SCOPE_UNSPECIFIED -> request.getOrderId().isEmpty() ? FeedScope.MY_ORDERS : FeedScope.ORDER;
          case ORDER -> FeedScope.ORDER;
          case MY_ORDERS -> FeedScope.MY_ORDERS;
          case ALL_ORDERS -> FeedScope.ALL_ORDERS;
          case UNRECOGNIZED -> {
            checks.add("scope", "not a scope: use ORDER, MY_ORDERS or ALL_ORDERS");
            yield request.getOrderId().isEmpty() ? FeedScope.MY_ORDERS : FeedScope.ORDER; // no second complaint
          }
        };
    if (scope == FeedScope.ORDER && request.getOrderId().isEmpty()) {
      checks.add("order_id", "required with scope ORDER");
    }
    Set<OrderEventType> types = EnumSet.noneOf(OrderEventType.class);
    for (int i = 0; i < request.getTypesList().size(); i++) {
      OrderEvent.Type type = request.getTypesList().get(i);
      if (type == OrderEvent.Type.TYPE_UNSPECIFIED || type == OrderEvent.Type.UNRECOGNIZED) {
        checks.add("types[" + i + "]", "not an event type");
      } else {
        types.add(OrderEventType.valueOf(type.name()));
      }
    }
    return new FeedRequest(scope, orderId, types, resumeToken(checks, request.getResumeToken()));
  }

  private static OptionalLong resumeToken(RequestChecks checks, String token) {
    if (token.isEmpty()) {
      return OptionalLong.empty();
    }
    boolean issuedForm = token.length() <= MAX_TOKEN_LENGTH && token.chars().allMatch(c -> c >= '0' && c <= '9') && (token.length() == 1 || token.charAt(0) != '0');
    if (issuedForm) {
      try {
        return OptionalLong.of(Long.parseLong(token));
      } catch (NumberFormatException beyondALong) {
        // 19 digits above 9223372036854775807: refused below like any other non-token
      }
    }
    checks.add("resume_token", "must be the resume_token of a message this stream sent (a number), or \"0\" for the beginning");
    return OptionalLong.empty();
  }
}
