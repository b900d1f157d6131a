package dev.marketplace.orders.server.auth;

import dev.marketplace.orders.domain.access.Principal;
import io.grpc.Context;

/** The authenticated caller of the current gRPC call, set by {@link AuthInterceptor}. */
public final class CallerContext {

  static final Context.Key<Principal> PRINCIPAL = Context.key("orders-principal");

  private CallerContext() {}

  /** The current call's principal; every business RPC has one (the interceptor refuses calls without). */
  public static Principal principal() {
    Principal principal = PRINCIPAL.get();
    if (principal == null) {
      throw new IllegalStateException("no authenticated principal in this call's context");
    }
    return principal;
  }
}
