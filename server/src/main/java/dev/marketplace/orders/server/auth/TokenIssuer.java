package dev.marketplace.orders.server.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.marketplace.orders.domain.access.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

/**
 * Mints HS256 tokens with the server's secret. For development and tests (the {@code token}
 * subcommand); in production an identity provider issues tokens.
 */
public final class TokenIssuer {

  private final Algorithm algorithm;
  private final Clock clock;

  public TokenIssuer(String hs256Secret, Clock clock) {
    this.algorithm = Algorithm.HMAC256(hs256Secret);
    this.clock = clock;
  }

  public String issue(String subject, Role role, Collection<String> scopes, Duration ttl) {
    Instant now = clock.instant();
    var builder =
        JWT.create()
            .withSubject(subject)
            .withClaim("role", role.name())
            .withIssuedAt(now)
            .withExpiresAt(now.plus(ttl));
    if (!scopes.isEmpty()) {
      builder.withClaim("scope", String.join(" ", scopes));
    }
    return builder.sign(algorithm);
  }
}
