package dev.marketplace.orders.server.hostile;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Request bodies no protobuf library would produce: invalid UTF-8 in string fields, truncated or
 * overlong fields, bad tags, malformed varints, deep nesting, garbage. A client can send any of
 * these bytes; the server must refuse them as a client error.
 */
final class Wire {

  private static final int VARINT = 0;
  private static final int LENGTH_DELIMITED = 2;
  private static final int START_GROUP = 3;

  private Wire() {}

  /** One body and what is wrong with it. */
  record Body(String what, byte[] bytes) {}

  static List<Body> bodies(Descriptor type, byte[] valid, Random random) {
    List<Body> bodies = new ArrayList<>();
    bodies.add(new Body("empty body", new byte[0]));
    if (valid.length > 0) {
      bodies.add(new Body("valid body cut short by one byte", java.util.Arrays.copyOf(valid, valid.length - 1)));
    }
    bodies.add(new Body("length-delimited field 1 announcing 1000 bytes, carrying 3", concat(valid, tag(1, LENGTH_DELIMITED), varint(1000), new byte[] {'a', 'b', 'c'})));
    byte[] garbage = new byte[64];
    random.nextBytes(garbage);
    bodies.add(new Body("64 random bytes " + Describe.hex(garbage), garbage));
    bodies.add(new Body("malformed 11-byte varint", concat(valid, tag(1, VARINT), repeat((byte) 0xff, 10), new byte[] {1})));
    bodies.add(new Body("wire type 7", concat(valid, new byte[] {(byte) ((1 << 3) | 7), 1})));
    bodies.add(new Body("field number 0", concat(valid, new byte[] {0x02, 0x01, 'x'})));
    bodies.add(new Body("200000 nested groups in unknown field 999", nestedGroups(200_000)));
    bodies.add(new Body("64 KiB unknown field 9999", concat(valid, tag(9999, LENGTH_DELIMITED), varint(65536), repeat((byte) 'u', 65536))));
    for (FieldDescriptor field : type.getFields()) {
      if (field.getType() == FieldDescriptor.Type.STRING) {
        byte[] bad = HostileValues.INVALID_UTF8.get(random.nextInt(HostileValues.INVALID_UTF8.size()));
        bodies.add(new Body(field.getName() + " = invalid UTF-8 " + Describe.hex(bad), concat(valid, lengthDelimited(field.getNumber(), bad))));
      } else if (field.getType() == FieldDescriptor.Type.MESSAGE) {
        List<FieldDescriptor> strings =
            field.getMessageType().getFields().stream().filter(f -> f.getType() == FieldDescriptor.Type.STRING).toList();
        if (!strings.isEmpty()) {
          FieldDescriptor inner = strings.get(random.nextInt(strings.size()));
          byte[] bad = HostileValues.INVALID_UTF8.get(random.nextInt(HostileValues.INVALID_UTF8.size()));
          bodies.add(
              new Body(
                  field.getName() + "." + inner.getName() + " = invalid UTF-8 " + Describe.hex(bad),
                  concat(valid, lengthDelimited(field.getNumber(), lengthDelimited(inner.getNumber(), bad)))));
        }
        bodies.add(new Body(field.getName() + " sent as a varint", concat(valid, tag(field.getNumber(), VARINT), varint(7))));
      } else if (field.getType() == FieldDescriptor.Type.ENUM && field.isRepeated()) {
        bodies.add(
            new Body(
                field.getName() + " packed, announcing more bytes than it has",
                concat(valid, tag(field.getNumber(), LENGTH_DELIMITED), varint(50), new byte[] {1, 2})));
      }
    }
    return bodies;
  }

  static byte[] tag(int field, int wireType) {
    return varint(((long) field << 3) | wireType);
  }

  static byte[] lengthDelimited(int field, byte[] payload) {
    return concat(tag(field, LENGTH_DELIMITED), varint(payload.length), payload);
  }

  static byte[] varint(long value) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.writeUInt64NoTag(value);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] nestedGroups(int depth) {
    byte[] start = tag(999, START_GROUP);
    byte[] out = new byte[start.length * depth];
    for (int i = 0; i < depth; i++) {
      System.arraycopy(start, 0, out, i * start.length, start.length);
    }
    return out;
  }

  static byte[] repeat(byte b, int count) {
    byte[] out = new byte[count];
    java.util.Arrays.fill(out, b);
    return out;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
