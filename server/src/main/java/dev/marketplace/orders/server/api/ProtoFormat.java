package dev.marketplace.orders.server.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.marketplace.orders.domain.idempotency.ResponseFormat;
import java.util.function.Function;

/** Renders a domain result as a proto response and stores it as the proto's own bytes. */
final class ProtoFormat<R, T extends Message> implements ResponseFormat<R, T> {

  private final Function<R, T> render;
  private final Parser<T> parser;

  ProtoFormat(Function<R, T> render, Parser<T> parser) {
    this.render = render;
    this.parser = parser;
  }

  @Override
  public T render(R result) {
    return render.apply(result);
  }

  @Override
  public byte[] serialize(T response) {
    return response.toByteArray();
  }

  @Override
  public T deserialize(byte[] stored) {
    try {
      return parser.parseFrom(stored);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored response is not a " + render, e);
    }
  }
}
