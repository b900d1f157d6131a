package dev.marketplace.orders.domain.persistence;

import java.nio.ByteBuffer;
import java.util.UUID;
import org.jooq.Converter;

/** Stores UUIDs as BINARY(16) in big-endian order, so time-ordered (v7) ids sort by creation time. */
public final class UuidBinaryConverter implements Converter<byte[], UUID> {

  @Override
  public UUID from(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    return new UUID(buffer.getLong(), buffer.getLong());
  }

  @Override
  public byte[] to(UUID uuid) {
    if (uuid == null) {
      return null;
    }
    return ByteBuffer.allocate(16)
        .putLong(uuid.getMostSignificantBits())
        .putLong(uuid.getLeastSignificantBits())
        .array();
  }

  @Override
  public Class<byte[]> fromType() {
    return byte[].class;
  }

  @Override
  public Class<UUID> toType() {
    return UUID.class;
  }
}
