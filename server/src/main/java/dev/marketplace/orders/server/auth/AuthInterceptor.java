package dev.marketplace.orders.server.auth;

import com.auth0.jwt.JWT;
import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.access.Role;
import dev.marketplace.orders.domain.error.AccessDeniedException;
import dev.marketplace.orders.domain.error.AuthenticationFailedException;
import dev.marketplace.orders.domain.error.DomainException;
import dev.marketplace.orders.server.error.ErrorMapper;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import jakarta.inject.Inject;
import java.security.cert.X509Certificate;
import java.util.Map;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Authenticates every call with its {@code authorization: Bearer <JWT>} header and applies the
 * method's {@link AccessRule}: no or bad token is UNAUTHENTICATED, a role or scope the rule does
 * not allow is PERMISSION_DENIED. The principal travels in the gRPC {@link Context}.
 */
public final class AuthInterceptor implements ServerInterceptor {

  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String BEARER = "Bearer ";

  private final TokenVerifier verifier;
  private final ErrorMapper errors;
  private final boolean requireServiceClientCertificate;
  private final java.time.Duration clockSkew;

  @Inject
  public AuthInterceptor(TokenVerifier verifier, ErrorMapper errors, AuthSettings settings) {
    this.verifier = verifier;
    this.errors = errors;
    this.requireServiceClientCertificate = settings.requireServiceClientCertificate();
    this.clockSkew = settings.clockSkew();
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    try {
      AccessRule rule =
          AuthRules.forMethod(method)
              .orElseThrow(
                  () ->
                      new AccessDeniedException(
                          "METHOD_NOT_ALLOWED", "no access rule for " + method, Map.of("method", method)));
      if (!rule.authenticated()) {
        return next.startCall(call, headers);
      }
      Principal principal = authenticate(headers.getAll(AUTHORIZATION));
      if (requireServiceClientCertificate && principal.role() == Role.SERVICE) {
        requireCertificateOf(principal, call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
      }
      if (!rule.permits(principal)) {
        throw new AccessDeniedException(
            "ROLE_NOT_ALLOWED",
            "a " + principal.role() + " caller"
                + (principal.scopes().isEmpty() ? "" : " with scopes " + principal.scopes())
                + " may not call " + method,
            Map.of("method", method, "role", principal.role().name()));
      }
      Context context = Context.current().withValue(CallerContext.PRINCIPAL, principal);
      if (!call.getMethodDescriptor().getType().serverSendsOneMessage()) {
        // A stream outlives the check: it ends when the token does, with the skew the check allows
        // (the token was verified just now, so it decodes).
        context =
            context.withValue(
                CallerContext.TOKEN_EXPIRES, JWT.decode(token(headers.getAll(AUTHORIZATION))).getExpiresAtAsInstant().plus(clockSkew));
      }
      return Contexts.interceptCall(context, call, headers, next);
    } catch (DomainException e) {
      StatusRuntimeException status = errors.toStatusException(e);
      call.close(status.getStatus(), status.getTrailers());
      return new ServerCall.Listener<>() {};
    }
  }

  /** A service's token counts only on a mutual-TLS connection whose client certificate names the service. */
  private static void requireCertificateOf(Principal service, SSLSession session) {
    String commonName = null;
    try {
      if (session != null
          && session.getPeerCertificates().length > 0
          && session.getPeerCertificates()[0] instanceof X509Certificate certificate) {
        for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
          if (rdn.getType().equalsIgnoreCase("CN")) {
            commonName = rdn.getValue().toString();
          }
        }
      }
    } catch (SSLPeerUnverifiedException | InvalidNameException e) {
      commonName = null;
    }
    if (commonName == null) {
      throw new AuthenticationFailedException(
          "CLIENT_CERTIFICATE_REQUIRED", "service accounts must call over mutual TLS with their client certificate");
    }
    if (!commonName.equals(service.subject())) {
      throw new AuthenticationFailedException(
          "CLIENT_CERTIFICATE_MISMATCH", "the client certificate does not belong to the token's service account");
    }
  }

  private Principal authenticate(Iterable<String> authorizations) {
    String authorization = null;
    if (authorizations != null) {
      for (String value : authorizations) {
        if (authorization != null) {
          // Which one would count depends on every proxy on the way keeping the order; none does.
          throw new AuthenticationFailedException(
              "TOKEN_MALFORMED", "send exactly one 'authorization' header, not several");
        }
        authorization = value;
      }
    }
    if (authorization == null || authorization.isBlank()) {
      throw new AuthenticationFailedException(
          "TOKEN_MISSING", "send 'authorization: Bearer <token>' with every call");
    }
    if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new AuthenticationFailedException(
          "TOKEN_MALFORMED", "the authorization header must be 'Bearer <token>'");
    }
    return verifier.verify(token(authorizations));
  }

  /** The token of the one authorization header, once {@link #authenticate} has accepted it. */
  private static String token(Iterable<String> authorizations) {
    return authorizations.iterator().next().substring(BEARER.length()).trim();
  }
}
