package dev.marketplace.orders.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.FieldBehavior;
import com.google.api.FieldBehaviorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Timestamp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The contract rules of STYLE.md that a machine can check, for every field of orders.v1 present and
 * future: each carries its {@code google.api.field_behavior}, and each Timestamp is named {@code *_time}.
 */
class ContractConventionsTest {

  /** Every orders.v1 file; {@link #everyProtoFileOfTheContract_isChecked} fails when one is missing. */
  private static final List<FileDescriptor> FILES =
      List.of(
          OrderProto.getDescriptor(),
          OrderServiceProto.getDescriptor(),
          CancellationProto.getDescriptor(),
          CancellationServiceProto.getDescriptor(),
          ConversationProto.getDescriptor(),
          ConversationServiceProto.getDescriptor(),
          ModificationProto.getDescriptor(),
          ModificationServiceProto.getDescriptor(),
          DisputeProto.getDescriptor(),
          DisputeServiceProto.getDescriptor(),
          SupportCaseProto.getDescriptor(),
          SupportServiceProto.getDescriptor(),
          ReturnProto.getDescriptor(),
          ReturnServiceProto.getDescriptor());

  @Test
  void everyProtoFileOfTheContract_isChecked() throws IOException {
    List<String> onDisk;
    try (Stream<Path> files = Files.list(Path.of("src/main/proto/orders/v1"))) {
      onDisk = files.map(f -> "orders/v1/" + f.getFileName()).filter(n -> n.endsWith(".proto")).toList();
    }

    assertThat(FILES).extracting(FileDescriptor::getName).containsExactlyInAnyOrderElementsOf(onDisk);
  }

  @Test
  void everyField_carriesItsFieldBehavior() {
    List<String> violations = new ArrayList<>();
    for (FieldDescriptor field : fields()) {
      List<FieldBehavior> behaviors = field.getOptions().getExtension(FieldBehaviorProto.fieldBehavior);
      if (behaviors.isEmpty() || behaviors.contains(FieldBehavior.FIELD_BEHAVIOR_UNSPECIFIED)) {
        violations.add(field.getFullName() + " has no (google.api.field_behavior)");
      } else if (behaviors.contains(FieldBehavior.OUTPUT_ONLY)
          && (behaviors.contains(FieldBehavior.REQUIRED) || behaviors.contains(FieldBehavior.OPTIONAL))) {
        violations.add(field.getFullName() + " is OUTPUT_ONLY and also an input: " + behaviors);
      } else if (behaviors.contains(FieldBehavior.REQUIRED) && behaviors.contains(FieldBehavior.OPTIONAL)) {
        violations.add(field.getFullName() + " is both REQUIRED and OPTIONAL");
      }
    }

    assertThat(fields()).as("the walk found the contract's fields").hasSizeGreaterThan(100);
    assertThat(violations).isEmpty();
  }

  @Test
  void everyTimestampField_endsInTime() {
    List<String> violations = new ArrayList<>();
    for (FieldDescriptor field : fields()) {
      boolean timestamp =
          field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
              && field.getMessageType().getFullName().equals(Timestamp.getDescriptor().getFullName());
      if (timestamp && !field.getName().endsWith("_time")) {
        violations.add(field.getFullName() + " is a Timestamp not named *_time");
      }
    }

    assertThat(violations).isEmpty();
  }

  /**
   * buf lints against the copy in {@code third_party/} (it cannot reach the Buf Schema Registry);
   * protoc and the runtime use the one in proto-google-common-protos. They must be the same file.
   */
  @Test
  void thirdPartyFieldBehaviorProto_isTheOneInCommonProtos() throws IOException {
    byte[] shipped;
    try (InputStream in = FieldBehaviorProto.class.getClassLoader().getResourceAsStream("google/api/field_behavior.proto")) {
      assertThat(in).as("google/api/field_behavior.proto in proto-google-common-protos").isNotNull();
      shipped = in.readAllBytes();
    }

    assertThat(Files.readString(Path.of("third_party/google/api/field_behavior.proto")))
        .as("proto/third_party/google/api/field_behavior.proto: copy it again from the proto-google-common-protos jar")
        .isEqualTo(new String(shipped, StandardCharsets.UTF_8));
  }

  /** Every field of every message, nested ones included; map entries are protoc's, not ours. */
  private static List<FieldDescriptor> fields() {
    List<FieldDescriptor> fields = new ArrayList<>();
    FILES.forEach(file -> file.getMessageTypes().forEach(message -> collect(message, fields)));
    return fields;
  }

  private static void collect(Descriptor message, List<FieldDescriptor> into) {
    if (message.getOptions().getMapEntry()) {
      return;
    }
    into.addAll(message.getFields());
    message.getNestedTypes().forEach(nested -> collect(nested, into));
  }
}
