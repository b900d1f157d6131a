package dev.marketplace.orders.server.api;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.idempotency.IdempotencyKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Builds the idempotency key of a mutating request: the caller, its {@code request_id}, the RPC, and
 * a SHA-256 of the request's deterministic serialization without the request id, so "the same
 * request again" and "the same id for another request" can be told apart.
 */
final class IdempotencyKeys {

  private IdempotencyKeys() {}

  static IdempotencyKey of(Principal caller, UUID requestId, String method, Message request) {
    return new IdempotencyKey(caller.idempotencyNamespace(), requestId, method, fingerprint(request));
  }

  static byte[] fingerprint(Message request) {
    FieldDescriptor requestIdField = request.getDescriptorForType().findFieldByName("request_id");
    Message content = request.toBuilder().clearField(requestIdField).build();
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.useDeterministicSerialization();
      content.writeTo(out);
      out.flush();
      return MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray());
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot fingerprint " + request.getDescriptorForType().getName(), e);
    }
  }
}
