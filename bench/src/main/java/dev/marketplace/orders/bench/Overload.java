package dev.marketplace.orders.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.server.auth.TokenIssuer;
import dev.marketplace.orders.v1.GetOrderRequest;
import dev.marketplace.orders.v1.Order;
import dev.marketplace.orders.v1.OrderServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Open-loop overload: GetOrder calls started on a fixed schedule at a multiple of the measured
 * saturation throughput, whatever the answers, as a crowd of independent clients would. Reports the
 * latency of the calls admitted (from their scheduled start), the share refused with
 * RESOURCE_EXHAUSTED and how fast those refusals came, and the server's threads and heap sampled
 * before and throughout.
 */
final class Overload {

  record Result(
      double offeredPerSecond,
      long offered,
      long admitted,
      long refused,
      Map<String, Long> otherFailures,
      Histogram admittedLatency,
      Histogram refusedLatency,
      int threadsBefore,
      int threadsMax,
      long heapBefore,
      long heapMax,
      double seconds) {

    double refusedShare() {
      return offered == 0 ? 0 : (double) refused / offered;
    }

    double admittedPerSecond() {
      return admitted / seconds;
    }
  }

  private Overload() {}

  static Result run(ManagedChannel channel, ServerUnderTest server, Workloads workloads, double perSecond, Duration duration) throws Exception {
    TokenIssuer tokens = new TokenIssuer(ServerUnderTest.SECRET, Clock.systemUTC());
    int buyers = 32;
    List<OrderServiceGrpc.OrderServiceFutureStub> stubs = new ArrayList<>();
    List<String> buyerIds = new ArrayList<>();
    for (int b = 0; b < buyers; b++) {
      String buyer = workloads.readBuyer(b);
      Metadata headers = new Metadata();
      headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + tokens.issue(buyer, Role.BUYER, List.of(), Duration.ofHours(1)));
      stubs.add(OrderServiceGrpc.newFutureStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers)));
      buyerIds.add(buyer);
    }
    ConcurrentHistogram admittedLatency = new ConcurrentHistogram(60_000_000L, 3);
    ConcurrentHistogram refusedLatency = new ConcurrentHistogram(60_000_000L, 3);
    AtomicLong admitted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong outstanding = new AtomicLong();
    Map<String, Long> other = new ConcurrentHashMap<>();
    int threadsBefore = server.threads();
    long heapBefore = server.heapUsed();
    int[] threadsMax = {threadsBefore};
    long[] heapMax = {heapBefore};
    server.resetPeaks();

    long interval = (long) (1e9 / perSecond);
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long nextSample = start;
    long offered = 0;
    for (long scheduled = start; scheduled < end; scheduled += interval) {
      long wait = scheduled - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      if (System.nanoTime() >= nextSample) {
        threadsMax[0] = Math.max(threadsMax[0], server.threads());
        heapMax[0] = Math.max(heapMax[0], server.heapUsed());
        nextSample = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
      }
      int b = (int) (offered % buyers);
      long sentAt = scheduled;
      offered++;
      outstanding.incrementAndGet();
      Futures.addCallback(
          stubs.get(b).withDeadlineAfter(10, TimeUnit.SECONDS).getOrder(GetOrderRequest.newBuilder().setOrderId(workloads.someOrderOf(buyerIds.get(b)).toString()).build()),
          new FutureCallback<Order>() {
            @Override
            public void onSuccess(Order result) {
              admittedLatency.recordValue(Math.max(1, (System.nanoTime() - sentAt) / 1000));
              admitted.incrementAndGet();
              outstanding.decrementAndGet();
            }

            @Override
            public void onFailure(Throwable t) {
              Status.Code code = LoadRunner.codeOf(t);
              if (code == Status.Code.RESOURCE_EXHAUSTED) {
                refusedLatency.recordValue(Math.max(1, (System.nanoTime() - sentAt) / 1000));
                refused.incrementAndGet();
              } else {
                other.merge(code.name(), 1L, Long::sum);
              }
              outstanding.decrementAndGet();
            }
          },
          MoreExecutors.directExecutor());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (outstanding.get() > 0 && System.nanoTime() < drainUntil) {
      Thread.sleep(20);
    }
    threadsMax[0] = Math.max(threadsMax[0], server.threads());
    heapMax[0] = Math.max(heapMax[0], server.peakHeap());
    return new Result(
        perSecond, offered, admitted.get(), refused.get(), new TreeMap<>(other), admittedLatency, refusedLatency,
        threadsBefore, threadsMax[0], heapBefore, heapMax[0], seconds);
  }
}
