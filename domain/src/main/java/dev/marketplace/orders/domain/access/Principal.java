package dev.marketplace.orders.domain.access;

import dev.marketplace.orders.domain.order.Order;
import java.util.Objects;
import java.util.Set;

/**
 * The authenticated caller: a subject (the token's {@code sub}), a role and, for service accounts,
 * scopes. Visibility of orders is a domain rule and lives here: a buyer sees only orders they placed,
 * a seller only orders of their shop, support, services and the system see every order.
 */
public record Principal(String subject, Role role, Set<String> scopes) {

  public Principal {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(role, "role");
    scopes = Set.copyOf(scopes);
    PartyIds.problem(subject)
        .ifPresent(problem -> {
          throw new IllegalArgumentException("subject is not a party id: " + problem);
        });
  }

  public static Principal of(String subject, Role role) {
    return new Principal(subject, role, Set.of());
  }

  public static Principal system() {
    return new Principal("platform", Role.SYSTEM, Set.of());
  }

  public boolean canSee(Order order) {
    return canSeeDealBetween(order.buyerId(), order.sellerId());
  }

  /** Whether this caller may see something between this buyer and this seller (an order, a request). */
  public boolean canSeeDealBetween(String buyerId, String sellerId) {
    return switch (role) {
      case BUYER -> buyerId.equals(subject);
      case SELLER -> sellerId.equals(subject);
      case SUPPORT, SERVICE, SYSTEM -> true;
    };
  }

  public boolean hasScope(String scope) {
    return scopes.contains(scope);
  }

  /** The namespace in which this caller's request ids are unique. */
  public String idempotencyNamespace() {
    return role.name() + ":" + subject;
  }
}
