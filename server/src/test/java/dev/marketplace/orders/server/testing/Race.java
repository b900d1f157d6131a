package dev.marketplace.orders.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Contenders started at the same instant through real calls, and what each was answered. */
public final class Race {

  /** Who called, and the status they got (OK or the refusal's code). */
  public record Outcome(String who, Status.Code code) {}

  private Race() {}

  /** Runs {@code call} as {@code who}: OK, or the status code it failed with. */
  public static Outcome call(String who, Runnable call) {
    try {
      call.run();
      return new Outcome(who, Status.Code.OK);
    } catch (StatusRuntimeException e) {
      return new Outcome(who, e.getStatus().getCode());
    }
  }

  /** Starts every contender on {@code pool} once all are ready, and waits for their outcomes, in order. */
  public static List<Outcome> runTogether(ExecutorService pool, List<Callable<Outcome>> contenders) throws Exception {
    CountDownLatch ready = new CountDownLatch(contenders.size());
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Outcome>> futures = new ArrayList<>();
    for (Callable<Outcome> contender : contenders) {
      futures.add(
          pool.submit(
              () -> {
                ready.countDown();
                go.await();
                return contender.call();
              }));
    }
    assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
    go.countDown();
    List<Outcome> outcomes = new ArrayList<>();
    for (Future<Outcome> future : futures) {
      outcomes.add(future.get(60, TimeUnit.SECONDS));
    }
    return outcomes;
  }
}
