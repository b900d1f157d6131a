package dev.marketplace.orders.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import dev.marketplace.orders.server.auth.AccessRule;
import dev.marketplace.orders.server.auth.AuthRules;
import dev.marketplace.orders.server.wiring.OrdersServer;
import dev.marketplace.orders.v1.CancellationServiceGrpc;
import dev.marketplace.orders.v1.ConversationServiceGrpc;
import dev.marketplace.orders.v1.DisputeServiceGrpc;
import dev.marketplace.orders.v1.SupportServiceGrpc;
import dev.marketplace.orders.v1.ReturnServiceGrpc;
import dev.marketplace.orders.v1.ModificationServiceGrpc;
import dev.marketplace.orders.v1.OrderServiceGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One RPC of a business service, called generically: raw bytes in and out. */
record Rpc(String fullName, Descriptor input, Descriptor output, MethodDescriptor<byte[], byte[]> raw) {
    String shortName() {
      return fullName.substring(fullName.indexOf('.', fullName.indexOf('.') + 1) + 1);
    }

    Optional<AccessRule> rule() {
      return AuthRules.forMethod(fullName);
    }

    boolean lists() {
      return input.findFieldByName("page_token") != null && output.findFieldByName("next_page_token") != null;
    }

  static final List<ServiceDescriptor> SERVICES =
      List.of(
          OrderServiceGrpc.getServiceDescriptor(),
          CancellationServiceGrpc.getServiceDescriptor(),
          ConversationServiceGrpc.getServiceDescriptor(),
          ModificationServiceGrpc.getServiceDescriptor(),
          DisputeServiceGrpc.getServiceDescriptor(),
          SupportServiceGrpc.getServiceDescriptor(),
          ReturnServiceGrpc.getServiceDescriptor());

  static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  static List<Rpc> rpcs() {
    List<String> covered = SERVICES.stream().map(ServiceDescriptor::getName).toList();
    assertThat(covered).as("every business service is attacked").containsAll(OrdersServer.BUSINESS_SERVICES);
    List<Rpc> rpcs = new ArrayList<>();
    for (ServiceDescriptor service : SERVICES) {
      for (MethodDescriptor<?, ?> method : service.getMethods()) {
        var proto = ((ProtoMethodDescriptorSupplier) method.getSchemaDescriptor()).getMethodDescriptor();
        MethodDescriptor<byte[], byte[]> raw =
            MethodDescriptor.<byte[], byte[]>newBuilder(BYTES, BYTES)
                .setType(method.getType())
                .setFullMethodName(method.getFullMethodName())
                .build();
        assertThat(method.getType()).as(method.getFullMethodName()).isIn(MethodDescriptor.MethodType.UNARY, MethodDescriptor.MethodType.SERVER_STREAMING);
        rpcs.add(new Rpc(method.getFullMethodName(), proto.getInputType(), proto.getOutputType(), raw));
      }
    }
    assertThat(rpcs).hasSizeGreaterThanOrEqualTo(48);
    return rpcs;
  }
}
