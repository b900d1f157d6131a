package dev.marketplace.orders.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import com.google.inject.Guice;
import com.zaxxer.hikari.HikariDataSource;
import dev.marketplace.orders.domain.cancellation.CancellationSettings;
import dev.marketplace.orders.domain.testing.MutableClock;
import dev.marketplace.orders.domain.testing.TestDatabase;
import dev.marketplace.orders.server.testing.Errors;
import dev.marketplace.orders.server.testing.GrpcTestServer;
import dev.marketplace.orders.server.wiring.OrdersModule;
import dev.marketplace.orders.server.wiring.OrdersServer;
import dev.marketplace.orders.v1.CancellationServiceGrpc;
import dev.marketplace.orders.v1.ListCancellationReasonsRequest;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status.Code;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bearer tokens verified with public keys from a JWKS file (key ids, rotation), a PEM key and the
 * HS256 secret, with issuer, audience and clock-skew checks, through a real server: every bad token
 * is UNAUTHENTICATED with its own reason.
 */
class TokenVerificationTest {

  private static final String ISSUER = "https://id.marketplace.example";
  private static final String AUDIENCE = "orders";

  @TempDir static Path dir;
  private static final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private static KeyPair rsa;
  private static KeyPair ec;
  private static KeyPair pemKey;
  private static KeyPair stranger;
  private static Path jwks;
  private static HikariDataSource dataSource;
  private static ExecutorService handlers;
  private static Server server;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    rsa = rsaKeys();
    stranger = rsaKeys();
    pemKey = rsaKeys();
    KeyPairGenerator ecGenerator = KeyPairGenerator.getInstance("EC");
    ecGenerator.initialize(new ECGenParameterSpec("secp256r1"));
    ec = ecGenerator.generateKeyPair();
    jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, jwks(rsaJwk("rsa-1", (RSAPublicKey) rsa.getPublic()), ecJwk("ec-1", (ECPublicKey) ec.getPublic())));
    Path pem = dir.resolve("key.pem");
    Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(pemKey.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
    AuthSettings settings =
        new AuthSettings(
            Optional.of(GrpcTestServer.SECRET), Optional.of(pem), Optional.of("pem-1"), Optional.of(jwks), Optional.of(ISSUER),
            Optional.of(AUDIENCE), Duration.ofSeconds(30), AuthSettings.DEFAULT_MAX_TOKEN_LIFETIME, false);
    dataSource = TestDatabase.migratedDataSource();
    handlers = Executors.newFixedThreadPool(4);
    String name = InProcessServerBuilder.generateName();
    server =
        Guice.createInjector(new OrdersModule(dataSource, clock, settings, GrpcTestServer.SECRET, CancellationSettings.defaults()))
            .getInstance(OrdersServer.class)
            .build(InProcessServerBuilder.forName(name), handlers, 100)
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterAll
  static void stop() {
    channel.shutdownNow();
    server.shutdownNow();
    handlers.shutdownNow();
    dataSource.close();
  }

  @Test
  void tokensSignedWithEachTrustedKey_areAccepted() {
    assertAccepted(token("rsa-1").sign(Algorithm.RSA256(null, (RSAPrivateKey) rsa.getPrivate())));
    assertAccepted(token("ec-1").sign(Algorithm.ECDSA256(null, (ECPrivateKey) ec.getPrivate())));
    assertAccepted(token("pem-1").sign(Algorithm.RSA256(null, (RSAPrivateKey) pemKey.getPrivate())));
    assertAccepted(token(null).sign(Algorithm.HMAC256(GrpcTestServer.SECRET)));
  }

  @Test
  void wrongSignature_isRefused() {
    assertRefused(token("rsa-1").sign(Algorithm.RSA256(null, (RSAPrivateKey) stranger.getPrivate())), "TOKEN_SIGNATURE_INVALID");
    assertRefused(token(null).sign(Algorithm.HMAC256("another-secret-another-secret-another-secret")), "TOKEN_SIGNATURE_INVALID");
  }

  @Test
  void unknownKeyId_isRefused() {
    assertRefused(token("rsa-9").sign(Algorithm.RSA256(null, (RSAPrivateKey) rsa.getPrivate())), "TOKEN_KEY_UNKNOWN");
  }

  @Test
  void algNone_isRefused() {
    assertRefused(token("rsa-1").sign(Algorithm.none()), "TOKEN_ALGORITHM_REJECTED");
    assertRefused(token(null).sign(Algorithm.none()), "TOKEN_ALGORITHM_REJECTED");
  }

  @Test
  void algorithmConfusion_anRsaPublicKeyUsedAsAnHmacSecret_isRefused() {
    byte[] publicKeyAsSecret = rsa.getPublic().getEncoded();
    assertRefused(token("rsa-1").sign(Algorithm.HMAC256(publicKeyAsSecret)), "TOKEN_KEY_UNKNOWN");
    // An ES256 key offered for an RS256 token is not taken either.
    assertRefused(token("ec-1").sign(Algorithm.RSA256(null, (RSAPrivateKey) rsa.getPrivate())), "TOKEN_KEY_UNKNOWN");
  }

  @Test
  void expiredAndNotYetValidTokens_areRefused_beyondTheClockSkew() {
    Algorithm key = Algorithm.RSA256(null, (RSAPrivateKey) rsa.getPrivate());
    Instant now = clock.instant();
    assertRefused(token("rsa-1").withExpiresAt(now.minusSeconds(60)).sign(key), "TOKEN_EXPIRED");
    assertAccepted(token("rsa-1").withExpiresAt(now.minusSeconds(10)).sign(key));
    assertRefused(token("rsa-1").withNotBefore(now.plusSeconds(120)).sign(key), "TOKEN_NOT_YET_VALID");
    assertAccepted(token("rsa-1").withNotBefore(now.plusSeconds(10)).sign(key));
  }

  @Test
  void wrongAudienceOrIssuer_isRefused() {
    Algorithm key = Algorithm.RSA256(null, (RSAPrivateKey) rsa.getPrivate());
    assertRefused(token("rsa-1").withAudience("billing").sign(key), "TOKEN_AUDIENCE_INVALID");
    assertRefused(token("rsa-1").withIssuer("https://evil.example").sign(key), "TOKEN_ISSUER_INVALID");
  }

  @Test
  void keysRotateWithoutRestart_whenTheJwksFileChanges() throws Exception {
    KeyPair next = rsaKeys();
    String nextToken = token("rsa-2").sign(Algorithm.RSA256(null, (RSAPrivateKey) next.getPrivate()));
    String oldToken = token("rsa-1").sign(Algorithm.RSA256(null, (RSAPrivateKey) rsa.getPrivate()));
    assertRefused(nextToken, "TOKEN_KEY_UNKNOWN");

    String original = Files.readString(jwks);
    try {
      Files.writeString(jwks, jwks(rsaJwk("rsa-2", (RSAPublicKey) next.getPublic()), ecJwk("ec-1", (ECPublicKey) ec.getPublic())));
      Files.setLastModifiedTime(jwks, java.nio.file.attribute.FileTime.from(Instant.now().plusSeconds(5)));
      clock.advance(Duration.ofSeconds(6));
      String freshOld = token("rsa-1").sign(Algorithm.RSA256(null, (RSAPrivateKey) rsa.getPrivate()));

      assertAccepted(token("rsa-2").sign(Algorithm.RSA256(null, (RSAPrivateKey) next.getPrivate())));
      assertRefused(freshOld, "TOKEN_KEY_UNKNOWN");
      assertThat(oldToken).isNotEqualTo(freshOld);
    } finally {
      Files.writeString(jwks, original);
      Files.setLastModifiedTime(jwks, java.nio.file.attribute.FileTime.from(Instant.now().plusSeconds(10)));
      clock.advance(Duration.ofSeconds(6));
    }
  }

  /**
   * A subject that only looks like a party's id - padded, with a tab, NUL, NBSP or a zero-width space
   * at its end or start - is no identity at all: the database once compared {@code "buyer-1 "} equal
   * to {@code "buyer-1"}.
   */
  @ParameterizedTest
  @ValueSource(strings = {"buyer-1 ", "buyer-1   ", " buyer-1", "buyer-1\t", "buyer-1\u0000", "buyer-1\u00a0", "buyer-1\u200b",
      "buyer\u00001", "", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
  void lookAlikeOrMalformedSubjects_areRefused(String subject) {
    Algorithm key = Algorithm.HMAC256(GrpcTestServer.SECRET);
    assertRefused(token(null).withSubject(subject).sign(key), "TOKEN_INVALID");
  }

  @Test
  void aCaseVariantOfASubject_isAnotherValidSubject() {
    Algorithm key = Algorithm.HMAC256(GrpcTestServer.SECRET);
    assertAccepted(token(null).withSubject("Buyer-1").sign(key));
    assertAccepted(token(null).withSubject("x".repeat(64)).sign(key));
    assertAccepted(token(null).withSubject("käufer 1").sign(key));
  }

  @Test
  void tokensLivingLongerThanTheMaximumLifetime_areRefused() {
    Algorithm key = Algorithm.HMAC256(GrpcTestServer.SECRET);
    Instant now = clock.instant();
    assertRefused(token(null).withExpiresAt(now.plus(Duration.ofDays(36500))).sign(key), "TOKEN_LIFETIME_TOO_LONG");
    assertRefused(token(null).withIssuedAt(now).withExpiresAt(now.plus(Duration.ofHours(25))).sign(key), "TOKEN_LIFETIME_TOO_LONG");
    // Issued a while ago for 30 hours: still more than 24 hours from iat to exp.
    assertRefused(
        token(null).withIssuedAt(now.minus(Duration.ofHours(10))).withExpiresAt(now.plus(Duration.ofHours(20))).sign(key),
        "TOKEN_LIFETIME_TOO_LONG");
    // Without iat the lifetime counts from now.
    String noIssuedAt =
        JWT.create().withSubject("buyer-1").withClaim("role", "BUYER").withIssuer(ISSUER).withAudience(AUDIENCE)
            .withExpiresAt(now.plus(Duration.ofHours(25))).sign(key);
    assertRefused(noIssuedAt, "TOKEN_LIFETIME_TOO_LONG");
    assertAccepted(token(null).withIssuedAt(now).withExpiresAt(now.plus(Duration.ofHours(24))).sign(key));
  }

  @Test
  void severalAuthorizationHeaders_areRefused_evenWhenEachIsValid() {
    String token = token(null).sign(Algorithm.HMAC256(GrpcTestServer.SECRET));
    io.grpc.Metadata headers = new io.grpc.Metadata();
    headers.put(AuthInterceptor.AUTHORIZATION, "Bearer " + token);
    headers.put(AuthInterceptor.AUTHORIZATION, "Bearer " + token);
    Errors error =
        Errors.of(
            catchThrowable(
                () ->
                    CancellationServiceGrpc.newBlockingStub(channel)
                        .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers))
                        .listCancellationReasons(ListCancellationReasonsRequest.getDefaultInstance())));
    assertThat(error.code()).isEqualTo(Code.UNAUTHENTICATED);
    assertThat(error.reason()).isEqualTo("TOKEN_MALFORMED");
  }

  private static JWTCreator.Builder token(String keyId) {
    Instant now = clock.instant();
    JWTCreator.Builder builder =
        JWT.create()
            .withSubject("buyer-1")
            .withClaim("role", "BUYER")
            .withIssuer(ISSUER)
            .withAudience(AUDIENCE)
            .withIssuedAt(now)
            .withExpiresAt(now.plusSeconds(600));
    if (keyId != null) {
      builder.withKeyId(keyId);
    }
    return builder;
  }

  private static void assertAccepted(String token) {
    assertThat(call(token).getReasonsCount()).isEqualTo(6);
  }

  private static void assertRefused(String token, String reason) {
    Errors error = Errors.of(catchThrowable(() -> call(token)));
    assertThat(error.code()).as(reason).isEqualTo(Code.UNAUTHENTICATED);
    assertThat(error.reason()).isEqualTo(reason);
  }

  private static dev.marketplace.orders.v1.ListCancellationReasonsResponse call(String token) {
    return CancellationServiceGrpc.newBlockingStub(channel)
        .withInterceptors(GrpcTestServer.bearer(token))
        .listCancellationReasons(ListCancellationReasonsRequest.getDefaultInstance());
  }

  private static KeyPair rsaKeys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static String jwks(String... keys) {
    return "{\"keys\": [" + String.join(",", keys) + "]}";
  }

  private static String rsaJwk(String kid, RSAPublicKey key) {
    return "{\"kty\": \"RSA\", \"kid\": \"" + kid + "\", \"alg\": \"RS256\", \"n\": \"" + b64(key.getModulus()) + "\", \"e\": \"" + b64(key.getPublicExponent()) + "\"}";
  }

  private static String ecJwk(String kid, ECPublicKey key) {
    return "{\"kty\": \"EC\", \"kid\": \"" + kid + "\", \"crv\": \"P-256\", \"x\": \"" + b64(key.getW().getAffineX(), 32) + "\", \"y\": \"" + b64(key.getW().getAffineY(), 32) + "\"}";
  }

  private static String b64(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes[0] == 0 && bytes.length > 1) {
      bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String b64(BigInteger value, int length) {
    byte[] bytes = value.toByteArray();
    byte[] fixed = new byte[length];
    int copy = Math.min(bytes.length, length);
    System.arraycopy(bytes, bytes.length - copy, fixed, length - copy, copy);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
  }
}
