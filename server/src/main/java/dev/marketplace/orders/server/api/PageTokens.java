package dev.marketplace.orders.server.api;

import dev.marketplace.orders.domain.error.InvalidRequestException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque, tamper-evident page tokens: a position, bound to the query it continues (a hash of the
 * caller and the filters), signed with HMAC-SHA256. A token edited by hand, or used with other
 * filters or by another caller, is refused with INVALID_ARGUMENT instead of being trusted.
 */
public final class PageTokens {

  private static final int MAC_LENGTH = 16;
  private static final int BINDING_LENGTH = 8;

  private final byte[] key;

  public PageTokens(byte[] key) {
    this.key = key.clone();
  }

  /** Signs {@code position} for the query described by {@code binding}. */
  public String encode(String binding, byte[] position) {
    ByteBuffer payload = ByteBuffer.allocate(BINDING_LENGTH + position.length);
    payload.put(bindingHash(binding)).put(position);
    byte[] body = payload.array();
    byte[] token = Arrays.copyOf(body, body.length + MAC_LENGTH);
    System.arraycopy(mac(body), 0, token, body.length, MAC_LENGTH);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
  }

  /** The position of a token issued for the same {@code binding}; refuses anything else. */
  public byte[] decode(String field, String binding, String token) {
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(token);
    } catch (IllegalArgumentException e) {
      throw invalid(field);
    }
    if (raw.length < BINDING_LENGTH + MAC_LENGTH) {
      throw invalid(field);
    }
    byte[] body = Arrays.copyOf(raw, raw.length - MAC_LENGTH);
    byte[] mac = Arrays.copyOfRange(raw, raw.length - MAC_LENGTH, raw.length);
    if (!MessageDigest.isEqual(mac, Arrays.copyOf(mac(body), MAC_LENGTH))) {
      throw invalid(field);
    }
    if (!MessageDigest.isEqual(Arrays.copyOf(body, BINDING_LENGTH), bindingHash(binding))) {
      throw InvalidRequestException.of(
          field, "this page token belongs to a different query; repeat the same filters or start over");
    }
    return Arrays.copyOfRange(body, BINDING_LENGTH, body.length);
  }

  private static InvalidRequestException invalid(String field) {
    return InvalidRequestException.of(field, "not a page token issued by this service");
  }

  private byte[] bindingHash(String binding) {
    return Arrays.copyOf(mac(("binding:" + binding).getBytes(StandardCharsets.UTF_8)), BINDING_LENGTH);
  }

  private byte[] mac(byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
