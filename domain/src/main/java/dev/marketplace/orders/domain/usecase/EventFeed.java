package dev.marketplace.orders.domain.usecase;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.error.AccessDeniedException;
import dev.marketplace.orders.domain.error.InvalidRequestException;
import dev.marketplace.orders.domain.history.FeedEvent;
import dev.marketplace.orders.domain.feed.FeedFilter;
import dev.marketplace.orders.domain.feed.FeedRequest;
import dev.marketplace.orders.domain.feed.FeedScope;
import dev.marketplace.orders.domain.feed.FeedSubscription;
import dev.marketplace.orders.domain.persistence.Transactor;
import dev.marketplace.orders.domain.persistence.UnitOfWork;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The feed of order history as subscribers read it: who may follow what ({@link #subscribe}), and
 * reading entries up to the {@link FeedHorizon}, never beyond it. Access is that of reading the order:
 * a buyer follows their own orders, a seller their shop's; one order is followed by whoever may read
 * it; every order only by services with {@link FeedFilter#EVENTS_READ}.
 */
public final class EventFeed {

  private final Transactor transactor;
  private final FeedHorizon horizon;

  public EventFeed(Transactor transactor, FeedHorizon horizon) {
    this.transactor = transactor;
    this.horizon = horizon;
  }

  /** Checks the request against the caller and resolves where the subscription starts. */
  public FeedSubscription subscribe(Principal caller, FeedRequest request) {
    FeedFilter filter =
        transactor.inTransaction(
            uow -> {
              FeedFilter scoped = scoped(caller, request, uow);
              if (request.resumeAfter().isPresent() && request.resumeAfter().getAsLong() > uow.feed().latestPosition()) {
                throw InvalidRequestException.of("resume_token", "is ahead of the feed: it was not issued by this service");
              }
              return scoped;
            });
    long after = request.resumeAfter().isPresent() ? request.resumeAfter().getAsLong() : horizon.settled();
    return new FeedSubscription(filter, after);
  }

  private static FeedFilter scoped(Principal caller, FeedRequest request, UnitOfWork uow) {
    return switch (request.scope()) {
      case ORDER -> {
        UUID orderId = request.orderId().orElseThrow(() -> InvalidRequestException.of("order_id", "is required to watch one order"));
        VisibleOrders.find(uow, caller, orderId);
        yield new FeedFilter(Optional.of(orderId), Optional.empty(), Optional.empty(), request.types());
      }
      case MY_ORDERS -> {
        rejectOrderId(request);
        yield switch (caller.role()) {
          case BUYER -> new FeedFilter(Optional.empty(), Optional.of(caller.subject()), Optional.empty(), request.types());
          case SELLER -> new FeedFilter(Optional.empty(), Optional.empty(), Optional.of(caller.subject()), request.types());
          default -> throw InvalidRequestException.of("scope", "MY_ORDERS is for buyers and sellers; watch one order (ORDER) or, for services with events.read, ALL_ORDERS");
        };
      }
      case ALL_ORDERS -> {
        rejectOrderId(request);
        if (!caller.hasScope(FeedFilter.EVENTS_READ)) {
          throw new AccessDeniedException(
              "EVENTS_READ_REQUIRED",
              "following every order needs a service token with scope " + FeedFilter.EVENTS_READ,
              Map.of("scope", FeedFilter.EVENTS_READ));
        }
        yield new FeedFilter(Optional.empty(), Optional.empty(), Optional.empty(), request.types());
      }
    };
  }

  private static void rejectOrderId(FeedRequest request) {
    if (request.orderId().isPresent()) {
      throw InvalidRequestException.of("order_id", "is only for scope ORDER");
    }
  }

  /** The entries after {@code after} up to the horizon's position {@code upTo} that the filter lets through. */
  public List<FeedEvent> read(FeedFilter filter, long after, long upTo, int limit) {
    if (upTo <= after) {
      return List.of();
    }
    return transactor.inTransaction(uow -> uow.feed().entries(filter, after, upTo, limit));
  }

  /** Where the horizon stands: every position up to it is settled. */
  public long horizon() {
    return horizon.settled();
  }

  /** Moves the horizon as far as the database allows now (the feed's poller calls this). */
  public long advanceHorizon() {
    return horizon.advance();
  }
}
