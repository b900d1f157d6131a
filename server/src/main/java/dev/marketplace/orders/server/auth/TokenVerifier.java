package dev.marketplace.orders.server.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.error.AuthenticationFailedException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a bearer token into a {@link Principal}: HS256 signature with the configured secret, a
 * required {@code exp} in the future, {@code sub}, {@code role} (BUYER, SELLER, SUPPORT, SERVICE) and,
 * for services, an optional space-separated {@code scope}. Any other algorithm, {@code none}
 * included, is refused.
 */
public final class TokenVerifier {

  private static final int MAX_SUBJECT_LENGTH = 64;

  private final JWTVerifier verifier;

  public TokenVerifier(String hs256Secret, Clock clock) {
    this.verifier =
        ((JWTVerifier.BaseVerification) JWT.require(Algorithm.HMAC256(hs256Secret)).withClaimPresence("exp"))
            .build(clock);
  }

  public Principal verify(String token) {
    DecodedJWT jwt;
    try {
      jwt = verifier.verify(token);
    } catch (TokenExpiredException e) {
      throw new AuthenticationFailedException("TOKEN_EXPIRED", "the bearer token has expired");
    } catch (SignatureVerificationException | AlgorithmMismatchException e) {
      throw new AuthenticationFailedException("TOKEN_SIGNATURE_INVALID", "the bearer token's signature is not valid");
    } catch (JWTDecodeException e) {
      throw new AuthenticationFailedException("TOKEN_MALFORMED", "the bearer token is not a well-formed JWT");
    } catch (JWTVerificationException e) {
      throw new AuthenticationFailedException("TOKEN_INVALID", "the bearer token is not valid: missing or wrong claims");
    }
    String subject = jwt.getSubject();
    if (subject == null || subject.isBlank() || subject.length() > MAX_SUBJECT_LENGTH) {
      throw new AuthenticationFailedException("TOKEN_INVALID", "the bearer token needs a 'sub' of 1 to 64 characters");
    }
    Role role = role(jwt.getClaim("role").asString());
    String scope = jwt.getClaim("scope").asString();
    Set<String> scopes =
        scope == null
            ? Set.of()
            : Arrays.stream(scope.split(" ")).filter(s -> !s.isBlank()).collect(Collectors.toUnmodifiableSet());
    return new Principal(subject, role, scopes);
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
