package dev.marketplace.orders.client;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Sends {@code authorization: Bearer <token>} with every call attempt. The supplier is asked each
 * time, on the application executor (it may block, for example to refresh a token), so a refreshed
 * token is picked up by the next call without rebuilding the client.
 */
final class BearerTokenCredentials extends CallCredentials {

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final Supplier<String> tokens;

  BearerTokenCredentials(Supplier<String> tokens) {
    this.tokens = tokens;
  }

  @Override
  public void applyRequestMetadata(RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
    appExecutor.execute(
        () -> {
          try {
            String token = tokens.get();
            if (token == null || token.isBlank()) {
              applier.fail(Status.UNAUTHENTICATED.withDescription("the token supplier returned no token"));
              return;
            }
            Metadata headers = new Metadata();
            headers.put(AUTHORIZATION, "Bearer " + token.strip());
            applier.apply(headers);
          } catch (RuntimeException e) {
            applier.fail(
                Status.UNAUTHENTICATED.withDescription("the token supplier failed: " + e.getMessage()).withCause(e));
          }
        });
  }
}
