package dev.marketplace.orders.client;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A token supplier that caches a JWT and fetches a new one shortly before it expires, so that callers
 * neither ask the identity provider for every call nor send a token that expires in flight.
 *
 * <pre>{@code
 * Supplier<String> tokens =
 *     new RefreshingTokenSupplier(() -> identityProvider.clientCredentialsToken("orders.create"));
 *
 * try (OrdersClient orders = OrdersClient.builder()
 *     .target("orders.internal:50051")
 *     .mutualTls(ca, clientCertificateChain, clientKey)
 *     .tokenSupplier(tokens)
 *     .build()) {
 *   orders.createOrder(request);   // the first call fetches a token; later ones reuse it until near exp
 * }
 * }</pre>
 *
 * <p><b>When it fetches.</b> The expiry is the {@code exp} claim of the cached token, read from the
 * JWT's payload (the signature is not checked: that is the server's job). A new token is fetched
 * when {@code exp} is within {@code refreshBefore} (default 60 s) of the clock's now, or past it.
 * The window absorbs the call's own duration and some clock drift between this machine and the
 * server; keep it shorter than the tokens' lifetime, or every call fetches.
 *
 * <p><b>Tokens without a readable {@code exp}</b> (not a JWT, a payload that is not base64url, no
 * numeric {@code exp} claim) are treated as expiring immediately: such a token is returned to the
 * caller that fetched it, but never reused, so every call fetches again. That costs a round trip
 * to the identity provider per call rather than risking an expired token being sent forever; give
 * it tokens with an {@code exp}.
 *
 * <p><b>Failures.</b> If fetching throws, the exception reaches the caller (an {@link OrdersClient}
 * reports it as UNAUTHENTICATED), except while the cached token is inside the refresh window but
 * not yet expired: then the cached token is returned and the next call tries again. The fetcher
 * must not return {@code null} or a blank token ({@link IllegalStateException}).
 *
 * <p><b>Threads.</b> Thread-safe. Calls that find a fresh token do not lock; when a fetch is
 * needed, one thread fetches and concurrent callers wait for its result instead of fetching too.
 */
public final class RefreshingTokenSupplier implements Supplier<String> {

  /** The default refresh window: a new token is fetched once the cached one expires within a minute. */
  public static final Duration DEFAULT_REFRESH_BEFORE = Duration.ofSeconds(60);

  // The numeric "exp" member of the payload's JSON; RFC 7519 NumericDate allows fractions.
  private static final Pattern EXP = Pattern.compile("\"exp\"\\s*:\\s*(-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)");

  private final Supplier<String> fetcher;
  private final Duration refreshBefore;
  private final Clock clock;
  private final Object fetchLock = new Object();
  private volatile Cached cached;

  private record Cached(String token, Optional<Instant> expiresAt) {}

  /** Fetches with {@code fetcher}, refreshing {@link #DEFAULT_REFRESH_BEFORE} before exp by the system clock. */
  public RefreshingTokenSupplier(Supplier<String> fetcher) {
    this(fetcher, DEFAULT_REFRESH_BEFORE, Clock.systemUTC());
  }

  /**
   * @param fetcher fetches a new JWT, for example from an identity provider; may block, is called by
   *     one thread at a time
   * @param refreshBefore how long before the cached token's {@code exp} a new one is fetched; zero
   *     or more
   * @param clock the clock {@code exp} is compared with
   */
  public RefreshingTokenSupplier(Supplier<String> fetcher, Duration refreshBefore, Clock clock) {
    this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    this.refreshBefore = Objects.requireNonNull(refreshBefore, "refreshBefore");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (refreshBefore.isNegative()) {
      throw new IllegalArgumentException("refreshBefore must not be negative, was " + refreshBefore);
    }
  }

  /** The cached token while it is fresh, otherwise a newly fetched one. */
  @Override
  public String get() {
    Cached current = cached;
    if (isFresh(current)) {
      return current.token();
    }
    synchronized (fetchLock) {
      current = cached; // another thread may have fetched while this one waited
      if (isFresh(current)) {
        return current.token();
      }
      String token;
      try {
        token = fetcher.get();
      } catch (RuntimeException e) {
        if (current != null && current.expiresAt().isPresent() && clock.instant().isBefore(current.expiresAt().get())) {
          return current.token(); // still valid: ride out a failing identity provider
        }
        throw e;
      }
      if (token == null || token.isBlank()) {
        throw new IllegalStateException("the token fetcher returned no token");
      }
      token = token.strip();
      cached = new Cached(token, expiryOf(token));
      return token;
    }
  }

  private boolean isFresh(Cached candidate) {
    return candidate != null
        && candidate.expiresAt().isPresent()
        && clock.instant().isBefore(candidate.expiresAt().get().minus(refreshBefore));
  }

  /** The {@code exp} claim of a JWT (the earliest, should the payload carry several); empty if unreadable. */
  static Optional<Instant> expiryOf(String jwt) {
    String[] parts = jwt.split("\\.", -1);
    if (parts.length < 2) {
      return Optional.empty();
    }
    String payload;
    try {
      payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    Optional<Instant> earliest = Optional.empty();
    Matcher matcher = EXP.matcher(payload);
    while (matcher.find()) {
      try {
        BigDecimal value = new BigDecimal(matcher.group(1));
        if (value.precision() - value.scale() > 19) { // more digits than a long: not a date, and not worth expanding
          return Optional.empty();
        }
        long seconds = value.setScale(0, RoundingMode.FLOOR).longValueExact();
        Instant exp = Instant.ofEpochSecond(seconds);
        if (earliest.isEmpty() || exp.isBefore(earliest.get())) {
          earliest = Optional.of(exp);
        }
      } catch (ArithmeticException | NumberFormatException | DateTimeException e) {
        return Optional.empty();
      }
    }
    return earliest;
  }
}
