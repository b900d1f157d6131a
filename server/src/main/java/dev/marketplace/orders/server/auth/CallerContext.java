package dev.marketplace.orders.server.auth;

import dev.marketplace.orders.domain.access.Principal;
import io.grpc.Context;
import java.time.Instant;
import java.util.Optional;

/** The authenticated caller of the current gRPC call, set by {@link AuthInterceptor}. */
public final class CallerContext {

  static final Context.Key<Principal> PRINCIPAL = Context.key("orders-principal");
  static final Context.Key<Instant> TOKEN_EXPIRES = Context.key("orders-token-expires");

  private CallerContext() {}

  /** The current call's principal; every business RPC has one (the interceptor refuses calls without). */
  public static Principal principal() {
    Principal principal = PRINCIPAL.get();
    if (principal == null) {
      throw new IllegalStateException("no authenticated principal in this call's context");
    }
    return principal;
  }

  /**
   * When the bearer token of the current call expires; set for streaming calls only, which outlive
   * the moment their token was checked (a unary call is over long before).
   */
  public static Optional<Instant> tokenExpiry() {
    return Optional.ofNullable(TOKEN_EXPIRES.get());
  }
}
