package dev.marketplace.orders.server.api;

import static dev.marketplace.orders.server.api.Replies.reply;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.marketplace.orders.domain.access.Principal;
import dev.marketplace.orders.domain.idempotency.IdempotencyKey;
import dev.marketplace.orders.server.auth.CallerContext;
import io.grpc.MethodDescriptor;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * The one shape of every mutating RPC, all of them idempotent. The request's fields are checked,
 * every invalid one reported at once, its {@code request_id} first: that UUID is the call id. The
 * caller comes from the call's context, and the use case runs under the idempotency key - the
 * caller, the call id, the RPC, and a SHA-256 of the request's deterministic serialization without
 * its {@code request_id}, so "the same call again" and "the same id for another request" can be told
 * apart. The reply is what the use case answers, fresh or replayed.
 */
final class IdempotentCall {

  /** The request field that carries the call id, in every mutating request of the API. */
  static final String CALL_ID_FIELD = "request_id";

  private IdempotentCall() {}

  /** Checks a request's own fields into {@code checks} and returns the use case call they ask for. */
  @FunctionalInterface
  interface Fields<R, T extends Message> {
    UseCase<R, T> check(RequestChecks checks);
  }

  /** The use case call of one request, its fields bound; the caller, the key and the format come last. */
  @FunctionalInterface
  interface UseCase<R, T extends Message> {
    T run(Principal caller, IdempotencyKey key, ProtoFormat<R, T> format);
  }

  static <Q extends Message, R, T extends Message> void handle(
      Q request, StreamObserver<T> response, MethodDescriptor<Q, T> method, ProtoFormat<R, T> format, Fields<R, T> fields) {
    RequestChecks checks = new RequestChecks();
    UUID callId = checks.uuid(CALL_ID_FIELD, (String) request.getField(callIdField(request)));
    UseCase<R, T> useCase = fields.check(checks);
    checks.throwIfInvalid();
    Principal caller = CallerContext.principal();
    IdempotencyKey key = new IdempotencyKey(caller.idempotencyNamespace(), callId, method.getFullMethodName(), fingerprint(request));
    reply(response, useCase.run(caller, key, format));
  }

  private static byte[] fingerprint(Message request) {
    Message content = request.toBuilder().clearField(callIdField(request)).build();
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

  private static FieldDescriptor callIdField(Message request) {
    FieldDescriptor field = request.getDescriptorForType().findFieldByName(CALL_ID_FIELD);
    if (field == null || field.getJavaType() != FieldDescriptor.JavaType.STRING) {
      throw new IllegalStateException(request.getDescriptorForType().getFullName() + " has no string " + CALL_ID_FIELD);
    }
    return field;
  }
}
