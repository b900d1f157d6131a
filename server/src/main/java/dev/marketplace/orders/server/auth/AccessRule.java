package dev.marketplace.orders.server.auth;

import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who may call one RPC: which human roles, and which scope a service account needs (none: services
 * may not call it). Ownership of the order itself is checked by the domain, not here.
 */
public record AccessRule(boolean authenticated, Set<Role> roles, Optional<String> serviceScope) {

  /** Health and reflection: readable without a token, so grpcurl and load balancers can use them. */
  public static AccessRule open() {
    return new AccessRule(false, Set.of(), Optional.empty());
  }

  public static AccessRule roles(Role first, Role... rest) {
    return new AccessRule(true, EnumSet.of(first, rest), Optional.empty());
  }

  public static AccessRule servicesWith(String scope) {
    return new AccessRule(true, Set.of(), Optional.of(scope));
  }

  public AccessRule orServicesWith(String scope) {
    return new AccessRule(true, roles, Optional.of(scope));
  }

  /** Any authenticated caller, services included without a particular scope. */
  public static AccessRule anyCaller() {
    return new AccessRule(true, EnumSet.of(Role.BUYER, Role.SELLER, Role.SUPPORT, Role.SERVICE), Optional.empty());
  }

  public boolean permits(Principal principal) {
    if (roles.contains(principal.role())) {
      return true;
    }
    return principal.role() == Role.SERVICE
        && serviceScope.map(principal::hasScope).orElse(false);
  }

  /** One line for the docs' table, e.g. "BUYER, SELLER; services with orders.read". */
  public String describe() {
    if (!authenticated) {
      return "anyone, no token";
    }
    StringBuilder text = new StringBuilder();
    roles.stream().sorted().forEach(r -> text.append(text.length() == 0 ? "" : ", ").append(r));
    serviceScope.ifPresent(s -> text.append(text.length() == 0 ? "" : "; ").append("services with ").append(s));
    return text.toString();
  }
}
