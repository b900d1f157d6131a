package dev.marketplace.orders.client;

import static dev.marketplace.orders.domain.testing.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketplace.orders.domain.testing.Await;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RefreshingTokenSupplierTest {

  private static final Instant START = Instant.parse("2025-03-01T12:00:00Z");
  private static final Duration WINDOW = Duration.ofSeconds(60);

  private final MutableClock clock = new MutableClock(START);

  @Test
  void firstCall_fetches() {
    Fetcher fetcher = new Fetcher(() -> jwt(START.plusSeconds(300)));
    RefreshingTokenSupplier tokens = new RefreshingTokenSupplier(fetcher, WINDOW, clock);

    assertThat(fetcher.calls()).isZero();
    assertThat(tokens.get()).isEqualTo(fetcher.issued(0));
    assertThat(fetcher.calls()).isEqualTo(1);
  }

  @Test
  void reusesTheTokenUntilTheRefreshWindow() {
    Fetcher fetcher = new Fetcher(() -> jwt(clock.instant().plusSeconds(300)));
    RefreshingTokenSupplier tokens = new RefreshingTokenSupplier(fetcher, WINDOW, clock);

    String first = tokens.get();
    clock.advance(Duration.ofSeconds(100));
    String second = tokens.get();
    clock.advance(Duration.ofSeconds(139)); // 1 s before exp - 60 s
    String third = tokens.get();

    assertThat(second).isEqualTo(first);
    assertThat(third).isEqualTo(first);
    assertThat(fetcher.calls()).isEqualTo(1);
  }

  @Test
  void refreshesOnceWithinTheWindow_andReusesTheNewToken() {
    Fetcher fetcher = new Fetcher(() -> jwt(clock.instant().plusSeconds(300)));
    RefreshingTokenSupplier tokens = new RefreshingTokenSupplier(fetcher, WINDOW, clock);
    String first = tokens.get();

    clock.advance(Duration.ofSeconds(240)); // exactly exp - 60 s
    String refreshed = tokens.get();
    clock.advance(Duration.ofSeconds(10));
    String again = tokens.get();

    assertThat(refreshed).isNotEqualTo(first).isEqualTo(fetcher.issued(1));
    assertThat(again).isEqualTo(refreshed);
    assertThat(fetcher.calls()).isEqualTo(2);
  }

  @Test
  void anExpiredToken_isReplaced() {
    Fetcher fetcher = new Fetcher(() -> jwt(clock.instant().plusSeconds(300)));
    RefreshingTokenSupplier tokens = new RefreshingTokenSupplier(fetcher, WINDOW, clock);
    String first = tokens.get();

    clock.advance(Duration.ofHours(2));

    assertThat(tokens.get()).isNotEqualTo(first);
    assertThat(fetcher.calls()).isEqualTo(2);
  }

  @Test
  void zeroWindow_reusesTheTokenUntilItsExp() {
    Fetcher fetcher = new Fetcher(() -> jwt(clock.instant().plusSeconds(300)));
    RefreshingTokenSupplier tokens = new RefreshingTokenSupplier(fetcher, Duration.ZERO, clock);
    tokens.get();

    clock.advance(Duration.ofSeconds(299));
    tokens.get();
    assertThat(fetcher.calls()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(1));
    tokens.get();
    assertThat(fetcher.calls()).isEqualTo(2);
  }

  @Test
  void defaultWindow_isOneMinute() {
    assertThat(RefreshingTokenSupplier.DEFAULT_REFRESH_BEFORE).isEqualTo(Duration.ofSeconds(60));
    Fetcher fetcher = new Fetcher(() -> jwt(Instant.now().plusSeconds(30)));
    RefreshingTokenSupplier tokens = new RefreshingTokenSupplier(fetcher);

    tokens.get();
    tokens.get();

    assertThat(fetcher.calls()).isEqualTo(2); // 30 s left is inside the default window
  }

  @Test
  void aTokenThatLivesShorterThanTheWindow_isFetchedEveryCall() {
    Fetcher fetcher = new Fetcher(() -> jwt(clock.instant().plusSeconds(30)));
    RefreshingTokenSupplier tokens = new RefreshingTokenSupplier(fetcher, WINDOW, clock);

    String first = tokens.get();
    String second = tokens.get();

    assertThat(first).isEqualTo(fetcher.issued(0));
    assertThat(second).isEqualTo(fetcher.issued(1));
  }

  @Test
  void concurrentCallers_waitForOneFetch() throws InterruptedException {
    CountDownLatch fetching = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Fetcher fetcher =
        new Fetcher(
            () -> {
              fetching.countDown();
              try {
                assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
              }
              return jwt(clock.instant().plusSeconds(300));
            });
    RefreshingTokenSupplier tokens = new RefreshingTokenSupplier(fetcher, WINDOW, clock);
    ConcurrentLinkedQueue<String> results = new ConcurrentLinkedQueue<>();
    List<Thread> callers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      callers.add(new Thread(() -> results.add(tokens.get()), "caller-" + i));
    }

    callers.forEach(Thread::start);
    assertThat(fetching.await(10, TimeUnit.SECONDS)).isTrue();
    awaitOthersBlocked(callers); // the others queue up behind the one fetch
    release.countDown();
    for (Thread caller : callers) {
      caller.join(10_000);
      assertThat(caller.isAlive()).as(caller.getName() + " finished within 10 s").isFalse();
    }

    assertThat(fetcher.calls()).isEqualTo(1);
    assertThat(results).hasSize(8).containsOnly(fetcher.issued(0));
  }

  @Test
  void concurrentCallersOfAFreshToken_neverFetch() throws InterruptedException {
    Fetcher fetcher = new Fetcher(() -> jwt(clock.instant().plusSeconds(300)));
    RefreshingTokenSupplier tokens = new RefreshingTokenSupplier(fetcher, WINDOW, clock);
    String token = tokens.get();
    ConcurrentLinkedQueue<String> results = new ConcurrentLinkedQueue<>();
    List<Thread> callers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      callers.add(
          new Thread(
              () -> {
                for (int n = 0; n < 1000; n++) {
                  results.add(tokens.get());
                }
              }));
    }

    callers.forEach(Thread::start);
    for (Thread caller : callers) {
      caller.join(10_000);
      assertThat(caller.isAlive()).as(caller.getName() + " finished within 10 s").isFalse();
    }

    assertThat(fetcher.calls()).isEqualTo(1);
    assertThat(results).hasSize(8000).containsOnly(token);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "opaque-access-token", // not a JWT at all
        "eyJhbGciOiJIUzI1NiJ9.%%%not-base64%%%.sig", // payload not base64url
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjaGVja291dCJ9.sig", // {"sub":"checkout"}: no exp
        "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOiJ0b21vcnJvdyJ9.sig", // {"exp":"tomorrow"}: not numeric
      })
  void aTokenWithoutAReadableExp_isTreatedAsExpiring_soEveryCallFetches(String unreadable) {
    AtomicInteger calls = new AtomicInteger();
    RefreshingTokenSupplier tokens =
        new RefreshingTokenSupplier(() -> calls.incrementAndGet() + unreadable, WINDOW, clock);

    assertThat(tokens.get()).isEqualTo(1 + unreadable);
    assertThat(tokens.get()).isEqualTo(2 + unreadable);
    assertThat(calls).hasValue(2);
  }

  @Test
  void expiryOf_readsTheExpClaim() {
    assertThat(RefreshingTokenSupplier.expiryOf(jwt(START))).contains(START);
    assertThat(RefreshingTokenSupplier.expiryOf(token("{\"sub\":\"a\", \"exp\" : 1740830400.75}")))
        .contains(Instant.ofEpochSecond(1740830400));
    assertThat(RefreshingTokenSupplier.expiryOf(token("{\"exp\":1.7408304E9}"))).contains(Instant.ofEpochSecond(1740830400));
    assertThat(RefreshingTokenSupplier.expiryOf(token("{\"myexp\":1,\"exp\":1740830400}")))
        .contains(Instant.ofEpochSecond(1740830400));
    assertThat(RefreshingTokenSupplier.expiryOf(token("{\"exp\":1740830400,\"act\":{\"exp\":1740830000}}")))
        .as("the earliest of several")
        .contains(Instant.ofEpochSecond(1740830000));
    assertThat(RefreshingTokenSupplier.expiryOf(token("{\"exp\":1e999999999}"))).isEmpty();
    assertThat(RefreshingTokenSupplier.expiryOf(token("{\"exp\":99999999999999999999}"))).isEmpty();
    assertThat(RefreshingTokenSupplier.expiryOf(token("{\"note\":\"\\\"exp\\\":1\"}"))).isEmpty();
    assertThat(RefreshingTokenSupplier.expiryOf("only-one-part")).isEqualTo(Optional.empty());
  }

  @Test
  void aFailingFetch_whileTheCachedTokenIsStillValid_returnsTheCachedToken() {
    AtomicInteger calls = new AtomicInteger();
    String cached = jwt(START.plusSeconds(300));
    RefreshingTokenSupplier tokens =
        new RefreshingTokenSupplier(
            () -> {
              if (calls.incrementAndGet() == 1) {
                return cached;
              }
              throw new IllegalStateException("identity provider down");
            },
            WINDOW,
            clock);
    tokens.get();

    clock.advance(Duration.ofSeconds(270)); // inside the window, 30 s before exp
    String duringOutage = tokens.get();
    String stillDuringOutage = tokens.get();

    assertThat(duringOutage).isEqualTo(cached);
    assertThat(stillDuringOutage).isEqualTo(cached);
    assertThat(calls).as("each call tries again").hasValue(3);
  }

  @Test
  void aFailingFetch_afterTheCachedTokenExpired_isThrown() {
    AtomicInteger calls = new AtomicInteger();
    RefreshingTokenSupplier tokens =
        new RefreshingTokenSupplier(
            () -> {
              if (calls.incrementAndGet() == 1) {
                return jwt(START.plusSeconds(300));
              }
              throw new IllegalStateException("identity provider down");
            },
            WINDOW,
            clock);
    tokens.get();

    clock.advance(Duration.ofSeconds(300));

    IllegalStateException e = thrown(IllegalStateException.class, tokens::get);
    assertThat(e).hasMessage("identity provider down");
  }

  @Test
  void aFailingFirstFetch_isThrown_andTheNextCallTriesAgain() {
    AtomicInteger calls = new AtomicInteger();
    RefreshingTokenSupplier tokens =
        new RefreshingTokenSupplier(
            () -> {
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("identity provider down");
              }
              return jwt(START.plusSeconds(300));
            },
            WINDOW,
            clock);

    thrown(IllegalStateException.class, tokens::get);

    assertThat(tokens.get()).isNotBlank();
    assertThat(calls).hasValue(2);
  }

  @Test
  void aBlankToken_isRefused() {
    RefreshingTokenSupplier tokens = new RefreshingTokenSupplier(() -> " ", WINDOW, clock);
    RefreshingTokenSupplier nulls = new RefreshingTokenSupplier(() -> null, WINDOW, clock);

    thrown(IllegalStateException.class, tokens::get);
    thrown(IllegalStateException.class, nulls::get);
  }

  @Test
  void surroundingWhitespace_isStripped() {
    String jwt = jwt(START.plusSeconds(300));
    RefreshingTokenSupplier tokens = new RefreshingTokenSupplier(() -> " " + jwt + "\n", WINDOW, clock);

    assertThat(tokens.get()).isEqualTo(jwt);
  }

  @Test
  void aNegativeWindow_isRefused() {
    thrown(IllegalArgumentException.class, () -> new RefreshingTokenSupplier(() -> "t", Duration.ofSeconds(-1), clock));
  }

  private static final AtomicInteger SERIAL = new AtomicInteger();

  /** A JWT-shaped token (the supplier does not check signatures) with this exp and a unique jti. */
  private static String jwt(Instant exp) {
    return token("{\"sub\":\"checkout\",\"jti\":\"" + SERIAL.incrementAndGet() + "\",\"exp\":" + exp.getEpochSecond() + "}");
  }

  private static String token(String payloadJson) {
    Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
    return base64url.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + base64url.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8))
        + ".c2lnbmF0dXJl";
  }

  /** Waits until every caller but the fetching one is blocked on the supplier's lock. */
  private static void awaitOthersBlocked(List<Thread> callers) {
    Await.until(
        (callers.size() - 1) + " callers to queue up (BLOCKED) behind the fetch",
        Duration.ofSeconds(10),
        () -> callers.stream().map(Thread::getState).toList(),
        states -> states.stream().filter(state -> state == Thread.State.BLOCKED).count() == callers.size() - 1);
  }

  /** Records every token it hands out. */
  private static final class Fetcher implements Supplier<String> {
    private final Supplier<String> source;
    private final List<String> issued = new ArrayList<>();

    Fetcher(Supplier<String> source) {
      this.source = source;
    }

    @Override
    public String get() {
      String token = source.get();
      synchronized (issued) {
        issued.add(token);
      }
      return token;
    }

    int calls() {
      synchronized (issued) {
        return issued.size();
      }
    }

    String issued(int index) {
      synchronized (issued) {
        return issued.get(index);
      }
    }
  }

  private static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
