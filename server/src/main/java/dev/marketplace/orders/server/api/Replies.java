package dev.marketplace.orders.server.api;

import io.grpc.stub.StreamObserver;

/** Completing a unary call. */
final class Replies {

  private Replies() {}

  static <T> void reply(StreamObserver<T> response, T message) {
    response.onNext(message);
    response.onCompleted();
  }
}
