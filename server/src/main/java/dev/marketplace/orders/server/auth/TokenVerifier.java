package dev.marketplace.orders.server.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.IncorrectClaimException;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.Verification;
import dev.marketplace.orders.domain.access.PartyIds;
import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.error.AuthenticationFailedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Turns a bearer token into a {@link Principal}. The token's {@code kid} and {@code alg} pick the key
 * (HS256, RS256 or ES256 only; see {@link VerificationKeys}); then the signature, a required
 * {@code exp}, {@code nbf} (both with the configured clock skew), and {@code iss} / {@code aud} when
 * configured. Claims: {@code sub}, {@code role} (BUYER, SELLER, SUPPORT, SERVICE) and, for
 * services, a space-separated {@code scope}. Every refusal is UNAUTHENTICATED with its own reason.
 */
public final class TokenVerifier {

  private static final Set<String> ALGORITHMS = Set.of("HS256", "RS256", "ES256");

  private final Supplier<VerificationKeys> keys;
  private final AuthSettings settings;
  private final Clock clock;

  public TokenVerifier(Supplier<VerificationKeys> keys, AuthSettings settings, Clock clock) {
    this.keys = keys;
    this.settings = settings;
    this.clock = clock;
  }

  /** HS256 tokens signed with {@code hs256Secret} only. */
  public TokenVerifier(String hs256Secret, Clock clock) {
    this(() -> new VerificationKeys(java.util.List.of(VerificationKeys.hs256(hs256Secret))), AuthSettings.hs256(hs256Secret), clock);
  }

  public Principal verify(String token) {
    DecodedJWT jwt;
    try {
      jwt = JWT.decode(token);
    } catch (JWTDecodeException e) {
      throw new AuthenticationFailedException("TOKEN_MALFORMED", "the bearer token is not a well-formed JWT");
    }
    String alg = jwt.getAlgorithm();
    if (alg == null || !ALGORITHMS.contains(alg)) {
      throw new AuthenticationFailedException(
          "TOKEN_ALGORITHM_REJECTED", "the bearer token must be signed with HS256, RS256 or ES256");
    }
    Algorithm algorithm =
        keys.get()
            .find(jwt.getKeyId(), alg)
            .orElseThrow(
                () ->
                    new AuthenticationFailedException(
                        "TOKEN_KEY_UNKNOWN", "no " + alg + " key " + (jwt.getKeyId() == null ? "without a key id" : "with id " + jwt.getKeyId()) + " is trusted"));
    Verification verification =
        JWT.require(algorithm).withClaimPresence("exp").acceptLeeway(settings.clockSkew().toSeconds());
    settings.issuer().ifPresent(verification::withIssuer);
    settings.audience().ifPresent(verification::withAudience);
    try {
      ((JWTVerifier.BaseVerification) verification).build(clock).verify(jwt);
    } catch (TokenExpiredException e) {
      throw new AuthenticationFailedException("TOKEN_EXPIRED", "the bearer token has expired");
    } catch (SignatureVerificationException | AlgorithmMismatchException e) {
      throw new AuthenticationFailedException("TOKEN_SIGNATURE_INVALID", "the bearer token's signature is not valid");
    } catch (IncorrectClaimException e) {
      throw switch (e.getClaimName()) {
        case "nbf", "iat" -> new AuthenticationFailedException("TOKEN_NOT_YET_VALID", "the bearer token is not valid yet");
        case "iss" -> new AuthenticationFailedException("TOKEN_ISSUER_INVALID", "the bearer token was issued by an issuer this service does not trust");
        case "aud" -> new AuthenticationFailedException("TOKEN_AUDIENCE_INVALID", "the bearer token is meant for another audience");
        default -> new AuthenticationFailedException("TOKEN_INVALID", "the bearer token's claim '" + e.getClaimName() + "' is not valid");
      };
    } catch (JWTVerificationException e) {
      throw new AuthenticationFailedException("TOKEN_INVALID", "the bearer token is not valid: missing or wrong claims");
    }
    requireLifetimeWithinLimit(jwt);
    String subject = jwt.getSubject();
    if (subject == null || !PartyIds.isValid(subject)) {
      throw new AuthenticationFailedException(
          "TOKEN_INVALID",
          "the bearer token needs a 'sub' of 1 to " + PartyIds.MAX_LENGTH
              + " characters, without whitespace at either end and without control or format characters");
    }
    Role role = role(jwt.getClaim("role").asString());
    String scope = jwt.getClaim("scope").asString();
    Set<String> scopes =
        scope == null
            ? Set.of()
            : Arrays.stream(scope.split(" ")).filter(s -> !s.isBlank()).collect(Collectors.toUnmodifiableSet());
    return new Principal(subject, role, scopes);
  }

  /**
   * A stolen token is worth only as long as it lives: {@code exp} may be at most the configured
   * lifetime after {@code iat}, or, without {@code iat}, after now (plus the clock skew).
   */
  private void requireLifetimeWithinLimit(DecodedJWT jwt) {
    Duration max = settings.maxTokenLifetime();
    Instant expires = jwt.getExpiresAtAsInstant();
    Instant issued = jwt.getIssuedAtAsInstant();
    Instant from = issued != null ? issued : clock.instant();
    if (expires.isAfter(from.plus(max).plus(settings.clockSkew()))) {
      throw new AuthenticationFailedException(
          "TOKEN_LIFETIME_TOO_LONG",
          "the bearer token is valid for longer than the " + max + " this service accepts; ask for a shorter-lived token");
    }
  }

  private static Role role(String claim) {
    if (claim != null) {
      for (Role role : Role.values()) {
        if (role != Role.SYSTEM && role.name().equals(claim)) {
          return role;
        }
      }
    }
    throw new AuthenticationFailedException(
        "TOKEN_INVALID", "the bearer token needs a 'role' of BUYER, SELLER, SUPPORT or SERVICE");
  }
}
