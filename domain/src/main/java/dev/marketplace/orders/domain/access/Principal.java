package dev.marketplace.orders.domain.access;

import java.util.Objects;
import java.util.Set;

/**
 * The authenticated caller: a subject (the token's {@code sub}), a role and, for service accounts,
 * scopes. Visibility is a domain rule and lives here: a buyer sees only deals they made, a seller only
 * their shop's, support, services and the system see every one.
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
