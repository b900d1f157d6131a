package dev.marketplace.orders.server.auth;

import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The keys bearer tokens may be signed with, each with its key id (kid) and the one algorithm it is
 * used with: HS256 for the shared secret, RS256 for RSA and ES256 for P-256 public keys. A token is
 * checked only with a key whose algorithm equals the token's own, so an RSA public key can never be
 * taken for an HMAC secret (algorithm confusion), and {@code alg: none} matches nothing.
 */
public final class VerificationKeys {

  /** One key: its id (null for the shared secret or an unnamed key) and its algorithm. */
  public record Key(String keyId, Algorithm algorithm) {
    public Key {
      Objects.requireNonNull(algorithm, "algorithm");
    }
  }

  private final List<Key> keys;

  public VerificationKeys(List<Key> keys) {
    this.keys = List.copyOf(keys);
  }

  /** The key for a token's {@code kid} (or, without a kid, the unnamed key) and {@code alg}. */
  public Optional<Algorithm> find(String keyId, String algorithm) {
    return keys.stream()
        .filter(k -> Objects.equals(k.keyId(), keyId) && k.algorithm().getName().equals(algorithm))
        .map(Key::algorithm)
        .findFirst();
  }

  public int size() {
    return keys.size();
  }

  public static Key hs256(String secret) {
    return new Key(null, Algorithm.HMAC256(secret));
  }

  /** A PEM "PUBLIC KEY" (X.509 SubjectPublicKeyInfo, RSA or EC P-256), used under {@code keyId} (may be null). */
  public static Key fromPem(Path file, String keyId) throws IOException {
    String pem = Files.readString(file);
    String body =
        pem.replaceAll("-----BEGIN PUBLIC KEY-----", "").replaceAll("-----END PUBLIC KEY-----", "").replaceAll("\\s", "");
    byte[] der = Base64.getDecoder().decode(body);
    for (String type : List.of("RSA", "EC")) {
      try {
        return keyFor(keyId, KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der)));
      } catch (GeneralSecurityException e) {
        // not this type; try the next
      }
    }
    throw new IOException("not an RSA or EC public key in PEM form: " + file);
  }

  /** The RSA and EC P-256 keys of a JWKS document; every key needs a "kid". */
  public static List<Key> fromJwks(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    JsonNode list = root.path("keys");
    if (!list.isArray()) {
      throw new IOException("a JWKS file has a \"keys\" array: " + file);
    }
    List<Key> keys = new ArrayList<>();
    for (JsonNode jwk : list) {
      String kid = jwk.path("kid").asText("");
      if (kid.isEmpty()) {
        throw new IOException("every key of " + file + " needs a \"kid\"");
      }
      try {
        PublicKey key =
            switch (jwk.path("kty").asText()) {
              case "RSA" ->
                  KeyFactory.getInstance("RSA")
                      .generatePublic(new RSAPublicKeySpec(unsigned(jwk, "n"), unsigned(jwk, "e")));
              case "EC" -> {
                if (!"P-256".equals(jwk.path("crv").asText())) {
                  throw new IOException("key " + kid + ": only EC keys on P-256 (ES256) are supported");
                }
                AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
                parameters.init(new ECGenParameterSpec("secp256r1"));
                ECParameterSpec curve = parameters.getParameterSpec(ECParameterSpec.class);
                yield KeyFactory.getInstance("EC")
                    .generatePublic(new ECPublicKeySpec(new ECPoint(unsigned(jwk, "x"), unsigned(jwk, "y")), curve));
              }
              default -> throw new IOException("key " + kid + ": unsupported key type " + jwk.path("kty").asText());
            };
        keys.add(keyFor(kid, key));
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        throw new IOException("key " + kid + " of " + file + " is not a valid public key", e);
      }
    }
    return keys;
  }

  private static Key keyFor(String keyId, PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      return new Key(keyId, Algorithm.RSA256(rsa, null));
    }
    return new Key(keyId, Algorithm.ECDSA256((ECPublicKey) key, null));
  }

  private static BigInteger unsigned(JsonNode jwk, String field) {
    return new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path(field).asText()));
  }
}
