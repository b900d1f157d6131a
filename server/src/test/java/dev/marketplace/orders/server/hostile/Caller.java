package dev.marketplace.orders.server.hostile;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.server.auth.AuthRules;
import java.util.List;
import java.util.Set;

/** Who calls: the parties of the fixture, other users, and valid tokens with hostile subjects. */
record Caller(String label, String subject, Role role, List<String> scopes) {

  static final List<String> ALL_SCOPES =
      List.of(AuthRules.ORDERS_CREATE, AuthRules.ORDERS_READ, AuthRules.PAYMENTS_RECORD, AuthRules.LOGISTICS_SHIP, AuthRules.REFUNDS_RECORD);


  static final Caller B1 = new Caller("B1", "buyer-1", Role.BUYER, List.of());
  static final Caller B2 = new Caller("B2", "buyer-2", Role.BUYER, List.of());
  static final Caller S1 = new Caller("S1", "seller-1", Role.SELLER, List.of());
  static final Caller S2 = new Caller("S2", "seller-2", Role.SELLER, List.of());
  static final Caller SUPPORT = new Caller("SUPPORT", "support-1", Role.SUPPORT, List.of());
  static final Caller SERVICE = new Caller("SVC(all scopes)", "svc-all", Role.SERVICE, ALL_SCOPES);
  /** Callers that may act on B1's orders at S1; a case uses one the RPC's access rule lets through. */
  static final List<Caller> PARTIES = List.of(B1, S1, SUPPORT, SERVICE);
  /** Valid tokens whose subject is hostile: the token service is trusted, its subjects are still text. */
  static final List<Caller> HOSTILE_SUBJECTS =
      List.of(
          new Caller("sub=sql", "' OR 1=1 --", Role.BUYER, List.of()),
          new Caller("sub=control", "\u0000\u001b[31m\u0007", Role.SELLER, List.of()),
          new Caller("sub=emoji", "\ud83d\udca5".repeat(32), Role.SUPPORT, List.of()),
          new Caller("sub=64chars", "s".repeat(64), Role.SERVICE, ALL_SCOPES),
          new Caller("sub=B1+space", "buyer-1 ", Role.BUYER, List.of()),
          new Caller("sub=S1-uppercase", "SELLER-1", Role.SELLER, List.of()));

  Principal principal() {
    return new Principal(subject, role, Set.copyOf(scopes));
  }
}
