package dev.marketplace.orders.domain.persistence;

import java.nio.charset.StandardCharsets;
import org.jooq.Converter;

/**
 * Identity columns (party ids, the idempotency caller) are VARBINARY so that the database compares
 * them byte for byte, as Java does: no collation pads, folds or ignores anything. Java sees them as
 * the UTF-8 text they hold.
 */
public final class IdentityTextConverter implements Converter<byte[], String> {

  @Override
  public String from(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public byte[] to(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Class<byte[]> fromType() {
    return byte[].class;
  }

  @Override
  public Class<String> toType() {
    return String.class;
  }
}
