package dev.marketplace.orders.server.testing;

import dev.marketplace.orders.v1.OrderEvent;
import dev.marketplace.orders.v1.OrderServiceGrpc;
import dev.marketplace.orders.v1.WatchOrderEventsRequest;
import dev.marketplace.orders.v1.WatchOrderEventsResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One WatchOrderEvents stream as a consumer sees it: every message received, in order, and how the
 * stream ended. {@link #reading(int)} makes a consumer that takes only that many messages and then
 * stops reading (gRPC flow control), as a slow consumer does.
 */
public final class FeedWatcher implements ClientResponseObserver<WatchOrderEventsRequest, WatchOrderEventsResponse> {

  private final List<WatchOrderEventsResponse> received = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Throwable> ended = new CompletableFuture<>();
  private final int initialRequests;
  private volatile ClientCallStreamObserver<WatchOrderEventsRequest> call;

  private FeedWatcher(int initialRequests) {
    this.initialRequests = initialRequests;
  }

  /** Opens the stream with {@code stub} and reads everything it sends. */
  public static FeedWatcher watch(OrderServiceGrpc.OrderServiceStub stub, WatchOrderEventsRequest request) {
    FeedWatcher watcher = new FeedWatcher(-1);
    stub.watchOrderEvents(request, watcher);
    return watcher;
  }

  /** Opens the stream and reads only {@code messages} messages, then nothing more. */
  public static FeedWatcher reading(OrderServiceGrpc.OrderServiceStub stub, WatchOrderEventsRequest request, int messages) {
    FeedWatcher watcher = new FeedWatcher(messages);
    stub.watchOrderEvents(request, watcher);
    return watcher;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<WatchOrderEventsRequest> requestStream) {
    call = requestStream;
    if (initialRequests >= 0) {
      requestStream.disableAutoRequestWithInitial(initialRequests);
    }
  }

  @Override
  public void onNext(WatchOrderEventsResponse value) {
    received.add(value);
  }

  @Override
  public void onError(Throwable t) {
    ended.complete(t);
  }

  @Override
  public void onCompleted() {
    ended.complete(null);
  }

  /** Hangs up, as a consumer that goes away. */
  public void cancel() {
    call.cancel("the consumer left", null);
  }

  public List<WatchOrderEventsResponse> messages() {
    return List.copyOf(received);
  }

  /** The events received, in order. */
  public List<OrderEvent> events() {
    List<OrderEvent> events = new ArrayList<>();
    for (WatchOrderEventsResponse r : received) {
      if (r.hasEvent()) {
        events.add(r.getEvent());
      }
    }
    return events;
  }

  /** The events received that concern one of {@code orderIds}. */
  public List<OrderEvent> eventsOf(List<String> orderIds) {
    return events().stream().filter(e -> orderIds.contains(e.getOrderId())).toList();
  }

  /** The resume token of the last message received ("" before any). */
  public String lastToken() {
    List<WatchOrderEventsResponse> all = messages();
    return all.isEmpty() ? "" : all.get(all.size() - 1).getResumeToken();
  }

  /** Waits until the received events satisfy {@code done}; fails after {@code timeout}. */
  public List<OrderEvent> awaitEvents(Predicate<List<OrderEvent>> done, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      List<OrderEvent> now = events();
      if (done.test(now)) {
        return now;
      }
      if (ended.isDone()) {
        throw new AssertionError("the stream ended early: " + ended.join() + " after " + now.size() + " events");
      }
      Thread.sleep(10);
    }
    throw new AssertionError("not received within " + timeout + "; got " + events().size() + " events: " + events());
  }

  /** Waits until some message satisfies {@code wanted}. */
  public WatchOrderEventsResponse awaitMessage(Predicate<WatchOrderEventsResponse> wanted, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      for (WatchOrderEventsResponse r : messages()) {
        if (wanted.test(r)) {
          return r;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no such message within " + timeout + "; got " + messages());
  }

  /** How the stream ended: the error, or null when it completed; fails if it has not ended in {@code timeout}. */
  public Throwable awaitEnd(Duration timeout) throws Exception {
    return ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public boolean hasEnded() {
    return ended.isDone();
  }
}
