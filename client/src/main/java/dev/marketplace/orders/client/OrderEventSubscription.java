package dev.marketplace.orders.client;

import dev.marketplace.orders.v1.OrderServiceGrpc.OrderServiceStub;
import dev.marketplace.orders.v1.WatchOrderEventsRequest;
import dev.marketplace.orders.v1.WatchOrderEventsResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A running {@link OrdersClient#watchOrderEvents watch}: one WatchOrderEvents stream at a time,
 * reopened after every end that retrying can fix, each time from the resume token of the last message
 * the handler finished with. Close it to stop.
 *
 * <p>All the work - calling the handler, deciding to reconnect, opening the next stream - happens on
 * one thread of its own, so a message of an ended stream can never overtake or follow one of the next.
 */
public final class OrderEventSubscription implements AutoCloseable {

  /** Refusals that the same request would meet again: reported, never retried. */
  private static final Set<Status.Code> FINAL =
      Set.of(
          Status.Code.INVALID_ARGUMENT,
          Status.Code.NOT_FOUND,
          Status.Code.PERMISSION_DENIED,
          Status.Code.UNAUTHENTICATED,
          Status.Code.FAILED_PRECONDITION,
          Status.Code.UNIMPLEMENTED,
          Status.Code.OUT_OF_RANGE,
          Status.Code.ALREADY_EXISTS);

  private static final String CONSUMER_TOO_SLOW = "CONSUMER_TOO_SLOW";
  private static final String TOKEN_EXPIRED = "TOKEN_EXPIRED";
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final OrderServiceStub stub;
  private final WatchOrderEventsRequest request;
  private final OrderEventHandler handler;
  private final ReconnectBackoff backoff;
  private final Consumer<OrderEventSubscription> onStopped;
  private final ScheduledExecutorService thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile String resumeToken;
  private volatile boolean closing;
  private volatile Exception failure;
  private volatile int streamsOpened;
  private volatile Thread worker;

  // Confined to the subscription's thread.
  private int generation;
  private ClientCallStreamObserver<WatchOrderEventsRequest> current;
  private int failuresInARow;
  /** Whether the current stream delivered anything: it was accepted, so its credentials were good then. */
  private boolean receivedOnStream;
  private long lastEventPosition = -1;

  private OrderEventSubscription(
      OrderServiceStub stub, WatchOrderEventsRequest request, OrderEventHandler handler, ReconnectBackoff backoff, Consumer<OrderEventSubscription> onStopped) {
    this.stub = stub;
    this.request = request;
    this.handler = handler;
    this.backoff = backoff;
    this.onStopped = onStopped;
    this.resumeToken = request.getResumeToken();
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "orders-watch-" + THREADS.incrementAndGet());
              t.setDaemon(true);
              worker = t;
              return t;
            });
  }

  static OrderEventSubscription start(
      OrderServiceStub stub, WatchOrderEventsRequest request, OrderEventHandler handler, ReconnectBackoff backoff, Consumer<OrderEventSubscription> onStopped) {
    OrderEventSubscription subscription = new OrderEventSubscription(stub, request, handler, backoff, onStopped);
    subscription.onThread(subscription::open);
    return subscription;
  }

  /**
   * The resume token of the last message the handler finished with (an event or a heartbeat), or the
   * starting token while none has arrived ("" when following from now). Store it to resume after a
   * restart of the application.
   */
  public String lastResumeToken() {
    return resumeToken;
  }

  /** Whether it still follows the feed: neither closed nor stopped by an error. */
  public boolean isActive() {
    return stopped.getCount() > 0 && !closing;
  }

  /** What stopped it, when it stopped by itself (also given to {@link OrderEventHandler#onError}). */
  public Optional<Exception> failure() {
    return Optional.ofNullable(failure);
  }

  /** Streams opened so far: 1 plus the reconnects. */
  public int streamsOpened() {
    return streamsOpened;
  }

  /** Waits until it has stopped (closed, or a final error); true if it has. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Stops following: cancels the open stream and any pending reconnect. Called from another thread,
   * it returns once the handler has been called for the last time (or after a few seconds); called
   * from within the handler, it takes effect when the handler returns.
   */
  @Override
  public void close() {
    closing = true;
    onThread(() -> stop(null));
    if (Thread.currentThread() != worker) {
      try {
        stopped.await(CLOSE_WAIT.toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void open() {
    if (closing || stopped.getCount() == 0) {
      return;
    }
    receivedOnStream = false;
    int mine = ++generation;
    streamsOpened++;
    WatchOrderEventsRequest next = request.toBuilder().setResumeToken(resumeToken).build();
    stub.watchOrderEvents(
        next,
        new ClientResponseObserver<WatchOrderEventsRequest, WatchOrderEventsResponse>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<WatchOrderEventsRequest> call) {
            // One message at a time: the next is read only when the handler is done with this one, so
            // a slow handler holds the server back (which then resumes it) rather than filling memory.
            call.disableAutoRequestWithInitial(1);
            current = call;
          }

          @Override
          public void onNext(WatchOrderEventsResponse message) {
            onThread(() -> received(mine, message));
          }

          @Override
          public void onError(Throwable t) {
            onThread(() -> ended(mine, t));
          }

          @Override
          public void onCompleted() {
            onThread(() -> ended(mine, null));
          }
        });
  }

  private void received(int streamGeneration, WatchOrderEventsResponse message) {
    if (streamGeneration != generation || closing || stopped.getCount() == 0) {
      return;
    }
    failuresInARow = 0;
    receivedOnStream = true;
    try {
      if (message.hasEvent()) {
        long position = message.getEvent().getPosition();
        // The server never repeats an event; this only guards the promise against a broken server
        // (0: a server that does not number its events, nothing to compare).
        if (position == 0 || position > lastEventPosition) {
          handler.onEvent(message.getEvent());
          lastEventPosition = position;
        }
      } else if (message.hasHeartbeat()) {
        handler.onHeartbeat(Instant.ofEpochSecond(message.getHeartbeat().getSendTime().getSeconds(), message.getHeartbeat().getSendTime().getNanos()));
      }
    } catch (RuntimeException e) {
      stop(e);
      return;
    }
    if (!message.getResumeToken().isEmpty()) {
      resumeToken = message.getResumeToken();
    }
    current.request(1);
  }

  private void ended(int streamGeneration, Throwable t) {
    if (streamGeneration != generation || closing || stopped.getCount() == 0) {
      return;
    }
    current = null;
    StatusRuntimeException status =
        t == null
            ? Status.UNAVAILABLE.withDescription("the server ended the stream").asRuntimeException()
            : t instanceof StatusRuntimeException e ? e : Status.fromThrowable(t).asRuntimeException();
    OrdersException cause = OrdersException.from(status);
    // The server ends a stream when the token that opened it expires; the next stream carries a fresh
    // token from the credentials. Refused again at once, the credentials have nothing better: final.
    boolean tokenExpiredMidStream = cause.code() == Status.Code.UNAUTHENTICATED && TOKEN_EXPIRED.equals(cause.reason()) && receivedOnStream;
    if (FINAL.contains(cause.code()) && !tokenExpiredMidStream) {
      stop(cause);
      return;
    }
    failuresInARow++;
    Duration delay =
        CONSUMER_TOO_SLOW.equals(cause.reason()) || tokenExpiredMidStream
            ? Duration.ZERO // it was keeping up until now (or its token ran out): resume at once
            : cause.retryDelay().map(asked -> backoff.delay(failuresInARow, asked)).orElseGet(() -> backoff.delay(failuresInARow));
    try {
      handler.onReconnecting(cause, delay);
    } catch (RuntimeException e) {
      stop(e);
      return;
    }
    try {
      thread.schedule(this::open, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      // closed meanwhile
    }
  }

  /** Ends for good: with {@code error} reported to the handler, or quietly when closed. */
  private void stop(Exception error) {
    if (stopped.getCount() == 0) {
      return;
    }
    generation++;
    if (current != null) {
      current.cancel(error == null ? "closed by the application" : "stopped: " + error, null);
      current = null;
    }
    if (error != null && !closing) {
      failure = error;
      try {
        handler.onError(error);
      } catch (RuntimeException ignored) {
        // the handler's own failure while being told of one: nothing left to tell
      }
    }
    thread.shutdown();
    stopped.countDown();
    onStopped.accept(this);
  }

  private void onThread(Runnable task) {
    try {
      thread.execute(task);
    } catch (RejectedExecutionException stoppedAlready) {
      // a message or an end that arrives after the subscription stopped is of no interest
    }
  }
}
